package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// rename is an Edit that changes an objective's title.
func rename(title string) plan.Edit[plan.Objective] {
	return func(o *plan.Objective) error { o.Title = title; return nil }
}

func TestApprovedPlanChangesOnlyInsideAnAmendment(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.approved("Piano in vigore")

	// Without an amendment every content change is refused, and says how to proceed.
	_, err := d.svc.UpdateObjective(d.ctx, d.udp, o.ID, rename("Nuovo titolo"))
	wantCode(t, err, apperr.Conflict, "open an amendment")
	_, err = d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Nuovo", AreaCode: "B"})
	wantCode(t, err, apperr.Conflict, "open an amendment")
	wantCode(t, d.svc.DeleteObjective(d.ctx, d.udp, o.ID), apperr.Conflict, "open an amendment")
	_, err = d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Prese in carico"})
	wantCode(t, err, apperr.Conflict, "open an amendment")
	_, err = d.svc.UpdatePlan(d.ctx, d.udp, p.ID, plan.PlanInput{Title: "Altro", StartYear: 2024, EndYear: 2026})
	wantCode(t, err, apperr.Conflict, "only in draft")
	if got, _ := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID); got.Title != o.Title {
		t.Fatalf("a refused change was written: %q", got.Title)
	}

	// An amendment needs a reason and an approved plan.
	_, err = d.svc.OpenAmendment(d.ctx, d.udp, p.ID, " ")
	wantField(t, err, "reason")
	draft, _ := d.draft("Bozza")
	_, err = d.svc.OpenAmendment(d.ctx, d.udp, draft.ID, "perché sì")
	wantCode(t, err, apperr.Conflict, "this one is bozza")

	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "rimodulazione FNPS")
	noError(t, err)
	if a.Status != plan.AmendmentOpen || a.OpenedBy != d.udp.ID || a.OpenedByName != d.udp.Name {
		t.Fatalf("amendment = %+v", a)
	}
	_, err = d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "un'altra")
	wantCode(t, err, apperr.Conflict, "already in progress")

	// Inside it, each change is recorded with what it was before and after.
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, rename("Titolo rivisto"))
	noError(t, err)
	added, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Casa", AreaCode: "B"})
	noError(t, err)
	noError(t, d.svc.DeleteObjective(d.ctx, d.udp, added.ID))

	as, err := d.svc.Amendments(d.ctx, d.udp, p.ID)
	noError(t, err)
	if len(as) != 1 || len(as[0].Changes) != 3 {
		t.Fatalf("amendments = %+v, want one with three changes", as)
	}
	ch := as[0].Changes
	if c := ch[0]; c.Entity != "objective" || c.EntityID != o.ID || c.Operation != "update" ||
		c.Before["title"] != o.Title || c.After["title"] != "Titolo rivisto" || c.ActorID != d.udp.ID {
		t.Errorf("update recorded as %+v", c)
	}
	if c := ch[1]; c.Operation != "create" || c.EntityID != added.ID || c.Before != nil || c.After["title"] != "Casa" {
		t.Errorf("create recorded as %+v", c)
	}
	if c := ch[2]; c.Operation != "delete" || c.EntityID != added.ID || c.Before["title"] != "Casa" || c.After != nil {
		t.Errorf("delete recorded as %+v", c)
	}

	// Proposed, it freezes the plan again until the Assemblea decides.
	a, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	noError(t, err)
	if a.Status != plan.AmendmentProposed {
		t.Fatalf("proposed amendment = %+v", a)
	}
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, rename("Ancora"))
	wantCode(t, err, apperr.Conflict)
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	wantCode(t, err, apperr.Conflict, "the amendment is proposta")

	// Sent back (with a note) it reopens; approved, the plan's version goes up.
	_, err = d.svc.SendBackAmendment(d.ctx, d.assemblea, p.ID, a.ID, "")
	wantField(t, err, "note")
	a, err = d.svc.SendBackAmendment(d.ctx, d.assemblea, p.ID, a.ID, "manca la delibera")
	noError(t, err)
	if a.Status != plan.AmendmentOpen || a.ReturnNote != "manca la delibera" {
		t.Fatalf("sent back amendment = %+v", a)
	}
	_, err = d.svc.ApproveAmendment(d.ctx, d.assemblea, p.ID, a.ID, "")
	wantCode(t, err, apperr.Conflict, "the amendment is aperta")
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	noError(t, err)
	a, err = d.svc.ApproveAmendment(d.ctx, d.assemblea, p.ID, a.ID, "delibera n. 12")
	noError(t, err)
	if a.Status != plan.AmendmentApproved || a.DecidedAt == nil {
		t.Fatalf("approved amendment = %+v", a)
	}
	after, err := d.svc.Plan(d.ctx, d.udp, p.ID)
	noError(t, err)
	if after.Version != p.Version+1 || after.Status != plan.Approved {
		t.Errorf("after the amendment the plan is %+v, want version %d, approved", after, p.Version+1)
	}

	// Once approved, the amendment is closed: the next change needs a new one.
	_, err = d.svc.UpdateObjective(d.ctx, d.udp, o.ID, rename("Dopo"))
	wantCode(t, err, apperr.Conflict, "open an amendment")
	_, err = d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "seconda variazione")
	noError(t, err)

	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	var moves []string
	for _, tr := range h.Transitions {
		if tr.AmendmentID != nil {
			moves = append(moves, tr.FromStatus+"→"+tr.ToStatus+"/"+tr.ActorID)
		}
	}
	want := []string{
		"→variazione_aperta/udp-1",
		"variazione_aperta→variazione_proposta/udp-1",
		"variazione_proposta→variazione_aperta/assemblea-1",
		"variazione_aperta→variazione_proposta/udp-1",
		"variazione_proposta→variazione_approvata/assemblea-1",
		"→variazione_aperta/udp-1",
	}
	if len(moves) != len(want) {
		t.Fatalf("amendment transitions %v, want %v", moves, want)
	}
	for i := range want {
		if moves[i] != want[i] {
			t.Errorf("amendment transition %d = %s, want %s", i, moves[i], want[i])
		}
	}
}

