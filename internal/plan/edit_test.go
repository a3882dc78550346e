package plan_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// An Edit sees the stored value, may change what callers may change, and writes nothing when it
// fails or when the result breaks a rule.
func TestEditAppliesToTheStoredValueAndKeepsWhatCallersMayNotChange(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	other, _ := d.draft("Altro piano")
	o, err := d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(cur *plan.Objective) error {
		cur.Target = "famiglie"
		return nil
	})
	noError(t, err)

	var seen plan.Objective
	got, err := d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(cur *plan.Objective) error {
		seen = *cur
		cur.ID, cur.PlanID, cur.CreatedAt = 424242, other.ID, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		cur.Description = "nuova descrizione"
		return nil
	})
	noError(t, err)
	if seen.ID != o.ID || seen.Target != "famiglie" || seen.Title != o.Title {
		t.Errorf("the edit saw %+v, not the stored objective", seen)
	}
	stored, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	noError(t, err)
	if got.ID != o.ID || stored.PlanID != p.ID || !stored.CreatedAt.Equal(o.CreatedAt) || stored.Description != "nuova descrizione" || stored.Target != "famiglie" {
		t.Errorf("after the edit: returned %+v, stored %+v", got, stored.Objective)
	}

	// An edit that fails writes nothing, and its error comes back as it was.
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(cur *plan.Objective) error {
		cur.Title = "non scritto"
		return errIgnored
	})
	if !errors.Is(err, errIgnored) {
		t.Fatalf("error = %v, want the edit's", err)
	}
	// One whose result is invalid writes nothing either.
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, func(cur *plan.Objective) error {
		cur.Description, cur.AreaCode = "non scritta", "Z"
		return nil
	})
	wantField(t, err, "area_code")
	after, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	noError(t, err)
	if after.Title != o.Title || after.Description != "nuova descrizione" || after.AreaCode != "A" {
		t.Errorf("a refused edit was written: %+v", after.Objective)
	}

	// The same holds for indicators and evaluation sheets.
	ind, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Outcome, Name: "Esiti", Target: ptr(10.0)})
	noError(t, err)
	_, err = d.svc.UpdateIndicator(d.ctx, d.udp, ind.ID, func(cur *plan.Indicator) error { cur.Name = "x"; return errIgnored })
	if !errors.Is(err, errIgnored) {
		t.Fatalf("error = %v, want the edit's", err)
	}
	_, err = d.svc.UpdateIndicator(d.ctx, d.udp, ind.ID, func(cur *plan.Indicator) error { cur.Kind = "altro"; return nil })
	wantField(t, err, "kind")
	ind2, err := d.svc.UpdateIndicator(d.ctx, d.udp, ind.ID, func(cur *plan.Indicator) error {
		cur.ObjectiveID, cur.Unit = 999999, "n."
		return nil
	})
	noError(t, err)
	if ind2.ObjectiveID != o.ID || ind2.Name != "Esiti" || ind2.Unit != "n." || ind2.Target == nil || *ind2.Target != 10 {
		t.Errorf("indicator after edit = %+v", ind2)
	}

	_, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, 2024, func(e *plan.Evaluation) error { e.Issues = "x"; return errIgnored })
	if !errors.Is(err, errIgnored) {
		t.Fatalf("error = %v, want the edit's", err)
	}
	if es, _ := d.svc.Evaluations(d.ctx, d.udp, o.ID); len(es) != 0 {
		t.Errorf("a failed edit created an evaluation sheet: %+v", es)
	}
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, 999999, func(*plan.Objective) error { t.Error("an edit ran on nothing"); return nil })
	wantCode(t, err, apperr.NotFound)
}
