package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// TestNextTrienniumStartsFromTheLast: a new draft plan copies the previous plan's objectives
// (those the evaluation does not mark «non riproposto», or those chosen), marked as proposed
// again, with their indicators (no measurements, bindings kept) and assignments; budget and
// evaluations stay behind; bad input names the field and writes nothing.
func TestNextTrienniumStartsFromTheLast(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o1 := d.draft("Piano di Zona 2024-2026")
	o2, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Sportello casa", AreaCode: "A", Marker: plan.Innovative})
	noError(t, err)
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o1.ID, plan.Indicator{Kind: plan.Result, Name: "Nuclei sostenuti", Unit: "n.",
		Baseline: ptr(5.0), Target: ptr(40.0), BaselineNote: "dato 2023"})
	noError(t, err)
	partner, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "coop-aurora", Name: "Cooperativa Aurora", Kind: "cooperativa"})
	noError(t, err)
	_, err = d.svc.Assign(d.ctx, d.udp, o1.ID, plan.AssignmentInput{PartnerID: partner.ID, Activity: "Tutoraggio economico"})
	noError(t, err)
	_, err = d.svc.SetBudget(d.ctx, d.udp, o1.ID, []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 100000}})
	noError(t, err)
	if _, err := d.svc.Propose(d.ctx, d.udp, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.Approve(d.ctx, d.assemblea, p.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, in.ID, plan.MeasurementInput{Period: "2025", Value: ptr(30.0)})
	noError(t, err)
	_, err = d.svc.SetEvaluation(d.ctx, d.udp, o2.ID, 2025, func(e *plan.Evaluation) error { e.ProposedAgain = ptr(false); return nil })
	noError(t, err)

	for _, c := range []struct {
		name  string
		in    plan.CopyInput
		field string
	}{
		{"overlapping years", plan.CopyInput{PlanInput: plan.PlanInput{Title: "Nuovo", StartYear: 2026, EndYear: 2028}}, "start_year"},
		{"no title", plan.CopyInput{PlanInput: plan.PlanInput{Title: " ", StartYear: 2027, EndYear: 2029}}, "title"},
		{"objective of another plan", plan.CopyInput{PlanInput: plan.PlanInput{Title: "Nuovo", StartYear: 2027, EndYear: 2029}, Objectives: []int64{o1.ID + 1000}}, "objectives"},
	} {
		_, err := d.svc.CopyPlan(d.ctx, d.udp, p.ID, c.in)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want invalid %s", c.name, err, c.field)
		}
	}
	if _, total, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{Page: plan.Page{Limit: 10}}); err != nil || total != 1 {
		t.Fatalf("a refused copy wrote a plan: %d plans, %v", total, err)
	}

	next, err := d.svc.CopyPlan(d.ctx, d.udp, p.ID, plan.CopyInput{PlanInput: plan.PlanInput{Title: "Piano di Zona 2027-2029", StartYear: 2027, EndYear: 2029}})
	noError(t, err)
	if next.Status != plan.Draft || next.StartYear != 2027 || next.ID == p.ID {
		t.Errorf("new plan = %+v", next)
	}
	dos, err := d.svc.Dossier(d.ctx, d.udp, next.ID)
	noError(t, err)
	if len(dos.Objectives) != 1 {
		t.Fatalf("copied %d objectives, want 1 (the other is «non riproposto»)", len(dos.Objectives))
	}
	c := dos.Objectives[0]
	if c.Title != o1.Title || c.RipropostoDa == nil || *c.RipropostoDa != o1.ID || !c.ContinuityPrevious || c.Marker != plan.Continuing || c.ID == o1.ID {
		t.Errorf("copied objective = %+v", c.Objective)
	}
	if len(c.Indicators) != 1 || c.Indicators[0].Name != "Nuclei sostenuti" || *c.Indicators[0].Target != 40 || *c.Indicators[0].Baseline != 5 ||
		c.Indicators[0].Latest != nil || len(c.Indicators[0].Series) != 0 || c.Indicators[0].ID == in.ID {
		t.Errorf("copied indicators = %+v", c.Indicators)
	}
	if len(c.Assignments) != 1 || c.Assignments[0].Activity != "Tutoraggio economico" || c.Assignments[0].PartnerID != partner.ID {
		t.Errorf("copied assignments = %+v", c.Assignments)
	}
	if len(c.Budget) != 0 || len(c.Evaluations) != 0 {
		t.Errorf("budget or evaluations were copied: %+v %+v", c.Budget, c.Evaluations)
	}
	// The previous plan keeps its own.
	old, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o1.ID)
	noError(t, err)
	if len(old.Indicators[0].Series) != 1 || len(old.Budget) != 1 {
		t.Errorf("the previous plan changed: %+v", old)
	}
	h, err := d.svc.PlanHistory(d.ctx, d.udp, next.ID)
	noError(t, err)
	if len(h.Log) != 1 || h.Log[0].Operation != "copy" || h.Log[0].Label != o1.Title {
		t.Errorf("the new plan's log = %+v", h.Log)
	}

	// Chosen by hand: the other one.
	again, err := d.svc.CopyPlan(d.ctx, d.udp, p.ID, plan.CopyInput{PlanInput: plan.PlanInput{Title: "Alternativa", StartYear: 2027, EndYear: 2029}, Objectives: []int64{o2.ID}})
	noError(t, err)
	os, _, err := d.svc.Objectives(d.ctx, d.udp, again.ID, plan.ObjectiveFilter{Page: plan.Page{Limit: 10}})
	noError(t, err)
	if len(os) != 1 || os[0].Title != "Sportello casa" || os[0].RipropostoDa == nil || *os[0].RipropostoDa != o2.ID {
		t.Errorf("chosen copy = %+v", os)
	}
	// A created objective is never marked as proposed again by its caller.
	fresh, err := d.svc.CreateObjective(d.ctx, d.udp, again.ID, plan.Objective{Title: "Nuovo", AreaCode: "A", RipropostoDa: ptr(o1.ID)})
	noError(t, err)
	if fresh.RipropostoDa != nil {
		t.Errorf("created objective marked riproposto: %+v", fresh)
	}
}
