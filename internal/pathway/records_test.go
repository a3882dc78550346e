package pathway_test

import (
	"bytes"
	"testing"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// recService inserts a directory service (published or not) and returns its id.
func (d *recDistrict) recService(t *testing.T, name string, published bool) string {
	t.Helper()
	org, id := uuid.NewString(), uuid.NewString()
	d.recTx(t, func(tx *tenancy.Tx) error {
		if err := tx.Exec(`INSERT INTO organizations (id, name) VALUES (?, ?)`, org, "Org "+name).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO services (id, organization_id, name, status, published) VALUES (?, ?, ?, 'active', ?)`,
			id, org, name, published).Error
	})
	return id
}

// A COPE pathway: the action plan's goals, activities and referrals, meetings with the next
// follow-up, ONS4 at baseline and follow-up (a child skips the anxiety item, an adult may
// not); sealed columns hold no plain text; who else may not write; every access audited.
func TestRecCOPERecords(t *testing.T) {
	d := recNew(t)
	adult := d.recPerson(t, recYearsAgo(22))
	child := d.recPerson(t, recYearsAgo(15))
	id := d.recPathway(t, adult, "cope", d.lw)
	childPath := d.recPathway(t, child, "cope", d.lw)

	g, err := d.svc.AddGoal(d.ctx, d.lw, id, pathway.Goal{Domain: "lavoro_formazione", Text: "Iscriversi al corso serale", StartedOn: recDay(-5), TargetOn: recDay(60)})
	recNoError(t, err)
	if g.Status != "aperto" || g.ID == "" {
		t.Fatalf("goal = %+v", g)
	}
	_, err = d.svc.UpdateGoal(d.ctx, d.lw, id, g.ID, pathway.Goal{Status: "raggiunto"})
	recWant(t, err, apperr.Invalid, "ended_on")
	g, err = d.svc.UpdateGoal(d.ctx, d.lw, id, g.ID, pathway.Goal{Status: "in_corso"})
	recNoError(t, err)
	g, err = d.svc.UpdateGoal(d.ctx, d.lw, id, g.ID, pathway.Goal{Status: "raggiunto", EndedOn: recDay(0)})
	recNoError(t, err)
	if g.Status != "raggiunto" || g.EndedOn != recDay(0) || g.Text != "Iscriversi al corso serale" {
		t.Fatalf("goal reached = %+v", g)
	}
	_, err = d.svc.UpdateGoal(d.ctx, d.lw, id, g.ID, pathway.Goal{Status: "aperto"})
	recWant(t, err, apperr.Invalid, "status")

	svc := d.recService(t, "Laboratorio di falegnameria", true)
	hidden := d.recService(t, "Servizio in bozza", false)
	ref, err := d.svc.AddActivity(d.ctx, d.lw, id, pathway.Activity{Kind: "invio", ServiceID: svc, StartedOn: recDay(-2)})
	recNoError(t, err)
	if ref.ServiceName != "Laboratorio di falegnameria" || ref.Status != "proposta" {
		t.Fatalf("referral = %+v", ref)
	}
	_, err = d.svc.AddActivity(d.ctx, d.lw, id, pathway.Activity{Kind: "invio", ServiceID: hidden, StartedOn: recDay(-2)})
	recWant(t, err, apperr.Invalid, "service_id")
	act, err := d.svc.AddActivity(d.ctx, d.lw, id, pathway.Activity{Kind: "attivita", Description: "Volontariato in biblioteca", StartedOn: recDay(-1), Status: "in_corso"})
	recNoError(t, err)
	act, err = d.svc.UpdateActivity(d.ctx, d.lw, id, act.ID, pathway.Activity{Status: "conclusa", EndedOn: recDay(0)})
	recNoError(t, err)
	if act.Status != "conclusa" || act.Description != "Volontariato in biblioteca" {
		t.Fatalf("activity = %+v", act)
	}

	const notes = "Racconta di un periodo difficile in famiglia"
	m, err := d.svc.AddMeeting(d.ctx, d.lw, id, pathway.Meeting{HeldOn: recDay(0), Kind: "incontro", Notes: notes, NextFollowUp: recDay(7)})
	recNoError(t, err)
	if n := d.recCount(t, `SELECT count(*) FROM pathways WHERE id = ? AND next_follow_up = ?`, id, recDay(7)); n != 1 {
		t.Fatalf("the meeting did not move the next follow-up")
	}

	// ONS4: a child without anxiety, an adult with it; one baseline each.
	items := func(anxiety *int) pathway.ONS4 {
		return pathway.ONS4{Occasion: "baseline", MeasuredOn: recDay(-1), LifeSatisfaction: recInt(4), Worthwhile: recInt(6), Happiness: recInt(3), Anxiety: anxiety}
	}
	_, err = d.svc.AddONS4(d.ctx, d.lw, childPath, items(recInt(7)))
	recWant(t, err, apperr.Invalid, "anxiety")
	_, err = d.svc.AddONS4(d.ctx, d.lw, childPath, items(nil))
	recNoError(t, err)
	_, err = d.svc.AddONS4(d.ctx, d.lw, id, items(nil))
	recWant(t, err, apperr.Invalid, "anxiety")
	base, err := d.svc.AddONS4(d.ctx, d.lw, id, items(recInt(7)))
	recNoError(t, err)
	_, err = d.svc.AddONS4(d.ctx, d.lw, id, items(recInt(7)))
	recWant(t, err, apperr.Conflict, "occasion")
	follow := items(recInt(5))
	follow.Occasion, follow.MeasuredOn, follow.LifeSatisfaction = "follow_up", recDay(0), recInt(8)
	_, err = d.svc.AddONS4(d.ctx, d.lw, id, follow)
	recNoError(t, err)

	// The sealed columns hold no plain text.
	var raw struct {
		NotesEnc            []byte
		LifeSatisfactionEnc []byte
		AnxietyEnc          []byte
		TextEnc             []byte
	}
	d.recTx(t, func(tx *tenancy.Tx) error {
		return tx.Raw(`SELECT m.notes_enc, o.life_satisfaction_enc, o.anxiety_enc, g.text_enc FROM pathway_meetings m, outcome_measures o, goals g
			WHERE m.id = ? AND o.id = ? AND g.id = ?`, m.ID, base.ID, g.ID).Scan(&raw).Error
	})
	if len(raw.NotesEnc) < 28 || bytes.Contains(raw.NotesEnc, []byte("famiglia")) || bytes.Contains(raw.TextEnc, []byte("corso")) {
		t.Fatalf("notes or goal stored in clear: %q %q", raw.NotesEnc, raw.TextEnc)
	}
	if len(raw.LifeSatisfactionEnc) < 17 || string(raw.LifeSatisfactionEnc) == "4" || string(raw.AnxietyEnc) == "7" {
		t.Fatalf("ONS4 item stored in clear: %q", raw.LifeSatisfactionEnc)
	}

	// Read back in full by the link worker.
	full, err := d.svc.RecRecordsOf(d.ctx, d.lw, id)
	recNoError(t, err)
	if len(full.Goals) != 1 || len(full.Activities) != 2 || len(full.Meetings) != 1 || full.Meetings[0].Notes != notes ||
		len(full.Outcomes) != 2 || *full.Outcomes[0].Anxiety != 7 || *full.Outcomes[1].LifeSatisfaction != 8 {
		t.Fatalf("records = %+v", full)
	}
	kid, err := d.svc.RecRecordsOf(d.ctx, d.coord, childPath)
	recNoError(t, err)
	if len(kid.Outcomes) != 1 || kid.Outcomes[0].Anxiety != nil {
		t.Fatalf("child's ONS4 = %+v", kid.Outcomes)
	}

	// Another link worker, health staff without the consent to share, the UdP: nothing.
	_, err = d.svc.AddGoal(d.ctx, d.lw2, id, pathway.Goal{Text: "x", StartedOn: recDay(0)})
	recWant(t, err, apperr.NotFound, "")
	_, err = d.svc.AddMeeting(d.ctx, d.asst, id, pathway.Meeting{HeldOn: recDay(0), Kind: "incontro"})
	recWant(t, err, apperr.NotFound, "")
	_, err = d.svc.RecRecordsOf(d.ctx, d.asst, id)
	recWant(t, err, apperr.NotFound, "")
	_, err = d.svc.AddMeeting(d.ctx, d.udp, id, pathway.Meeting{HeldOn: recDay(0), Kind: "incontro"})
	recWant(t, err, apperr.Forbidden, "")
	_, err = d.svc.SaveProject(d.ctx, d.lw, id, pathway.ProjectInput{})
	recWant(t, err, apperr.Conflict, "programme")

	for _, c := range []struct {
		what, action string
		want         int64
	}{
		{"obiettivo", "create", 1}, {"obiettivo", "update", 2}, {"attivita", "create", 2}, {"attivita", "update", 1},
		{"incontro", "create", 1}, {"ons4", "create", 2}, {"obiettivo", "read", 1}, {"attivita", "read", 1},
		{"incontro", "read", 1}, {"ons4", "read", 1},
	} {
		if n := d.recAudited(t, adult, c.what, c.action); n != c.want {
			t.Errorf("audit %s/%s: %d rows, want %d", c.what, c.action, n, c.want)
		}
	}
	if n := d.recCount(t, `SELECT count(*) FROM pathway_events WHERE pathway_id = ?`, id); n != 9 {
		t.Errorf("events = %d, want 9 (one per write)", n)
	}

	// A closed pathway takes no more records; nor one whose consent was withdrawn.
	d.recTx(t, func(tx *tenancy.Tx) error {
		return tx.Exec(`UPDATE pathways SET closed_on = current_date, closure_reason = 'rinuncia', stage = 'chiusura' WHERE id = ?`, id).Error
	})
	_, err = d.svc.AddMeeting(d.ctx, d.lw, id, pathway.Meeting{HeldOn: recDay(0), Kind: "incontro"})
	recWant(t, err, apperr.Conflict, "")
	d.recTx(t, func(tx *tenancy.Tx) error {
		return tx.Exec(`INSERT INTO consents (person_id, purpose, given, notice_version, recorded_by, recorded_by_name)
			VALUES (?, 'trattamento', false, 'v1', 'test', 'test')`, child).Error
	})
	_, err = d.svc.AddGoal(d.ctx, d.lw, childPath, pathway.Goal{Text: "Nuovo", StartedOn: recDay(0)})
	recWant(t, err, apperr.Conflict, "")
}
