package audit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// WriteAudit's cost: a district transaction recording n accesses (lock the chain's head, hash
// and insert n rows, move the head) against the same transaction with no access, which writes
// nothing and never touches the chain (the difference is the audit's own cost).
//
//	go test -run '^$' -bench WriteAudit -benchtime 50x ./internal/audit/
func BenchmarkWriteAudit(b *testing.B) {
	d, _, _ := tenancytest.Provisioned(b, db.Config{})
	ts, err := tenancy.NewRegistry(d, 0).List(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var ctx context.Context
	for _, x := range ts {
		if x.Slug == "valle-trompia" {
			ctx = tenancy.WithTenant(actor.WithRequestID(context.Background(), "req-bench"), x)
		}
	}
	scope := tenancy.NewScope(d).Audited(audit.Writer{})
	worker := actor.New("lw-1", "Lucia Link", "", "valle-trompia", []string{"link_worker"}, nil, nil)
	for _, n := range []int{0, 1, 20} {
		b.Run(fmt.Sprintf("accesses=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := scope.Tx(ctx, worker, func(tx *tenancy.Tx) error {
					for j := 0; j < n; j++ {
						tx.Audit(tenancy.Access{Subject: "00000000-0000-0000-0000-000000000001", What: "persona", Action: "list", Detail: fmt.Sprint(j)})
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
