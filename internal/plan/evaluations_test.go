package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

func set(f func(e *plan.Evaluation)) plan.Edit[plan.Evaluation] {
	return func(e *plan.Evaluation) error { f(e); return nil }
}

func TestEvaluationProposesTheResourceMatchFromTheBudget(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, o := d.draft("Piano")
	_, err := d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{
		{Year: 2024, SourceCode: "FNPS", StanziatoCents: 300_00, ImpegnatoCents: 100_00},
		{Year: 2024, SourceCode: "FNA", StanziatoCents: 0, ImpegnatoCents: 100_00},
		{Year: 2025, SourceCode: "FNPS", StanziatoCents: 100_00, ImpegnatoCents: 250_00},
	})
	noError(t, err)

	// 2024: 200 committed of 300 allocated, 66.7% → 67.
	e, err := d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2024, set(func(e *plan.Evaluation) { e.AchievementPct = ptr(80) }))
	noError(t, err)
	if e.ResourceMatchPct == nil || *e.ResourceMatchPct != 67 || e.UpdatedBy != d.udp.ID || e.Year != 2024 {
		t.Errorf("2024 sheet = %+v, want a proposed resource match of 67", e)
	}
	// 2025: more committed than allocated; the match stops at 100.
	e, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2025, set(func(*plan.Evaluation) {}))
	noError(t, err)
	if e.ResourceMatchPct == nil || *e.ResourceMatchPct != 100 {
		t.Errorf("2025 sheet = %+v, want a resource match of 100", e)
	}
	// 2026: no budget, nothing to propose.
	e, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2026, set(func(*plan.Evaluation) {}))
	noError(t, err)
	if e.ResourceMatchPct != nil {
		t.Errorf("2026 sheet proposes %d without a budget", *e.ResourceMatchPct)
	}
	// What the evaluator says wins over the proposal.
	e, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2024, set(func(e *plan.Evaluation) {
		e.ResourceMatchPct, e.NeedMet = ptr(50), "in_parte"
	}))
	noError(t, err)
	if *e.ResourceMatchPct != 50 || e.AchievementPct == nil || *e.AchievementPct != 80 || e.NeedMet != "in_parte" {
		t.Errorf("corrected 2024 sheet = %+v", e)
	}

	es, err := d.svc.Evaluations(d.ctx, d.udp, o.ID)
	noError(t, err)
	if len(es) != 3 || es[0].Year != 2024 || es[1].Year != 2025 || es[2].Year != 2026 || *es[0].ResourceMatchPct != 50 {
		t.Errorf("sheets = %+v, want one a year, the 2024 one corrected", es)
	}
}

func TestEvaluationRefusesValuesOutOfRange(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	for _, c := range []struct {
		edit  func(e *plan.Evaluation)
		field string
	}{
		{func(e *plan.Evaluation) { e.AchievementPct = ptr(101) }, "achievement_pct"},
		{func(e *plan.Evaluation) { e.AchievementPct = ptr(-1) }, "achievement_pct"},
		{func(e *plan.Evaluation) { e.ResourceMatchPct = ptr(120) }, "resource_match_pct"},
		{func(e *plan.Evaluation) { e.UserEvaluation = "ottima" }, "user_evaluation"},
		{func(e *plan.Evaluation) { e.NeedMet = "forse" }, "need_met"},
	} {
		_, err := d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2024, set(c.edit))
		wantField(t, err, c.field)
	}
	_, err := d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 1999, set(func(*plan.Evaluation) {}))
	wantField(t, err, "year")
	if es, _ := d.svc.Evaluations(d.ctx, d.udp, o.ID); len(es) != 0 {
		t.Errorf("refused sheets were written: %+v", es)
	}

	// While the Assemblea examines the plan, monitoring waits.
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	_, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2024, set(func(e *plan.Evaluation) { e.AchievementPct = ptr(10) }))
	wantCode(t, err, apperr.Conflict, "before the Assemblea")
}
