package plan_test

import (
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

func TestObjectiveValidationNamesTheField(t *testing.T) {
	t.Parallel()
	// Terre d'Argine's regional catalogue (Emilia-Romagna) has items under its areas: item 1
	// belongs to area A, item 10 to area B.
	d := newDistrict(t, "terre-dargine")
	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano", StartYear: 2024, EndYear: 2026})
	noError(t, err)

	for _, c := range []struct {
		name  string
		o     plan.Objective
		field string
	}{
		{"no title", plan.Objective{Title: "  ", AreaCode: "A"}, "title"},
		{"title too long", plan.Objective{Title: strings.Repeat("x", 301), AreaCode: "A"}, "title"},
		{"no area", plan.Objective{Title: "T"}, "area_code"},
		{"area of another region", plan.Objective{Title: "T", AreaCode: "MI"}, "area_code"},
		{"unknown item", plan.Objective{Title: "T", AreaCode: "A", ItemCode: ptr("999")}, "item_code"},
		{"item of another area", plan.Objective{Title: "T", AreaCode: "A", ItemCode: ptr("10")}, "item_code"},
		{"unknown marker", plan.Objective{Title: "T", AreaCode: "A", Marker: "nuovo"}, "marker"},
		{"long description", plan.Objective{Title: "T", AreaCode: "A", Description: strings.Repeat("x", 20001)}, "description"},
		{"negative position", plan.Objective{Title: "T", AreaCode: "A", Position: -1}, "position"},
	} {
		_, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, c.o)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid || e.Field != c.field {
			t.Errorf("%s: error %v, want invalid %s", c.name, err, c.field)
		}
	}
	_, err = d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "T", AreaCode: "A", ItemCode: ptr("10")})
	wantCode(t, err, apperr.Invalid, "belongs to area B, not to the area chosen (A)")

	os, total, err := d.svc.Objectives(d.ctx, d.udp, p.ID, plan.ObjectiveFilter{Page: plan.Page{Limit: 100}})
	noError(t, err)
	if total != 0 || len(os) != 0 {
		t.Fatalf("refused objectives were written: %+v", os)
	}

	// A valid one is trimmed, numbered after the last, and an empty item means none.
	o1, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: " Povertà ", AreaCode: "A", ItemCode: ptr("1")})
	noError(t, err)
	o2, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Casa", AreaCode: "B", ItemCode: ptr("")})
	noError(t, err)
	if o1.Title != "Povertà" || o1.Position != 1 || o2.Position != 2 || o2.ItemCode != nil {
		t.Errorf("created %+v and %+v", o1, o2)
	}
	os, total, err = d.svc.Objectives(d.ctx, d.udp, p.ID, plan.ObjectiveFilter{AreaCode: "B", Page: plan.Page{Limit: 100}})
	noError(t, err)
	if total != 1 || len(os) != 1 || os[0].ID != o2.ID {
		t.Errorf("objectives of area B = %+v (total %d)", os, total)
	}

	_, err = d.svc.CreateObjective(d.ctx, d.udp, 999999, plan.Objective{Title: "T", AreaCode: "A"})
	wantCode(t, err, apperr.NotFound)
}

func TestHealthStaffEditOnlySocioSanitaryObjectives(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, plain := d.draft("Piano")
	integrated, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Dimissioni protette", AreaCode: "D", SocioSanitary: true})
	noError(t, err)

	_, err = d.svc.UpdateObjective(d.ctx, d.asst, plain.ID, rename("Preso"))
	wantCode(t, err, apperr.Forbidden, "socio-sanitary")
	_, err = d.svc.CreateIndicator(d.ctx, d.asst, plain.ID, plan.Indicator{Kind: plan.Process, Name: "N"})
	wantCode(t, err, apperr.Forbidden)
	_, err = d.svc.SetEvaluation(d.ctx, d.asst, plain.ID, 2024, func(e *plan.Evaluation) error { e.Issues = "x"; return nil })
	wantCode(t, err, apperr.Forbidden)

	got, err := d.svc.UpdateObjective(d.ctx, d.asst, integrated.ID, func(o *plan.Objective) error {
		o.Needs = "continuità ospedale-territorio"
		return nil
	})
	noError(t, err)
	if got.Needs != "continuità ospedale-territorio" || !got.SocioSanitary {
		t.Errorf("health staff's edit = %+v", got)
	}
	_, err = d.svc.CreateIndicator(d.ctx, d.asst, integrated.ID, plan.Indicator{Kind: plan.Process, Name: "Dimissioni"})
	noError(t, err)

	// Taking the flag away would take the objective out of their reach: refused, and nothing of
	// the same edit is written.
	_, err = d.svc.UpdateObjective(d.ctx, d.asst, integrated.ID, func(o *plan.Objective) error {
		o.SocioSanitary, o.Title = false, "Tolto"
		return nil
	})
	wantField(t, err, "socio_sanitary")
	stored, err := d.svc.ObjectiveDetail(d.ctx, d.udp, integrated.ID)
	noError(t, err)
	if !stored.SocioSanitary || stored.Title != integrated.Title {
		t.Errorf("a refused edit was written: %+v", stored.Objective)
	}

	// The Ufficio di Piano may.
	got, err = d.svc.UpdateObjective(d.ctx, d.udp, integrated.ID, func(o *plan.Objective) error { o.SocioSanitary = false; return nil })
	noError(t, err)
	if got.SocioSanitary {
		t.Error("the Ufficio di Piano could not remove the flag")
	}
}

func TestDeletingAnObjectiveTakesWhatHangsFromIt(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	ind, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Famiglie"})
	noError(t, err)
	_, err = d.svc.SetBudget(d.ctx, d.udp, o.ID, []plan.BudgetLineInput{{Year: 2024, SourceCode: "FNPS", StanziatoCents: 100}})
	noError(t, err)
	noError(t, d.svc.DeleteObjective(d.ctx, d.udp, o.ID))
	_, err = d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Measurements(d.ctx, d.udp, ind.ID)
	wantCode(t, err, apperr.NotFound)
	wantCode(t, d.svc.DeleteObjective(d.ctx, d.udp, o.ID), apperr.NotFound)
	if _, total, _ := d.svc.Objectives(d.ctx, d.udp, p.ID, plan.ObjectiveFilter{}); total != 0 {
		t.Errorf("%d objectives left", total)
	}
}
