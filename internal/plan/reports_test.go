package plan_test

import (
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// A partner's report counts only once the Ufficio di Piano accepts it: its expenditure then
// adds up against the assignment's budget and its proposed value becomes a measurement.
func TestPartnerReportIsReviewedBeforeItCounts(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	other, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Casa", AreaCode: "B"})
	noError(t, err)
	ind, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Utenti inseriti", Unit: "persone"})
	noError(t, err)
	foreign, err := d.svc.CreateIndicator(d.ctx, d.udp, other.ID, plan.Indicator{Kind: plan.Result, Name: "Alloggi"})
	noError(t, err)
	coopP, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "laquilone", Name: "Coop. L'Aquilone", Kind: "cooperativa"})
	noError(t, err)

	// The assignment has its own date and budget; bad ones are refused naming the field.
	_, err = d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: coopP.ID, Activity: "SAD", AssignedOn: "2024-13-01"})
	wantField(t, err, "assigned_on")
	_, err = d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: coopP.ID, Activity: "SAD", BudgetCents: ptr(int64(-1))})
	wantField(t, err, "budget_cents")
	a, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: coopP.ID, Activity: "SAD", AssignedOn: "2024-02-15", BudgetCents: ptr(int64(1_000_000))})
	noError(t, err)
	if a.AssignedOn == nil || a.AssignedOn.Format(time.DateOnly) != "2024-02-15" || a.BudgetCents == nil || *a.BudgetCents != 1_000_000 {
		t.Fatalf("assignment = %+v", a)
	}
	today, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: coopP.ID, Activity: "ADM"})
	noError(t, err)
	if today.AssignedOn == nil || today.AssignedOn.Format(time.DateOnly) != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("an assignment without a date is entrusted today, got %v", today.AssignedOn)
	}
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	_, err = d.svc.Approve(d.ctx, d.assemblea, p.ID, "")
	noError(t, err)

	coop := d.person("coop-1", "Operatrice", "laquilone", "coop")
	for _, c := range []struct {
		in    plan.ReportInput
		field string
	}{
		{plan.ReportInput{Period: "2024", ProposedValue: ptr(3.0)}, "indicator_id"},
		{plan.ReportInput{Period: "2024", IndicatorID: &ind.ID}, "proposed_value"},
		{plan.ReportInput{Period: "2024", IndicatorID: &foreign.ID, ProposedValue: ptr(3.0)}, "indicator_id"},
		{plan.ReportInput{Period: "2024", IndicatorID: ptr(int64(999999)), ProposedValue: ptr(3.0)}, "indicator_id"},
		{plan.ReportInput{Period: "2024", ExpenditureCents: ptr(int64(-5))}, "expenditure_cents"},
		{plan.ReportInput{Period: "2024", IndicatorID: &ind.ID, ProposedValue: ptr(1e15)}, "proposed_value"},
	} {
		_, err := d.svc.Report(d.ctx, coop, a.ID, c.in)
		wantField(t, err, c.field)
	}

	r, err := d.svc.Report(d.ctx, coop, a.ID, plan.ReportInput{Period: "2024", UsersServed: ptr(12), ExpenditureCents: ptr(int64(400_000)),
		IndicatorID: &ind.ID, ProposedValue: ptr(12.0)})
	noError(t, err)
	if r.Status != plan.ReportSent {
		t.Fatalf("a new report is %q, want inviata", r.Status)
	}
	if ms, _ := d.svc.Measurements(d.ctx, d.udp, ind.ID); len(ms) != 0 {
		t.Errorf("before review the indicator has %d measurements, want none", len(ms))
	}

	// Only the Ufficio di Piano reviews; asking for changes needs a note.
	_, err = d.svc.ReviewReport(d.ctx, coop, r.ID, plan.ReviewInput{Decision: plan.ReviewAccept})
	wantCode(t, err, apperr.Forbidden)
	_, err = d.svc.ReviewReport(d.ctx, d.udp, r.ID, plan.ReviewInput{Decision: "forse"})
	wantField(t, err, "decision")
	_, err = d.svc.ReviewReport(d.ctx, d.udp, r.ID, plan.ReviewInput{Decision: plan.ReviewChanges, Note: " "})
	wantField(t, err, "note")
	r, err = d.svc.ReviewReport(d.ctx, d.udp, r.ID, plan.ReviewInput{Decision: plan.ReviewChanges, Note: "Indicare la spesa del solo 2024"})
	noError(t, err)
	if r.Status != plan.ReportReturned || r.ReviewedBy != d.udp.ID || r.ReviewedAt == nil {
		t.Errorf("returned report = %+v", r)
	}
	_, err = d.svc.ReviewReport(d.ctx, d.udp, r.ID, plan.ReviewInput{Decision: plan.ReviewAccept})
	wantCode(t, err, apperr.Conflict)

	// The partner corrects it: it goes back to review, and is accepted.
	r, err = d.svc.Report(d.ctx, coop, a.ID, plan.ReportInput{Period: "2024", UsersServed: ptr(12), ExpenditureCents: ptr(int64(350_000)),
		IndicatorID: &ind.ID, ProposedValue: ptr(12.0)})
	noError(t, err)
	if r.Status != plan.ReportSent {
		t.Fatalf("a corrected report is %q, want inviata", r.Status)
	}
	_, err = d.svc.Report(d.ctx, coop, a.ID, plan.ReportInput{Period: "2025", ExpenditureCents: ptr(int64(900_000))})
	noError(t, err)
	r, err = d.svc.ReviewReport(d.ctx, d.udp, r.ID, plan.ReviewInput{Decision: plan.ReviewAccept})
	noError(t, err)
	if r.Status != plan.ReportAccepted {
		t.Fatalf("accepted report = %+v", r)
	}
	ms, err := d.svc.Measurements(d.ctx, d.udp, ind.ID)
	noError(t, err)
	if len(ms) != 1 || ms[0].Period != "2024" || ms[0].Value != 12 || ms[0].Source != coopP.Name {
		t.Errorf("measurements after acceptance = %+v", ms)
	}

	// Only accepted expenditure counts against the budget; an accepted report is final.
	rs, err := d.svc.Reports(d.ctx, coop, a.ID)
	noError(t, err)
	if got := plan.SpentCents(rs); got != 350_000 {
		t.Errorf("spent = %d cents, want 350000 (the 2025 report is not accepted yet)", got)
	}
	_, err = d.svc.Report(d.ctx, coop, a.ID, plan.ReportInput{Period: "2024", UsersServed: ptr(99)})
	wantCode(t, err, apperr.Conflict)
	_, err = d.svc.ReviewReport(d.ctx, d.udp, 999999, plan.ReviewInput{Decision: plan.ReviewAccept})
	wantCode(t, err, apperr.NotFound)
}

