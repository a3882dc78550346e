package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/migrations"
)

// BenchmarkCreateSchema creates one district schema per iteration, with goose (Migrate, a
// connection of its own, migration by migration) and with the script (Bulk), one at a time,
// so the two are compared on the same machine in the same run.
func BenchmarkCreateSchema(b *testing.B) {
	d, _ := dbtest.Open(b, db.Config{})
	ctx := context.Background()
	n := 0
	b.Run("goose", func(b *testing.B) {
		for b.Loop() {
			n++
			if _, err := d.Migrate(ctx, fmt.Sprintf("t_bench_%d", n), migrations.Tenant(), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("script", func(b *testing.B) {
		c, err := d.NewBulk(migrations.Tenant(), 1)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		for b.Loop() {
			n++
			if _, err := c.Create(ctx, fmt.Sprintf("t_bench_%d", n), nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
