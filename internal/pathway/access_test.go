package pathway_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// Every rule of who sees what, allowed and refused, on the service (Casbin's part is the
// matrix test in cmd/ambiti).
func TestPathwayAccessRules(t *testing.T) {
	r := newRoom(t)
	cope := r.openCOPE(t, r.lw1, "Ilaria", "Esempio", "")
	vmd, err := r.svc.OpenPathway(r.ctx, r.coord, pathway.OpenInput{Person: &pathway.PersonInput{GivenName: "Luigi", FamilyName: "Anziano",
		BirthDate: "1940-03-01", Municipality: roomComune}, Programme: "vmd", Source: "segretariato_sociale",
		EngagedOn: roomToday(), AssignTo: "lw-2", NoticeVersion: "2026-01"})
	roomNoError(t, err)

	sees := func(a actor.Actor, p pathway.Pathway) (pathway.Detail, bool) {
		t.Helper()
		d, err := r.svc.Detail(r.ctx, a, p.ID)
		if err != nil {
			roomWantCode(t, err, apperr.NotFound, "")
			return d, false
		}
		return d, true
	}
	for _, c := range []struct {
		who       string
		a         actor.Actor
		cope, vmd bool
	}{
		{"link worker, own only", r.lw1, true, false},
		{"the other link worker", r.lw2, false, true},
		{"coordinator, everything", r.coord, true, true},
		{"asst, VMD without consent", r.asst, false, true},
		{"udp", r.udp, false, false},
		{"assemblea", r.assemblea, false, false},
		{"dpo", r.dpo, false, false},
		{"coop", r.coop, false, false},
	} {
		if _, ok := sees(c.a, cope); ok != c.cope {
			t.Errorf("%s sees the COPE pathway: %v", c.who, ok)
		}
		if _, ok := sees(c.a, vmd); ok != c.vmd {
			t.Errorf("%s sees the VMD pathway: %v", c.who, ok)
		}
		_, err := r.svc.Person(r.ctx, c.a, cope.PersonID)
		if (err == nil) != c.cope {
			t.Errorf("%s reads the COPE person: %v", c.who, err)
		}
	}
	if d, _ := sees(r.asst, vmd); !d.HealthView || d.Person.FamilyName != "Anziano" {
		t.Errorf("asst's VMD view: health %v, person %+v", d.HealthView, d.Person)
	}
	// Health staff may read, not move, a pathway of the health view.
	_, err = r.svc.MoveStage(r.ctx, r.asst, vmd.ID, "valutazione", vmd.Version)
	roomWantCode(t, err, apperr.Forbidden, "")
	// The other link worker may not move or close another's pathway: not found.
	_, err = r.svc.MoveStage(r.ctx, r.lw2, cope.ID, "abbinamento", cope.Version)
	roomWantCode(t, err, apperr.NotFound, "")
	_, err = r.svc.RecordConsent(r.ctx, r.lw2, cope.PersonID, pathway.ConsentInput{Purpose: pathway.PurposeResearch, Given: false, NoticeVersion: "x"})
	roomWantCode(t, err, apperr.NotFound, "")

	// Sharing with the health authority opens the COPE pathway to health staff; withdrawing
	// it closes it again at once.
	share := pathway.ConsentInput{Purpose: pathway.PurposeSharing, Party: pathway.PartyHealth, Given: true, NoticeVersion: "2026-01"}
	_, err = r.svc.RecordConsent(r.ctx, r.lw1, cope.PersonID, share)
	roomNoError(t, err)
	if d, ok := sees(r.asst, cope); !ok || !d.HealthView {
		t.Errorf("asst with consent: sees %v, health view %v", ok, d.HealthView)
	}
	share.Given = false
	_, err = r.svc.RecordConsent(r.ctx, r.coord, cope.PersonID, share)
	roomNoError(t, err)
	if _, ok := sees(r.asst, cope); ok {
		t.Error("asst still sees the COPE pathway after the withdrawal")
	}
	if items, _, _ := r.svc.Caseload(r.ctx, r.asst, pathway.CaseloadFilter{}); len(items) != 1 || items[0].ID != vmd.ID {
		t.Errorf("asst's list = %+v", items)
	}
	_, err = r.svc.Consents(r.ctx, r.asst, cope.PersonID)
	roomWantCode(t, err, apperr.NotFound, "")

	// Statistics: udp and coordinator, nobody else.
	for _, a := range []actor.Actor{r.lw1, r.asst, r.assemblea, r.dpo} {
		_, err := r.svc.Stats(r.ctx, a)
		roomWantCode(t, err, apperr.Forbidden, "")
	}
}

// Stats hold counts only, small ones suppressed, and leave out who withdrew from research.
func TestPathwayStatsAreAggregatesOnly(t *testing.T) {
	r := newRoom(t)
	var ps []pathway.Pathway
	for _, name := range []string{"Uno", "Due", "Tre", "Quattro", "Cinque"} {
		ps = append(ps, r.openCOPE(t, r.lw1, name, "Statistica", ""))
	}
	st, err := r.svc.Stats(r.ctx, r.udp)
	roomNoError(t, err)
	b, _ := json.Marshal(st)
	for _, leak := range []string{"Statistica", ps[0].ID, ps[0].PersonID, "lw-1"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("stats show %q: %s", leak, b)
		}
	}
	cope := st.Programmes[0]
	if cope.Programme != "cope" || cope.Opened.N != 5 || cope.Opened.Suppressed || cope.ByStage["aggancio"].N != 5 {
		t.Fatalf("cope stats = %s", b)
	}
	_, err = r.svc.RecordConsent(r.ctx, r.lw1, ps[0].PersonID, pathway.ConsentInput{Purpose: pathway.PurposeResearch, Given: false, NoticeVersion: "2026-01"})
	roomNoError(t, err)
	st, err = r.svc.Stats(r.ctx, r.coord)
	roomNoError(t, err)
	if c := st.Programmes[0].Opened; c.N != 4 || !c.Suppressed {
		t.Errorf("after a withdrawal from research, opened = %+v, want 4 suppressed", c)
	}
	var shown string
	if b, _ := json.Marshal(st.Programmes[0].Opened); json.Unmarshal(b, &shown) != nil || shown != "<5" {
		t.Errorf("suppressed count shows %s", b)
	}
}