// An imported assignment keeps the date the documents give it, never the day of the import;
// without one it has none.
func TestImportKeepsTheAssignmentsOwnDate(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	bad := func(o *plan.ImportObjective) {
		o.Assignments = []plan.ImportAssignment{{Partner: "laquilone", Activity: "CSE", AssignedOn: "2021-02-30"}}
	}
	_, err := d.svc.Import(d.ctx, importer, smallImport(nil, bad))
	wantField(t, err, "plans[0].objectives[2].assignments[0].assigned_on")
	good := func(o *plan.ImportObjective) {
		o.Assignments = []plan.ImportAssignment{
			{Partner: "laquilone", Activity: "CSE", AssignedOn: "2021-03-01", Budget: ptr(1500.5)},
			{Partner: "laquilone", Activity: "SAD"},
		}
	}
	_, err = d.svc.Import(d.ctx, importer, smallImport(nil, good))
	noError(t, err)
	as, _, err := d.svc.Assignments(d.ctx, d.udp, 0, plan.Page{Limit: 10})
	noError(t, err)
	if len(as) != 2 {
		t.Fatalf("%d assignments, want 2", len(as))
	}
	if a := as[0]; a.AssignedOn == nil || a.AssignedOn.Format(time.DateOnly) != "2021-03-01" || a.BudgetCents == nil || *a.BudgetCents != 150050 {
		t.Errorf("imported with a date and budget: %+v", a)
	}
	if a := as[1]; a.AssignedOn != nil || a.BudgetCents != nil {
		t.Errorf("imported without a date: %+v, want none (not the day of the import)", a)
	}
}
