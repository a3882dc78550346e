package tenancy_test

import (
	"context"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// BenchmarkTenantRead measures the cost of the request path's database access: a district
// transaction (BEGIN, set_config search_path, one query, COMMIT), alternating districts so
// that every call switches schema on a pooled connection.
func BenchmarkTenantRead(b *testing.B) {
	d, _, _ := tenancytest.Provisioned(b, db.Config{})
	reg := tenancy.NewRegistry(d, time.Hour)
	scope := tenancy.NewScope(d)
	ctx := context.Background()
	var ts []tenancy.Tenant
	for _, s := range []string{"valle-trompia", "terre-dargine", "trento"} {
		t, err := reg.Lookup(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		ts = append(ts, t)
	}
	i := 0
	for b.Loop() {
		var n int64
		err := scope.Tx(tenancy.WithTenant(ctx, ts[i%3]), tester, func(tx *tenancy.Tx) error {
			return tx.Raw(`SELECT count(*) FROM municipalities`).Scan(&n).Error
		})
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
		i++
	}
}
