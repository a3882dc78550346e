package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// trail is a fresh database with the demo districts and the Scope as services holding personal
// data are built on (audited by audit.Writer), plus a plain one.
type trail struct {
	d       *db.DB
	audited *tenancy.Scope
	plain   *tenancy.Scope
	ctx     context.Context
	tenants map[string]tenancy.Tenant
	worker  actor.Actor // a link worker of valle-trompia
}

func newTrail(t *testing.T) *trail {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr := &trail{d: d, audited: tenancy.NewScope(d).Audited(audit.Writer{}), plain: tenancy.NewScope(d),
		tenants: map[string]tenancy.Tenant{},
		worker:  actor.New("lw-1", "Lucia Link", "", "valle-trompia", []string{"coordinatore", "link_worker"}, nil, nil)}
	for _, x := range ts {
		tr.tenants[x.Slug] = x
	}
	tr.ctx = tenancy.WithTenant(actor.WithRequestID(ctx, "req-42"), tr.tenants["valle-trompia"])
	// A table of the district standing for a feature's data, written beside the accesses.
	tr.su(t, "valle-trompia", false, "CREATE TABLE probe (x int)")
	return tr
}

// su runs statements as the test connection's superuser in slug's schema, with the user
// triggers off when bypass (what an attacker with that power would do).
func (tr *trail) su(t *testing.T, slug string, bypass bool, stmts ...string) error {
	t.Helper()
	schema, _ := tenancy.SchemaName(slug)
	return tr.d.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		if bypass {
			if err := g.Exec("SET LOCAL session_replication_role = replica").Error; err != nil {
				return err
			}
		}
		for _, s := range stmts {
			if err := g.Exec(s).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// mustSU is su that must succeed.
func (tr *trail) mustSU(t *testing.T, slug string, bypass bool, stmts ...string) {
	t.Helper()
	if err := tr.su(t, slug, bypass, stmts...); err != nil {
		t.Fatal(err)
	}
}

// count returns a count(*) in slug's schema.
func (tr *trail) count(t *testing.T, slug, table string) int64 {
	t.Helper()
	var n int64
	schema, _ := tenancy.SchemaName(slug)
	if err := tr.d.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		return g.Table(table).Count(&n).Error
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// access records n accesses to subject in one transaction of slug.
func (tr *trail) access(t *testing.T, slug, subject string, n int) {
	t.Helper()
	ctx := tenancy.WithTenant(tr.ctx, tr.tenants[slug])
	if err := tr.audited.Tx(ctx, tr.worker, func(tx *tenancy.Tx) error {
		for i := range n {
			tx.Audit(tenancy.Access{Subject: subject, What: "persona", Action: "read", Detail: fmt.Sprint(i)})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func (tr *trail) verify(t *testing.T, slug string) audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), tr.plain, tr.tenants[slug], actor.System("audit-verify"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAccessesAreWrittenInTheTransactionThatMadeThem(t *testing.T) {
	tr := newTrail(t)
	err := tr.audited.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
		tx.Audit(tenancy.Access{Subject: "p-1", What: "persona", Action: "create", Detail: "scheda"})
		tx.Audit(tenancy.Access{Subject: "p-1", What: "percorso", Action: "create"})
		if err := tx.Exec("INSERT INTO probe VALUES (1)").Error; err != nil {
			return err
		}
		var n int64 // nothing is written before the transaction ends
		if err := tx.Table("audit_log").Count(&n).Error; err != nil || n != 0 {
			t.Errorf("audit rows before commit: %d, %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var page audit.Page
	dpo := actor.New("dpo-1", "DPO", "", "valle-trompia", []string{"dpo"}, nil, func(o, a string) bool { return o == "audit" && a == "read" })
	if err := tr.audited.Tx(tr.ctx, dpo, func(tx *tenancy.Tx) error {
		page, err = audit.Search(tx, audit.Filter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || len(page.Items) != 2 {
		t.Fatalf("trail: %+v", page)
	}
	e := page.Items[1] // newest first
	if e.Seq != 1 || e.ActorID != "lw-1" || e.ActorName != "Lucia Link" || e.Roles != "coordinatore,link_worker" ||
		e.Subject != "p-1" || e.What != "persona" || e.Action != "create" || e.Detail != "scheda" || e.RequestID != "req-42" {
		t.Errorf("first row: %+v", e)
	}
	if r := tr.verify(t, "valle-trompia"); r.Break != nil || r.Rows != 2 || r.Head != 2 {
		t.Errorf("verify: %s", r)
	}
}

func TestARolledBackTransactionLeavesNoAuditRow(t *testing.T) {
	tr := newTrail(t)
	boom := errors.New("boom")
	err := tr.audited.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
		tx.Audit(tenancy.Access{Subject: "p-1", What: "persona", Action: "read"})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n := tr.count(t, "valle-trompia", "audit_log"); n != 0 {
		t.Errorf("%d audit rows after a rollback", n)
	}
	if r := tr.verify(t, "valle-trompia"); r.Break != nil || r.Head != 0 {
		t.Errorf("verify: %s", r)
	}
}

func TestAnAccessWithoutAnAuditWriterFailsTheTransaction(t *testing.T) {
	tr := newTrail(t)
	err := tr.plain.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
		tx.Audit(tenancy.Access{Subject: "p-1", What: "persona", Action: "read"})
		return tx.Exec("INSERT INTO probe VALUES (1)").Error
	})
	if err == nil {
		t.Fatal("an access through a Scope without writer committed")
	}
	if n := tr.count(t, "valle-trompia", "probe"); n != 0 {
		t.Errorf("the transaction's write survived: %d rows", n)
	}
	// Without an access, the plain Scope is as before.
	if err := tr.plain.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error { return tx.Exec("INSERT INTO probe VALUES (1)").Error }); err != nil {
		t.Fatal(err)
	}
}

func TestAFailedAuditWriteFailsTheWholeTransaction(t *testing.T) {
	tr := newTrail(t)
	tr.mustSU(t, "valle-trompia", false, "DELETE FROM audit_head")
	err := tr.audited.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
		tx.Audit(tenancy.Access{Subject: "p-1", What: "persona", Action: "update"})
		return tx.Exec("INSERT INTO probe VALUES (1)").Error
	})
	if err == nil {
		t.Fatal("the transaction committed without its audit row")
	}
	if n := tr.count(t, "valle-trompia", "probe"); n != 0 {
		t.Errorf("the transaction's write survived: %d rows", n)
	}
	if n := tr.count(t, "valle-trompia", "audit_log"); n != 0 {
		t.Errorf("%d audit rows", n)
	}
}

func TestTheTrailRefusesChangesEvenFromTheSuperuser(t *testing.T) {
	tr := newTrail(t)
	tr.access(t, "valle-trompia", "p-1", 2)
	for _, stmt := range []string{
		"UPDATE audit_log SET what = 'altro' WHERE seq = 1",
		"DELETE FROM audit_log WHERE seq = 2",
		"TRUNCATE audit_log",
	} {
		err := tr.su(t, "valle-trompia", false, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	if r := tr.verify(t, "valle-trompia"); r.Break != nil || r.Rows != 2 {
		t.Errorf("verify: %s", r)
	}
}

func TestConcurrentWritersMakeOneGapFreeChain(t *testing.T) {
	tr := newTrail(t)
	const writers, txs, per = 4, 5, 2
	var wg sync.WaitGroup
	errs := make(chan error, writers*txs)
	for w := range writers {
		wg.Go(func() {
			for i := range txs {
				errs <- tr.audited.Tx(tr.ctx, tr.worker, func(tx *tenancy.Tx) error {
					for j := range per {
						tx.Audit(tenancy.Access{Subject: fmt.Sprintf("p-%d", w), What: "persona", Action: "read", Detail: fmt.Sprint(i, j)})
					}
					return nil
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if r := tr.verify(t, "valle-trompia"); r.Break != nil || r.Rows != writers*txs*per || r.Head != writers*txs*per {
		t.Errorf("verify: %s (head %d)", r, r.Head)
	}
}

func TestVerifyFindsTheFirstBreak(t *testing.T) {
	tr := newTrail(t)
	for _, slug := range []string{"valle-trompia", "terre-dargine", "trento"} {
		for range 5 {
			tr.access(t, slug, "p-1", 1)
		}
		if r := tr.verify(t, slug); r.Break != nil || r.Rows != 5 {
			t.Fatalf("before tampering: %s", r)
		}
	}
	// Behind the triggers' back, as only a superuser can.
	tr.mustSU(t, "valle-trompia", true, "DELETE FROM audit_log WHERE seq = 3")
	tr.mustSU(t, "terre-dargine", true, "UPDATE audit_log SET what = 'percorso' WHERE seq = 4")
	tr.mustSU(t, "trento", true, "DELETE FROM audit_log WHERE seq = 5")
	for slug, want := range map[string]audit.Break{
		"valle-trompia": {Kind: audit.Missing, Seq: 3},
		"terre-dargine": {Kind: audit.Altered, Seq: 4},
		"trento":        {Kind: audit.Truncated, Seq: 5},
	} {
		r := tr.verify(t, slug)
		if r.Break == nil || *r.Break != want {
			t.Errorf("%s: %s, want %+v", slug, r, want)
			continue
		}
		if line := r.String(); !strings.Contains(line, slug) || !strings.Contains(line, fmt.Sprintf("seq %d", want.Seq)) {
			t.Errorf("%s: the line names neither district nor seq: %s", slug, line)
		}
	}
}

// The trail is read in batches: a chain longer than one batch is checked to its end.
func TestVerifyWalksAChainLongerThanABatch(t *testing.T) {
	tr := newTrail(t)
	tr.access(t, "valle-trompia", "p-1", 2500)
	if r := tr.verify(t, "valle-trompia"); r.Break != nil || r.Rows != 2500 {
		t.Fatalf("verify: %s", r)
	}
	tr.mustSU(t, "valle-trompia", true, "UPDATE audit_log SET detail = 'x' WHERE seq = 2001")
	if r := tr.verify(t, "valle-trompia"); r.Break == nil || *r.Break != (audit.Break{Kind: audit.Altered, Seq: 2001}) {
		t.Errorf("verify: %s", r)
	}
}
