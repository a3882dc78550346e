package tenancytest_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// BenchmarkProvisioned measures what a test pays for its database holding the demo districts:
// cloned from the template (Provisioned), or migrated and synced from scratch (ProvisionedWith
// with an edit, even one changing nothing). Every database is dropped when the benchmark ends.
func BenchmarkProvisioned(b *testing.B) {
	b.Run("template", func(b *testing.B) {
		for b.Loop() {
			d, _, _ := tenancytest.Provisioned(b, db.Config{})
			d.Close() // early, so that the pools of many iterations do not add up
		}
	})
	b.Run("migrated", func(b *testing.B) {
		for b.Loop() {
			d, _, _ := tenancytest.ProvisionedWith(b, db.Config{}, func(*tenancy.Definitions) {})
			d.Close()
		}
	})
}
