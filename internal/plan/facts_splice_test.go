package plan_test

import (
	"reflect"
	"testing"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// A write inside one plan recomputes that plan only and splices it into the district's facts
// (plus the plans bound to the pathways, whose figures may have moved meanwhile): after every
// kind of write, the stored section equals what `ambiti facts rebuild` computes from scratch.
func TestSplicedFactsEqualAFullRecompute(t *testing.T) {
	t.Parallel()
	d, f := boundDistrict(t)
	vt, err := tenancy.NewRegistry(d.db, 0).Lookup(d.ctx, d.slug)
	noError(t, err)
	stored := func() (facts.PlanSummary, facts.PlanDetail) {
		t.Helper()
		dd, ok, err := f.store.District(d.ctx, "lombardia", d.slug)
		if err != nil || !ok {
			t.Fatalf("no facts: %v %v", ok, err)
		}
		var sum facts.PlanSummary
		var det facts.PlanDetail
		if ok, err := dd.Sections[facts.PlanSection].Decode(facts.PlanVersion, &sum, &det); !ok || err != nil {
			t.Fatalf("no plan section: %v %v", ok, err)
		}
		return sum, det
	}
	check := func(step string) {
		t.Helper()
		sum, det := stored()
		noError(t, f.store.Rebuild(d.ctx, []tenancy.Tenant{vt}))
		wantSum, wantDet := stored()
		if !reflect.DeepEqual(sum, wantSum) {
			t.Errorf("%s: summary\n got %+v\nwant %+v", step, sum, wantSum)
		}
		if !reflect.DeepEqual(det, wantDet) {
			t.Errorf("%s: detail\n got %+v\nwant %+v", step, det, wantDet)
		}
	}
	ptr := func(v float64) *float64 { return &v }

	a, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023})
	noError(t, err)
	o, err := d.svc.CreateObjective(d.ctx, d.udp, a.ID, plan.Objective{Title: "Reddito", AreaCode: "A"})
	noError(t, err)
	check("an objective created")
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(o *plan.Objective) error { o.Title, o.AreaCode = "Reddito minimo", "I"; return nil })
	noError(t, err)
	check("an objective edited")
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Famiglie", Baseline: ptr(10), Target: ptr(50)})
	noError(t, err)
	check("an indicator created")
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2022", Value: ptr(30)})
	noError(t, err)
	check("a measurement")
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{{Year: 2022, SourceCode: "FNPS", StanziatoCents: 100_000, ImpegnatoCents: 40_000}})
	noError(t, err)
	check("the budget")
	ach := 85
	_, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2022, func(e *plan.Evaluation) error { e.AchievementPct = &ach; return nil })
	noError(t, err)
	check("an evaluation")

	// A second plan, one of its indicators bound to the pathways.
	b, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano COPE", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	check("a second plan")
	ob, err := d.svc.CreateObjective(d.ctx, d.udp, b.ID, plan.Objective{Title: "Giovani NEET", AreaCode: "A"})
	noError(t, err)
	_, err = d.svc.CreateIndicator(d.ctx, d.udp, ob.ID, plan.Indicator{Kind: plan.Result, Name: "Giovani agganciati", Target: ptr(5),
		Binding: plan.Binding{Programme: "cope", Figure: "engaged"}})
	noError(t, err)
	check("a bound indicator")
	// The pathways move: the bound plan's facts change at the next write of ANY plan, as a full
	// recompute would have them.
	for range 6 {
		f.pathway("", "2024-03-10", "", "", "")
	}
	f.refresh()
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(o *plan.Objective) error { o.Title = "Reddito di base"; return nil })
	noError(t, err)
	check("the other plan edited after the pathways moved")

	// The first plan approved; its monitoring goes on.
	_, err = d.svc.Propose(d.ctx, d.udp, a.ID, "")
	noError(t, err)
	_, err = d.svc.Approve(d.ctx, d.assemblea, a.ID, "")
	noError(t, err)
	check("a plan approved")
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2023", Value: ptr(55)})
	noError(t, err)
	check("a measurement of the approved plan")
	noError(t, d.svc.DeleteObjective(d.ctx, d.udp, ob.ID))
	check("an objective deleted")
}
