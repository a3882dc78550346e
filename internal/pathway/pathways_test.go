package pathway_test

import (
	"gorm.io/gorm"

	"slices"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// A COPE pathway from aggancio to chiusura: a link worker opens it for a new young person
// (with the consent to processing), moves it through the stages and closes it; the history
// says who did what.
func TestPathwayCOPEFromAggancioToChiusura(t *testing.T) {
	r := newRoom(t)
	p := r.openCOPE(t, r.lw1, "Giulia", "Prova", roomCF("PRVGLI05A41B157"))
	if p.Stage != "aggancio" || p.AssignedTo != "lw-1" || p.AssignedName != "Lucia Link" || p.Version != 1 {
		t.Fatalf("opened = %+v", p)
	}
	for _, stage := range []string{"abbinamento", "valutazione", "piano", "attivita", "follow_up"} {
		next, err := r.svc.MoveStage(r.ctx, r.lw1, p.ID, stage, p.Version)
		roomNoError(t, err)
		if next.Stage != stage || next.Version != p.Version+1 {
			t.Fatalf("moved to %s: %+v", stage, next)
		}
		p = next
	}
	closed, err := r.svc.Close(r.ctx, r.lw1, p.ID, pathway.ClosureInput{Reason: "lavoro_studio", ClosedOn: roomToday(),
		NEETClose: "lavoro", Version: p.Version})
	roomNoError(t, err)
	if closed.Stage != "chiusura" || closed.ClosedOn != roomToday() || closed.ClosureReason != "lavoro_studio" || closed.NEETClose != "lavoro" {
		t.Fatalf("closed = %+v", closed)
	}
	d, err := r.svc.Detail(r.ctx, r.lw1, p.ID)
	roomNoError(t, err)
	var kinds []string
	for _, e := range d.History {
		kinds = append(kinds, e.Kind+":"+e.ToStage)
		if e.ActorID != "lw-1" || e.ActorName != "Lucia Link" {
			t.Errorf("event %+v not attributed to the link worker", e)
		}
	}
	want := []string{"open:aggancio", "consent:", "assign:", "stage:abbinamento", "stage:valutazione", "stage:piano", "stage:attivita",
		"stage:follow_up", "close:chiusura"}
	if !slices.Equal(kinds, want) {
		t.Errorf("history = %v, want %v", kinds, want)
	}
	if d.Person.GivenName != "Giulia" || d.Person.Municipality != roomComune || d.Person.Contacts.Phone == "" {
		t.Errorf("person = %+v", d.Person)
	}
	if len(d.Consents) != 1 || d.Consents[0].Purpose != pathway.PurposeProcessing || !d.Consents[0].Given || d.Consents[0].NoticeVersion != "2026-01" {
		t.Errorf("consents = %+v", d.Consents)
	}
	// Closed: no more moves.
	_, err = r.svc.MoveStage(r.ctx, r.lw1, p.ID, "piano", closed.Version)
	roomWantCode(t, err, apperr.Conflict, "", "closed")
}

// The coordinator opens for a link worker, reassigns, and lists the workers with their load.
func TestPathwayCoordinatorAssigns(t *testing.T) {
	r := newRoom(t)
	in := copeInput(roomYoung("Anna", "Esempio", ""))
	in.AssignTo = "lw-1"
	p, err := r.svc.OpenPathway(r.ctx, r.coord, in)
	roomNoError(t, err)
	if p.AssignedTo != "lw-1" {
		t.Fatalf("assigned to %q", p.AssignedTo)
	}
	p, err = r.svc.Assign(r.ctx, r.coord, p.ID, pathway.AssignInput{AssigneeID: "lw-2", Version: p.Version})
	roomNoError(t, err)
	if p.AssignedTo != "lw-2" || p.AssignedName != "Marco Link" {
		t.Fatalf("reassigned = %+v", p)
	}
	_, err = r.svc.Detail(r.ctx, r.lw1, p.ID)
	roomWantCode(t, err, apperr.NotFound, "")
	_, err = r.svc.Detail(r.ctx, r.lw2, p.ID)
	roomNoError(t, err)
	ws, err := r.svc.Workers(r.ctx, r.coord)
	roomNoError(t, err)
	if len(ws) != 2 || ws[1].ID != "lw-2" || ws[1].Open != 1 || ws[0].Open != 0 {
		t.Errorf("workers = %+v", ws)
	}
	_, err = r.svc.Assign(r.ctx, r.coord, p.ID, pathway.AssignInput{AssigneeID: "nobody", Version: p.Version})
	roomWantCode(t, err, apperr.Invalid, "assignee_id")
	_, err = r.svc.Assign(r.ctx, r.lw2, p.ID, pathway.AssignInput{AssigneeID: "lw-2", Version: p.Version})
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = r.svc.Workers(r.ctx, r.lw1)
	roomWantCode(t, err, apperr.Forbidden, "")
	// A link worker opens for themselves only.
	in.Person = roomYoung("Bruno", "Esempio", "")
	in.AssignTo = "lw-2"
	_, err = r.svc.OpenPathway(r.ctx, r.lw1, in)
	roomWantCode(t, err, apperr.Forbidden, "")
	in.AssignTo = "nobody"
	_, err = r.svc.OpenPathway(r.ctx, r.coord, in)
	roomWantCode(t, err, apperr.Invalid, "assign_to")
}

// Two people changing the same pathway: the second answers 409.
func TestPathwayVersionConflict(t *testing.T) {
	r := newRoom(t)
	p := r.openCOPE(t, r.lw1, "Carlo", "Esempio", "")
	_, err := r.svc.MoveStage(r.ctx, r.lw1, p.ID, "abbinamento", p.Version)
	roomNoError(t, err)
	_, err = r.svc.MoveStage(r.ctx, r.coord, p.ID, "valutazione", p.Version)
	roomWantCode(t, err, apperr.Conflict, "version", "changed")
	_, err = r.svc.Close(r.ctx, r.coord, p.ID, pathway.ClosureInput{Reason: "rinuncia", ClosedOn: roomToday(), NEETClose: "nessuno", Version: p.Version})
	roomWantCode(t, err, apperr.Conflict, "version")
}

// Withdrawing the consent to processing freezes the pathway: no stage moves, but it closes.
func TestPathwayWithdrawnProcessingFreezes(t *testing.T) {
	r := newRoom(t)
	p := r.openCOPE(t, r.lw1, "Dario", "Esempio", "")
	_, err := r.svc.RecordConsent(r.ctx, r.lw1, p.PersonID, pathway.ConsentInput{Purpose: pathway.PurposeProcessing, Given: false, NoticeVersion: "2026-01"})
	roomNoError(t, err)
	_, err = r.svc.MoveStage(r.ctx, r.lw1, p.ID, "abbinamento", p.Version)
	roomWantCode(t, err, apperr.Conflict, "", "withdrawn")
	d, err := r.svc.Detail(r.ctx, r.lw1, p.ID)
	roomNoError(t, err)
	if d.History[len(d.History)-1].Kind != "consent" {
		t.Errorf("the withdrawal is not in the history: %+v", d.History)
	}
	closed, err := r.svc.Close(r.ctx, r.lw1, p.ID, pathway.ClosureInput{Reason: "rinuncia", ClosedOn: roomToday(), NEETClose: "nessuno", Version: d.Pathway.Version})
	roomNoError(t, err)
	if closed.Stage != "chiusura" {
		t.Errorf("closed = %+v", closed)
	}
	cs, err := r.svc.Consents(r.ctx, r.lw1, p.PersonID)
	roomNoError(t, err)
	if len(cs) != 2 || cs[0].Given || !cs[1].Given {
		t.Errorf("consent history (newest first) = %+v", cs)
	}
}

// The caseload: own rows for a link worker, all for the coordinator, due ones flagged; each
// person listed is audited.
func TestPathwayCaseload(t *testing.T) {
	r := newRoom(t)
	a := r.openCOPE(t, r.lw1, "Elena", "Esempio", "")
	r.openCOPE(t, r.lw1, "Fabio", "Esempio", "")
	r.openCOPE(t, r.lw2, "Gina", "Esempio", "")
	r.sql(t, func(g *gorm.DB) error {
		return g.Exec("UPDATE pathways SET next_follow_up = current_date + 2 WHERE id = ?", a.ID).Error
	})
	items, total, err := r.svc.Caseload(r.ctx, r.lw1, pathway.CaseloadFilter{})
	roomNoError(t, err)
	if total != 2 || len(items) != 2 || items[0].ID != a.ID || !items[0].DueThisWeek || items[1].DueThisWeek {
		t.Fatalf("caseload = %d %+v", total, items)
	}
	if items[0].PersonName != "Elena Esempio" || items[0].Age != 20 && items[0].Age != 19 {
		t.Errorf("item = %+v", items[0])
	}
	due, _, err := r.svc.Caseload(r.ctx, r.lw1, pathway.CaseloadFilter{DueThisWeek: true})
	roomNoError(t, err)
	if len(due) != 1 {
		t.Errorf("due this week = %+v", due)
	}
	before := r.count(t, "audit_log", "subject = ? AND action = 'list'", a.PersonID)
	all, total, err := r.svc.Caseload(r.ctx, r.coord, pathway.CaseloadFilter{})
	roomNoError(t, err)
	if total != 3 || len(all) != 3 {
		t.Errorf("coordinator's board = %d", total)
	}
	if after := r.count(t, "audit_log", "subject = ? AND action = 'list'", a.PersonID); after != before+1 {
		t.Errorf("list audit rows %d → %d", before, after)
	}
	none, _, err := r.svc.Caseload(r.ctx, r.udp, pathway.CaseloadFilter{})
	roomNoError(t, err)
	if len(none) != 0 {
		t.Errorf("udp sees %d pathways", len(none))
	}
}
