package plan_test

import (
	"context"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// benchDistrict is a fresh database with Valle Trompia in the returned context and an Ufficio
// di Piano actor allowed everything: a benchmark's district, without the test fixture's
// one-minute deadline and real grants (newDistrict), which would weigh on what is measured.
func benchDistrict(b *testing.B) (*db.DB, context.Context, actor.Actor) {
	b.Helper()
	d, _, _ := tenancytest.Provisioned(b, db.Config{})
	ctx := context.Background()
	t, err := tenancy.NewRegistry(d, 0).Lookup(ctx, "valle-trompia")
	if err != nil {
		b.Fatal(err)
	}
	who := actor.New("udp-1", "Ufficio di Piano", "", "valle-trompia", []string{"udp"}, nil, func(string, string) bool { return true })
	return d, tenancy.WithTenant(ctx, t), who
}
