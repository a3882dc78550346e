package pathway_test

import (
	"bytes"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// The raw row of a person holds ciphertext: neither the name nor the codice fiscale in plain.
func TestPathwayPersonRowHoldsNoPlainText(t *testing.T) {
	r := newRoom(t)
	cf := roomCF("SGRLRA05A41B157")
	p := r.openCOPE(t, r.lw1, "Laura", "Segretissima", cf)
	var row struct {
		CFBlind, GivenNameEnc, FamilyNameEnc, CFEnc, BirthDateEnc, ContactsEnc []byte
	}
	r.sql(t, func(g *gorm.DB) error {
		return g.Raw(`SELECT cf_blind, given_name_enc, family_name_enc, cf_enc, birth_date_enc, contacts_enc
			FROM persons WHERE id = ?`, p.PersonID).Scan(&row).Error
	})
	cols := [][]byte{row.CFBlind, row.GivenNameEnc, row.FamilyNameEnc, row.CFEnc, row.BirthDateEnc, row.ContactsEnc}
	for i, col := range cols {
		if len(col) == 0 {
			t.Errorf("column %d is empty", i)
		}
		for _, plain := range []string{"Laura", "Segretissima", cf, "333 000"} {
			if bytes.Contains(col, []byte(plain)) {
				t.Errorf("column %d holds %q in plain", i, plain)
			}
		}
	}
}

// Each read of a person is audited in its transaction; a failed request leaves no audit row.
func TestPathwayReadsAreAuditedInTheirTransaction(t *testing.T) {
	r := newRoom(t)
	p := r.openCOPE(t, r.lw1, "Mario", "Audit", "")
	audited := func() int64 { return r.count(t, "audit_log", "subject = ?", p.PersonID) }
	if n := audited(); n < 3 {
		t.Fatalf("opening wrote %d audit rows, want the person, the consent and the pathway", n)
	}
	before := audited()
	_, err := r.svc.Detail(r.ctx, r.lw1, p.ID)
	roomNoError(t, err)
	after := audited()
	if after <= before {
		t.Fatalf("a Detail left no audit row (%d → %d)", before, after)
	}
	if n := r.count(t, "audit_log", "subject = ? AND what = 'persona' AND action = 'read' AND actor_id = 'lw-1'", p.PersonID); n != 1 {
		t.Errorf("persona read rows = %d, want 1", n)
	}
	// A stage move with a stale version reads the pathway, then fails: its audit row goes too.
	_, err = r.svc.MoveStage(r.ctx, r.lw1, p.ID, "abbinamento", p.Version+5)
	roomWantCode(t, err, apperr.Conflict, "version")
	if n := audited(); n != after {
		t.Errorf("a failed request left audit rows (%d → %d)", after, n)
	}
	// A refused opening leaves nothing at all.
	people := r.count(t, "persons", "TRUE")
	in := copeInput(roomYoung("Nino", "Rifiutato", ""))
	in.Source = "piccione"
	_, err = r.svc.OpenPathway(r.ctx, r.lw1, in)
	roomWantCode(t, err, apperr.Invalid, "source")
	if n := r.count(t, "persons", "TRUE"); n != people {
		t.Errorf("a refused opening left a person (%d → %d)", people, n)
	}
}

// A codice fiscale is registered once per district: the second answers 409 without a name;
// the coordinator finds the existing person by it and opens a new pathway for them.
func TestPathwayDuplicateCF(t *testing.T) {
	r := newRoom(t)
	cf := roomCF("DPLNNA05A41B157")
	first := r.openCOPE(t, r.lw1, "Anna", "Doppia", cf)
	people := r.count(t, "persons", "TRUE")
	_, err := r.svc.OpenPathway(r.ctx, r.lw2, copeInput(roomYoung("Altra", "Persona", " "+cf[:8]+" "+cf[8:])))
	e := roomWantCode(t, err, apperr.Conflict, "person.codice_fiscale", "already exists")
	for _, leak := range []string{"Anna", "Doppia", first.PersonID} {
		if bytes.Contains([]byte(e.Message+e.MessageEN), []byte(leak)) {
			t.Errorf("the conflict names %q", leak)
		}
	}
	if n := r.count(t, "persons", "TRUE"); n != people {
		t.Errorf("the refused duplicate left a person row")
	}
	if items, err := r.svc.FindByCF(r.ctx, r.lw2, cf); err != nil || len(items) != 0 {
		t.Errorf("the other link worker finds %v, %v", items, err)
	}
	items, err := r.svc.FindByCF(r.ctx, r.coord, cf)
	roomNoError(t, err)
	if len(items) != 1 || items[0].PersonID != first.PersonID || items[0].PersonName != "Anna Doppia" {
		t.Fatalf("the coordinator finds %+v", items)
	}
	in := copeInput(nil)
	in.PersonID, in.Source, in.AssignTo = first.PersonID, "famiglia", "lw-2"
	second, err := r.svc.OpenPathway(r.ctx, r.coord, in)
	roomNoError(t, err)
	if second.PersonID != first.PersonID {
		t.Errorf("second pathway of another person")
	}
	// A link worker attaches only a person they work with: lw-2 now does, another does not.
	own := pathway.OpenInput{PersonID: first.PersonID, Programme: "cope", Source: "scuola",
		EngagedOn: roomToday(), NEETStart: "studio", NoticeVersion: "2026-01"}
	_, err = r.svc.OpenPathway(r.ctx, r.lw2, own)
	roomNoError(t, err)
	stranger := r.openCOPE(t, r.lw2, "Ciro", "Estraneo", "")
	own.PersonID = stranger.PersonID
	_, err = r.svc.OpenPathway(r.ctx, r.lw1, own)
	roomWantCode(t, err, apperr.NotFound, "person_id")
	// Updating another person to the same codice fiscale is the same conflict.
	other := r.openCOPE(t, r.lw1, "Bea", "Altra", "")
	_, err = r.svc.UpdatePerson(r.ctx, r.lw1, other.PersonID, pathway.PersonInput{GivenName: "Bea", FamilyName: "Altra",
		CodiceFisc: cf, BirthDate: "2005-01-01"})
	roomWantCode(t, err, apperr.Conflict, "codice_fiscale")
}

// Bad input: 4xx naming the field, and nothing written.
func TestPathwayBadInputNamesTheField(t *testing.T) {
	r := newRoom(t)
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	cases := []struct {
		field string
		edit  func(*pathway.OpenInput)
	}{
		{"programme", func(in *pathway.OpenInput) { in.Programme = "nessuno" }},
		{"source", func(in *pathway.OpenInput) { in.Source = "" }},
		{"engaged_on", func(in *pathway.OpenInput) { in.EngagedOn = "" }},
		{"engaged_on", func(in *pathway.OpenInput) { in.EngagedOn = "27/11/2026" }},
		{"engaged_on", func(in *pathway.OpenInput) { in.EngagedOn = tomorrow }},
		{"neet_start", func(in *pathway.OpenInput) { in.NEETStart = "" }},
		{"neet_start", func(in *pathway.OpenInput) { in.NEETStart = "disoccupato" }},
		{"notice_version", func(in *pathway.OpenInput) { in.NoticeVersion = " " }},
		{"person", func(in *pathway.OpenInput) { in.Person = nil }},
		{"person.given_name", func(in *pathway.OpenInput) { in.Person.GivenName = "" }},
		{"person.family_name", func(in *pathway.OpenInput) { in.Person.FamilyName = " " }},
		{"person.codice_fiscale", func(in *pathway.OpenInput) { in.Person.CodiceFisc = "RSSMRA80A01H501X" }},
		{"person.birth_date", func(in *pathway.OpenInput) { in.Person.BirthDate = "" }},
		{"person.birth_date", func(in *pathway.OpenInput) { in.Person.BirthDate = "2005-02-30" }},
		{"person.birth_date", func(in *pathway.OpenInput) { in.Person.BirthDate = tomorrow }},
		{"person.birth_date", func(in *pathway.OpenInput) { in.Person.BirthDate = "1960-01-01" }}, // too old for COPE
		{"person.birth_date", func(in *pathway.OpenInput) { in.Person.BirthDate = time.Now().AddDate(-10, 0, 0).Format(time.DateOnly) }},
		{"person.sex", func(in *pathway.OpenInput) { in.Person.Sex = "Q" }},
		{"person.municipality", func(in *pathway.OpenInput) { in.Person.Municipality = "Milano" }},
		{"person.language", func(in *pathway.OpenInput) { in.Person.Language = "italiano" }},
	}
	for _, c := range cases {
		in := copeInput(roomYoung("Piero", "Sbagliato", roomCF("SBGPRI05A01B157")))
		c.edit(&in)
		_, err := r.svc.OpenPathway(r.ctx, r.lw1, in)
		roomWantCode(t, err, apperr.Invalid, c.field)
	}
	if n := r.count(t, "persons", "TRUE") + r.count(t, "pathways", "TRUE") + r.count(t, "consents", "TRUE"); n != 0 {
		t.Fatalf("refused openings wrote %d rows", n)
	}
	p := r.openCOPE(t, r.lw1, "Quinto", "Giusto", "")
	stages := []struct{ to, field string }{{"volare", "stage"}, {"chiusura", "stage"}, {"aggancio", "stage"}}
	for _, s := range stages {
		_, err := r.svc.MoveStage(r.ctx, r.lw1, p.ID, s.to, p.Version)
		roomWantCode(t, err, apperr.Invalid, s.field)
	}
	closures := []struct {
		field string
		in    pathway.ClosureInput
	}{
		{"reason", pathway.ClosureInput{Reason: "noia", ClosedOn: roomToday(), NEETClose: "lavoro"}},
		{"closed_on", pathway.ClosureInput{Reason: "rinuncia", ClosedOn: "", NEETClose: "lavoro"}},
		{"closed_on", pathway.ClosureInput{Reason: "rinuncia", ClosedOn: tomorrow, NEETClose: "lavoro"}},
		{"closed_on", pathway.ClosureInput{Reason: "rinuncia", ClosedOn: "2020-01-01", NEETClose: "lavoro"}},
		{"neet_close", pathway.ClosureInput{Reason: "rinuncia", ClosedOn: roomToday()}},
	}
	for _, c := range closures {
		c.in.Version = p.Version
		_, err := r.svc.Close(r.ctx, r.lw1, p.ID, c.in)
		roomWantCode(t, err, apperr.Invalid, c.field)
	}
	consents := []struct {
		field string
		in    pathway.ConsentInput
	}{
		{"purpose", pathway.ConsentInput{Purpose: "marketing", NoticeVersion: "1"}},
		{"party", pathway.ConsentInput{Purpose: pathway.PurposeSharing, NoticeVersion: "1"}},
		{"party", pathway.ConsentInput{Purpose: pathway.PurposeResearch, Party: "sanita", NoticeVersion: "1"}},
		{"notice_version", pathway.ConsentInput{Purpose: pathway.PurposeResearch}},
	}
	for _, c := range consents {
		_, err := r.svc.RecordConsent(r.ctx, r.lw1, p.PersonID, c.in)
		roomWantCode(t, err, apperr.Invalid, c.field)
	}
	_, err := r.svc.UpdatePerson(r.ctx, r.lw1, p.PersonID, pathway.PersonInput{GivenName: "Quinto", FamilyName: "Giusto", BirthDate: tomorrow})
	roomWantCode(t, err, apperr.Invalid, "birth_date")
	// A birth date that puts them outside COPE's ages (15–34) at engagement, as opening checks,
	// and nothing of the update stays.
	fifty := time.Now().AddDate(-50, 0, 0).Format(time.DateOnly)
	_, err = r.svc.UpdatePerson(r.ctx, r.lw1, p.PersonID, pathway.PersonInput{GivenName: "Quinto", FamilyName: "Troppo", BirthDate: fifty, Municipality: roomComune})
	roomWantCode(t, err, apperr.Invalid, "birth_date")
	if got, err := r.svc.Person(r.ctx, r.lw1, p.PersonID); err != nil || got.FamilyName == "Troppo" {
		t.Errorf("a refused update left %q (%v)", got.FamilyName, err)
	}
	_, err = r.svc.FindByCF(r.ctx, r.coord, "nonuncf")
	roomWantCode(t, err, apperr.Invalid, "codice_fiscale")
	_, _, err = r.svc.Caseload(r.ctx, r.coord, pathway.CaseloadFilter{Programme: "nessuno"})
	roomWantCode(t, err, apperr.Invalid, "programme")
	// Ids that are no uuid are simply not found.
	_, err = r.svc.Detail(r.ctx, r.coord, "not-a-uuid")
	roomWantCode(t, err, apperr.NotFound, "")
	_, err = r.svc.Person(r.ctx, r.coord, "42")
	roomWantCode(t, err, apperr.NotFound, "")
}
