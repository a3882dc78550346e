package plan_test

import (
	"context"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

func TestOneServiceServesEachDistrictOnlyItsOwnPlans(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano di Valle Trompia")
	trento := d.in(context.Background(), "trento")
	udpTrento := d.personIn("trento", "udp-trento", "Ufficio di Piano di Trento", "", "udp")

	ps, total, err := d.svc.Plans(trento, udpTrento, plan.PlanFilter{Page: plan.Page{Limit: 100}})
	noError(t, err)
	if total != 0 || len(ps) != 0 {
		t.Fatalf("Trento sees Valle Trompia's plans: %+v", ps)
	}
	_, err = d.svc.Plan(trento, udpTrento, p.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.ObjectiveDetail(trento, udpTrento, o.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Propose(trento, udpTrento, p.ID, "")
	wantCode(t, err, apperr.NotFound)

	// A plan made in Trento gets the same first id, and is Trento's only.
	mine, err := d.svc.CreatePlan(trento, udpTrento, plan.PlanInput{Title: "Piano sociale di comunità", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	if got, err := d.svc.Plan(d.ctx, d.udp, mine.ID); err != nil || got.Title != p.Title {
		t.Errorf("Valle Trompia's plan %d = %+v, %v", mine.ID, got, err)
	}
	if _, total, _ := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{}); total != 1 {
		t.Errorf("Valle Trompia has %d plans, want 1", total)
	}
}

// Nothing reads or writes a district anonymously, nor outside a district: the service fails
// before any SQL is sent.
func TestNoDistrictTransactionWithoutAnActorOrADistrict(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, err := d.svc.CreatePlan(d.ctx, actor.Actor{}, plan.PlanInput{Title: "Anonimo", StartYear: 2024, EndYear: 2026})
	wantCode(t, err, apperr.Internal, "no actor")
	_, _, err = d.svc.Plans(d.ctx, actor.Actor{}, plan.PlanFilter{})
	wantCode(t, err, apperr.Internal, "no actor")
	_, _, err = d.svc.Plans(context.Background(), d.udp, plan.PlanFilter{})
	wantCode(t, err, apperr.Internal, "no district")

	ran := false
	err = tenancy.NewScope(d.db).Tx(d.ctx, actor.Actor{}, func(*tenancy.Tx) error { ran = true; return nil })
	wantCode(t, err, apperr.Internal, "no actor")
	if ran {
		t.Error("the transaction ran for nobody")
	}
	// Even on a pool that cannot connect: the refusal comes first.
	pool, err := db.Open(d.ctx, db.Config{URL: d.url})
	noError(t, err)
	noError(t, pool.Close())
	closed := tenancy.NewScope(pool)
	err = closed.Tx(d.ctx, actor.Actor{}, func(*tenancy.Tx) error { ran = true; return nil })
	wantCode(t, err, apperr.Internal, "no actor")
	if err := closed.Tx(d.ctx, d.udp, func(*tenancy.Tx) error { return nil }); err == nil {
		t.Error("a closed pool opened a transaction: the refusal above proves nothing")
	}

	// A job acts as the system: it may open a transaction, though it may do nothing by role.
	job := actor.System("test")
	if _, _, err := d.svc.Plans(d.ctx, job, plan.PlanFilter{}); err != nil {
		t.Errorf("a system job cannot read: %v", err)
	}
	if _, total, _ := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{}); total != 0 {
		t.Errorf("an anonymous create wrote %d plans", total)
	}
}