func TestAmendmentOfAnotherPlanIsNotFound(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p1, _ := d.approved("Primo")
	p2, _ := d.approved("Secondo")
	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p1.ID, "motivo")
	noError(t, err)
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p2.ID, a.ID)
	wantCode(t, err, apperr.NotFound)
	if as, _ := d.svc.Amendments(d.ctx, d.udp, p1.ID); len(as) != 1 || as[0].Status != plan.AmendmentOpen {
		t.Errorf("amendments of the first plan = %+v", as)
	}
}

// A plan closed while an amendment was pending is over: the Assemblea can no longer approve
// the amendment, which would raise the version of a plan that cannot change, nor send it back.
func TestClosedPlanTakesNoAmendmentDecision(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, _ := d.approved("Piano")
	a, err := d.svc.OpenAmendment(d.ctx, d.udp, p.ID, "rimodulazione")
	noError(t, err)
	_, err = d.svc.ProposeAmendment(d.ctx, d.udp, p.ID, a.ID)
	noError(t, err)
	_, err = d.svc.Close(d.ctx, d.assemblea, p.ID, "fine del triennio")
	noError(t, err)

	_, err = d.svc.ApproveAmendment(d.ctx, d.assemblea, p.ID, a.ID, "")
	wantCode(t, err, apperr.Conflict, "this one is chiuso")
	_, err = d.svc.SendBackAmendment(d.ctx, d.assemblea, p.ID, a.ID, "troppo tardi")
	wantCode(t, err, apperr.Conflict, "this one is chiuso")
	after, err := d.svc.Plan(d.ctx, d.udp, p.ID)
	noError(t, err)
	if after.Version != p.Version || after.Status != plan.Closed {
		t.Errorf("closed plan = %+v, want version %d", after, p.Version)
	}
	as, err := d.svc.Amendments(d.ctx, d.udp, p.ID)
	noError(t, err)
	if len(as) != 1 || as[0].Status != plan.AmendmentProposed {
		t.Errorf("amendments = %+v, want the one left as it was", as)
	}
}
