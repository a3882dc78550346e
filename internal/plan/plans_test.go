package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

func TestPlanGoesFromDraftToClosedAndRecordsWhoMovedIt(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "  Piano di Zona 2024-2026 ", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	if p.Status != plan.Draft || p.Version != 1 || p.Title != "Piano di Zona 2024-2026" {
		t.Fatalf("new plan = %+v, want a trimmed draft at version 1", p)
	}

	p, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	if p.Status != plan.Proposed {
		t.Fatalf("after propose: %s", p.Status)
	}
	p, err = d.svc.Approve(d.ctx, d.assemblea, p.ID, "approvato all'unanimità")
	noError(t, err)
	if p.Status != plan.Approved || p.ApprovedAt == nil {
		t.Fatalf("after approve: %+v", p)
	}
	p, err = d.svc.Close(d.ctx, d.assemblea, p.ID, "fine del triennio")
	noError(t, err)
	if p.Status != plan.Closed {
		t.Fatalf("after close: %s", p.Status)
	}
	if got, err := d.svc.Plan(d.ctx, d.udp, p.ID); err != nil || got.Status != plan.Closed {
		t.Fatalf("stored plan = %+v, %v", got, err)
	}

	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	want := []struct{ from, to, actorID, actorName, note string }{
		{"", "bozza", d.udp.ID, d.udp.Name, "creazione"},
		{"bozza", "proposto", d.udp.ID, d.udp.Name, ""},
		{"proposto", "approvato", d.assemblea.ID, d.assemblea.Name, "approvato all'unanimità"},
		{"approvato", "chiuso", d.assemblea.ID, d.assemblea.Name, "fine del triennio"},
	}
	if len(h.Transitions) != len(want) {
		t.Fatalf("%d transitions recorded, want %d: %+v", len(h.Transitions), len(want), h.Transitions)
	}
	for i, w := range want {
		g := h.Transitions[i]
		if g.FromStatus != w.from || g.ToStatus != w.to || g.ActorID != w.actorID || g.ActorName != w.actorName || g.Note != w.note {
			t.Errorf("transition %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestPlanRefusesMovesItsStatusDoesNotAllow(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	draft, _ := d.draft("Bozza")
	approved, _ := d.approved("Approvato")

	refused := []struct {
		name   string
		move   func(id int64) (plan.Plan, error)
		id     int64
		status plan.Status
	}{
		{"approve a draft", func(id int64) (plan.Plan, error) { return d.svc.Approve(d.ctx, d.assemblea, id, "") }, draft.ID, plan.Draft},
		{"close a draft", func(id int64) (plan.Plan, error) { return d.svc.Close(d.ctx, d.assemblea, id, "") }, draft.ID, plan.Draft},
		{"send back a draft", func(id int64) (plan.Plan, error) { return d.svc.SendBack(d.ctx, d.assemblea, id, "no") }, draft.ID, plan.Draft},
		{"propose an approved plan", func(id int64) (plan.Plan, error) { return d.svc.Propose(d.ctx, d.udp, id, "") }, approved.ID, plan.Approved},
		{"approve an approved plan", func(id int64) (plan.Plan, error) { return d.svc.Approve(d.ctx, d.assemblea, id, "") }, approved.ID, plan.Approved},
	}
	for _, c := range refused {
		_, err := c.move(c.id)
		wantCode(t, err, apperr.Conflict, "the plan is "+string(c.status), "il piano è "+string(c.status))
	}

	closed, err := d.svc.Close(d.ctx, d.assemblea, approved.ID, "")
	noError(t, err)
	_, err = d.svc.Close(d.ctx, d.assemblea, closed.ID, "")
	wantCode(t, err, apperr.Conflict, "the plan is chiuso")
	_, err = d.svc.Propose(d.ctx, d.udp, closed.ID, "")
	wantCode(t, err, apperr.Conflict, "the plan is chiuso")

	// A refused move leaves no trace in the history.
	h, err := d.svc.PlanHistory(d.ctx, d.udp, draft.ID)
	noError(t, err)
	if len(h.Transitions) != 1 {
		t.Errorf("a draft that never moved has %d transitions: %+v", len(h.Transitions), h.Transitions)
	}

	_, err = d.svc.Approve(d.ctx, d.assemblea, 999999, "")
	wantCode(t, err, apperr.NotFound)
}

func TestAssemblySendsAPlanBackWithANote(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, _ := d.draft("Da rivedere")
	_, err := d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)

	_, err = d.svc.SendBack(d.ctx, d.assemblea, p.ID, "   ")
	wantField(t, err, "note")
	if got, _ := d.svc.Plan(d.ctx, d.udp, p.ID); got.Status != plan.Proposed {
		t.Fatalf("a send-back without a note moved the plan to %s", got.Status)
	}

	// A proposed plan is frozen: neither its title nor its content changes.
	_, err = d.svc.UpdatePlan(d.ctx, d.udp, p.ID, plan.PlanInput{Title: "Altro", StartYear: 2024, EndYear: 2026})
	wantCode(t, err, apperr.Conflict)
	_, err = d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Nuovo", AreaCode: "A"})
	wantCode(t, err, apperr.Conflict, "awaits the Assemblea")

	p, err = d.svc.SendBack(d.ctx, d.assemblea, p.ID, " mancano gli indicatori ")
	noError(t, err)
	if p.Status != plan.Draft || p.ReturnNote != "mancano gli indicatori" {
		t.Fatalf("sent back = %+v", p)
	}
	h, err := d.svc.PlanHistory(d.ctx, d.udp, p.ID)
	noError(t, err)
	last := h.Transitions[len(h.Transitions)-1]
	if last.FromStatus != "proposto" || last.ToStatus != "bozza" || last.ActorID != d.assemblea.ID || last.Note != "mancano gli indicatori" {
		t.Errorf("send-back recorded as %+v", last)
	}

	// Back in draft it changes again; approval clears the note.
	p, err = d.svc.UpdatePlan(d.ctx, d.udp, p.ID, plan.PlanInput{Title: "Rivisto", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	if p.Title != "Rivisto" {
		t.Errorf("title = %q", p.Title)
	}
	_, err = d.svc.Propose(d.ctx, d.udp, p.ID, "")
	noError(t, err)
	p, err = d.svc.Approve(d.ctx, d.assemblea, p.ID, "")
	noError(t, err)
	if p.ReturnNote != "" {
		t.Errorf("the return note survived approval: %q", p.ReturnNote)
	}
	if got, _ := d.svc.Plan(d.ctx, d.udp, p.ID); got.ReturnNote != "" || got.Status != plan.Approved {
		t.Errorf("stored after approval: %+v", got)
	}
}

func TestPlanInputErrorsNameTheField(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	for _, c := range []struct {
		in    plan.PlanInput
		field string
	}{
		{plan.PlanInput{Title: " ", StartYear: 2024, EndYear: 2026}, "title"},
		{plan.PlanInput{Title: "P", StartYear: 1999, EndYear: 2001}, "start_year"},
		{plan.PlanInput{Title: "P", StartYear: 2024, EndYear: 2023}, "end_year"},
		{plan.PlanInput{Title: "P", StartYear: 2024, EndYear: 2030}, "end_year"},
	} {
		_, err := d.svc.CreatePlan(d.ctx, d.udp, c.in)
		wantField(t, err, c.field)
	}
	ps, total, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{})
	noError(t, err)
	if total != 0 || len(ps) != 0 {
		t.Errorf("refused plans were written: %d", total)
	}
}
