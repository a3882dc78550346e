package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
)

func TestAmendmentShowsBeforeAndAfterWithTheFigures(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	_, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{
		{Year: 2024, SourceCode: "FNPS", StanziatoCents: 10_000_00},
		{Year: 2024, SourceCode: "FNA", StanziatoCents: 5_000_00},
	})
	noError(t, err)
	ind, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Prese in carico", Unit: "n.", Target: ptr(40.0)})
	noError(t, err)
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	_, err = d.svc.ApproveWithDelibera(d.ctx, d.assemblea, p.ID, "", plan.Delibera{Number: "12/2024", Date: "2024-03-12"})
	noError(t, err)

	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "rimodulazione FNPS")
	noError(t, err)
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{
		{Year: 2024, SourceCode: "FNPS", StanziatoCents: 12_500_00},
		{Year: 2025, SourceCode: "FNPS", StanziatoCents: 1_000_00},
	})
	noError(t, err)
	_, err = d.svc.UpdateIndicator(d.ctx, d.udp, ind.ID, func(i *plan.Indicator) error { i.Target = ptr(50.0); return nil })
	noError(t, err)
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, rename("Contrasto alla povertà educativa"))
	noError(t, err)

	as, err := d.svc.Amendments(d.ctx, d.assemblea, p.ID)
	noError(t, err)
	if len(as) != 1 || as[0].ID != a.ID || len(as[0].Changes) != 3 {
		t.Fatalf("amendments = %+v", as)
	}
	got := map[string]plan.FieldDiff{}
	for _, c := range as[0].Changes {
		for _, f := range c.Diff() {
			got[c.Entity+":"+f.Row+":"+f.Field] = f
		}
	}
	want := map[string][2]any{
		"budget:2024 · FNPS:stanziato_cents": {1_000_000.0, 1_250_000.0},
		"budget:2024 · FNA:stanziato_cents":  {500_000.0, nil},
		"budget:2025 · FNPS:stanziato_cents": {nil, 100_000.0},
		"budget::total_stanziato_cents":      {1_500_000.0, 1_350_000.0},
		"indicator::target":                  {40.0, 50.0},
		"objective::title":                   {"Contrasto alla povertà", "Contrasto alla povertà educativa"},
	}
	for k, w := range want {
		f, ok := got[k]
		if !ok || f.Before != w[0] || f.After != w[1] {
			t.Errorf("%s = %+v (present %v), want %v → %v", k, f, ok, w[0], w[1])
		}
	}
	if len(got) != len(want) {
		t.Errorf("diffs = %+v, want only %d", got, len(want))
	}
	if l := as[0].Changes[1].Label(); l != "Prese in carico" {
		t.Errorf("label = %q", l)
	}

	// The plan's allocation: approved and proposed, both stated.
	approved, proposed, touched := as[0].PendingBudget()
	if !touched || approved != 15_000_00 || proposed != 13_500_00 {
		t.Fatalf("pending budget = %d → %d (%v)", approved, proposed, touched)
	}
}
