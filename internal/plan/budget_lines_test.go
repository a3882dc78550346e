package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// budgetOf reads an objective's stored budget.
func (d *district) budgetOf(objectiveID int64) []plan.BudgetLine {
	d.t.Helper()
	od, err := d.svc.ObjectiveDetail(d.ctx, d.udp, objectiveID)
	noError(d.t, err)
	return od.Budget
}

func TestSetBudgetWritesAllLinesOrNone(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, o := d.draft("Piano")
	first := []plan.BudgetLineInput{
		{Year: 2024, SourceCode: "FNPS", StanziatoCents: 100_000_00, ImpegnatoCents: 40_000_00, LiquidatoCents: 10_000_00, Note: " delibera 3 "},
		{Year: 2024, SourceCode: "FNA", StanziatoCents: 50_000_00},
	}
	got, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, first)
	noError(t, err)
	if len(got) != 2 || got[0].Note != "delibera 3" || got[0].ObjectiveID != o.ID {
		t.Fatalf("budget = %+v", got)
	}

	good := plan.BudgetLineInput{Year: 2025, SourceCode: "FNPS", StanziatoCents: 1}
	for _, c := range []struct {
		name  string
		bad   plan.BudgetLineInput
		field string
	}{
		{"paid beyond committed", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", StanziatoCents: 10, ImpegnatoCents: 5, LiquidatoCents: 6}, "lines[1].liquidato_cents"},
		{"unknown source", plan.BudgetLineInput{Year: 2025, SourceCode: "FONDO_INESISTENTE", StanziatoCents: 10}, "lines[1].source_code"},
		{"no source", plan.BudgetLineInput{Year: 2025, StanziatoCents: 10}, "lines[1].source_code"},
		{"repeated line", good, "lines[1].source_code"},
		{"year out of range", plan.BudgetLineInput{Year: 1999, SourceCode: "FNA"}, "lines[1].year"},
		{"negative allocation", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", StanziatoCents: -1}, "lines[1].stanziato_cents"},
		{"negative commitment", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", ImpegnatoCents: -1}, "lines[1].impegnato_cents"},
		{"negative payment", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", LiquidatoCents: -1}, "lines[1].liquidato_cents"},
		{"allocation beyond a billion euros", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", StanziatoCents: 100_000_000_001}, "lines[1].stanziato_cents"},
		{"commitment beyond a billion euros", plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", ImpegnatoCents: 100_000_000_001}, "lines[1].impegnato_cents"},
	} {
		_, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{good, c.bad})
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want invalid %s", c.name, err, c.field)
		}
	}
	stored := d.budgetOf(o.ID)
	if len(stored) != 2 || stored[0].Year != 2024 || stored[1].Year != 2024 {
		t.Fatalf("a refused budget changed the stored one: %+v", stored)
	}

	// An empty budget clears it.
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, nil)
	noError(t, err)
	if b := d.budgetOf(o.ID); len(b) != 0 {
		t.Errorf("budget after clearing = %+v", b)
	}
	_, err = d.svc.SetBudget(d.ctx, d.udp, 999999, first)
	wantCode(t, err, apperr.NotFound)
}

// Allocations are plan content (an approved plan changes them only in an amendment); spending
// is monitoring (recorded on an approved or closed plan without one, frozen while proposed).
func TestBudgetAllocationNeedsAnAmendmentSpendingDoesNot(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	_, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 100_000_00}})
	noError(t, err)
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)

	spent := []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 100_000_00, ImpegnatoCents: 60_000_00, LiquidatoCents: 20_000_00}}
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, spent)
	wantCode(t, err, apperr.Conflict, "before the Assemblea")

	_, err = d.svc.Approve(d.ctx, d.assemblea, p.ID, "")
	noError(t, err)
	got, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, spent)
	noError(t, err)
	if len(got) != 1 || got[0].ImpegnatoCents != 60_000_00 || got[0].LiquidatoCents != 20_000_00 {
		t.Fatalf("spending recorded as %+v", got)
	}

	moreMoney := []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 120_000_00, ImpegnatoCents: 60_000_00, LiquidatoCents: 20_000_00}}
	newLine := append(spent[:1:1], plan.BudgetLineInput{Year: 2025, SourceCode: "FNA", StanziatoCents: 1})
	for _, lines := range [][]plan.BudgetLineInput{moreMoney, newLine, nil} {
		_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, lines)
		wantCode(t, err, apperr.Conflict, "open an amendment")
	}
	if b := d.budgetOf(o.ID); len(b) != 1 || b[0].StanziatoCents != 100_000_00 {
		t.Fatalf("a refused allocation was written: %+v", b)
	}

	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "più risorse")
	noError(t, err)
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, moreMoney)
	noError(t, err)
	as, err := d.svc.Amendments(d.ctx, d.udp, p.ID)
	noError(t, err)
	if len(as) != 1 || as[0].ID != a.ID || len(as[0].Changes) != 1 || as[0].Changes[0].Entity != "budget" || as[0].Changes[0].EntityID != o.ID {
		t.Fatalf("the allocation was not recorded in the amendment: %+v", as)
	}

	// After the triennium, spending is still recorded, allocations are not.
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	noError(t, err)
	_, err = d.svc.ApproveAmendment(d.ctx, d.assemblea, p.ID, a.ID, "")
	noError(t, err)
	_, err = d.svc.Close(d.ctx, d.assemblea, p.ID, "")
	noError(t, err)
	paid := []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 120_000_00, ImpegnatoCents: 60_000_00, LiquidatoCents: 60_000_00}}
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, paid)
	noError(t, err)
	paid[0].StanziatoCents++
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, paid)
	wantCode(t, err, apperr.Conflict, "closed")
}
