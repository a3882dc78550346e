package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/pathway"
)

// pathwayFixture is one district's pathways made through the API: a COPE pathway of the link
// worker with a goal and an activity, a VMD pathway with a draft project.
type pathwayFixture struct {
	slug                          string
	lw, coord, dpo                api
	person, cope, vmd             string
	goal, activity, project, lwID string
	copeVersion                   int
}

func pathwayToday() string { return time.Now().In(rome()).Format(time.DateOnly) }

func rome() *time.Location {
	l, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return l
}

// pathwayPerson is the body of a new person with a valid codice fiscale.
func pathwayPerson(given, family, cf15 string, years int) map[string]any {
	cf := cf15 + string(pathway.CFControl(cf15))
	return map[string]any{"given_name": given, "family_name": family, "codice_fiscale": cf,
		"birth_date": time.Now().AddDate(-years, 0, -10).Format(time.DateOnly)}
}

func newPathwayFixture(t *testing.T, e *env, slug, municipality string) pathwayFixture {
	t.Helper()
	f := pathwayFixture{slug: slug, lw: e.as("link_worker."+slug, slug), coord: e.as("coordinatore."+slug, slug), dpo: e.as("dpo."+slug, slug)}
	const v = "/api/v1"
	young := pathwayPerson("Zefiro", "Inventato", "NVNZFR05A01B157", 21)
	young["municipality"] = municipality
	var p pathway.Pathway
	f.lw.ok("POST", v+"/pathways", map[string]any{"person": young, "programme": "cope", "source": "scuola",
		"engaged_on": pathwayToday(), "neet_start": "nessuno", "notice_version": "2026-01"}, &p)
	f.person, f.cope, f.copeVersion, f.lwID = p.PersonID, p.ID, p.Version, p.AssignedTo
	if slug == "valle-trompia" {
		old := pathwayPerson("Ermengarda", "Fittizia", "FTTRMN50A41B157", 76)
		old["municipality"] = municipality
		f.lw.ok("POST", v+"/pathways", map[string]any{"person": old, "programme": "vmd", "source": "segretariato_sociale",
			"engaged_on": pathwayToday(), "notice_version": "2026-01"}, &p)
		f.vmd = p.ID
		var pr pathway.Project
		f.lw.ok("POST", v+"/pathways/"+f.vmd+"/projects", map[string]any{}, &pr)
		f.project = pr.ID
	}
	var g pathway.Goal
	f.lw.ok("POST", v+"/pathways/"+f.cope+"/goals", map[string]any{"text": "Patente", "started_on": pathwayToday()}, &g)
	var a pathway.Activity
	f.lw.ok("POST", v+"/pathways/"+f.cope+"/activities", map[string]any{"kind": "attivita", "description": "Corso", "started_on": pathwayToday()}, &a)
	f.goal, f.activity = g.ID, a.ID
	return f
}

// districtRows counts, with a direct query on the test database, every row the room keeps
// in a district, and the audit rows of writes (a refused PATCH may have read the person).
func districtRows(t *testing.T, e *env, slug string) int64 {
	t.Helper()
	ctx, conn, schema := e.districtConn(t, slug)
	var sum int64
	for _, tb := range []string{"persons", "consents", "pathways", "pathway_events", "assessments", "goals", "activities",
		"pathway_meetings", "outcome_measures", "projects", "project_signatures", "referrals", "referral_steps", "consent_overrides", "link_worker_profiles"} {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{schema, tb}.Sanitize()).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		sum += n
	}
	var n int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{schema, "audit_log"}.Sanitize()+" WHERE action <> 'read'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return sum + n
}

// inputCase is a valid body for a write route and the fields to spoil in it ("" when the
// route has none of that kind); nested fields are named with dots, as errors name them.
type inputCase struct {
	as       api
	path     string
	body     map[string]any
	wrong    string // a field given a value of the wrong JSON type
	required string // a field to leave out
	text     string // a string field to fill with NUL and invalid UTF-8
	date     string // a date field
}

// clone copies body, setting field (dotted) to v, or removing it when remove.
func clone(body map[string]any, field string, v any, remove bool) map[string]any {
	b, _ := json.Marshal(body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	m := out
	parts := strings.Split(field, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	if remove {
		delete(m, parts[len(parts)-1])
	} else {
		m[parts[len(parts)-1]] = v
	}
	return out
}

// Every POST and PATCH of the pathway room refuses bad input through the assembled server with
// a 4xx JSON error naming the field, never a 500, and writes nothing.
func TestPathwayInputEveryWriteRouteRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const vt, v = "valle-trompia", "/api/v1"
	f := newPathwayFixture(t, e, vt, "Bovezzo")
	pw := v + "/pathways/" + f.cope
	today := pathwayToday()
	rf := newReferralFixture(t, e, f)
	ref := v + "/referrals/" + rf.referral
	cases := map[string]inputCase{
		"POST /api/v1/pathways": {as: f.lw, path: v + "/pathways", body: map[string]any{"person": pathwayPerson("Nuovo", "Inventato", "NVNNVO04A01B157", 20),
			"programme": "cope", "source": "scuola", "engaged_on": today, "neet_start": "nessuno", "notice_version": "2026-01"},
			wrong: "programme", required: "programme", text: "person.given_name", date: "engaged_on"},
		"POST /api/v1/pathways/:id/stage": {as: f.lw, path: pw + "/stage", body: map[string]any{"stage": "abbinamento", "version": f.copeVersion},
			wrong: "version", required: "stage", text: "stage"},
		"POST /api/v1/pathways/:id/close": {as: f.lw, path: pw + "/close", body: map[string]any{"reason": "rinuncia", "closed_on": today, "neet_close": "nessuno", "version": f.copeVersion},
			wrong: "version", required: "reason", text: "reason", date: "closed_on"},
		"POST /api/v1/pathways/:id/assign": {as: f.coord, path: pw + "/assign", body: map[string]any{"assignee_id": f.lwID, "version": f.copeVersion},
			wrong: "assignee_id", required: "assignee_id", text: "assignee_name"},
		"PATCH /api/v1/persons/:id": {as: f.lw, path: v + "/persons/" + f.person, body: map[string]any{"language": "pt"},
			wrong: "birth_date", text: "family_name", date: "birth_date"},
		"POST /api/v1/persons/:id/consents": {as: f.lw, path: v + "/persons/" + f.person + "/consents", body: map[string]any{"purpose": "ricerca", "given": true, "notice_version": "1"},
			wrong: "given", required: "purpose", text: "notice_version"},
		"POST /api/v1/pathways/:id/assessments": {as: f.lw, path: v + "/pathways/" + f.vmd + "/assessments", body: map[string]any{"domain": "abitazione", "assessed_on": today, "level": 1},
			wrong: "level", required: "domain", text: "notes", date: "assessed_on"},
		"POST /api/v1/pathways/:id/goals": {as: f.lw, path: pw + "/goals", body: map[string]any{"text": "Curriculum", "started_on": today},
			wrong: "text", required: "text", text: "text", date: "started_on"},
		"PATCH /api/v1/pathways/:id/goals/:gid": {as: f.lw, path: pw + "/goals/" + f.goal, body: map[string]any{"status": "in_corso"},
			wrong: "status", text: "text", date: "target_on"},
		"POST /api/v1/pathways/:id/activities": {as: f.lw, path: pw + "/activities", body: map[string]any{"kind": "attivita", "description": "Sport", "started_on": today},
			wrong: "kind", required: "kind", text: "description", date: "started_on"},
		"PATCH /api/v1/pathways/:id/activities/:aid": {as: f.lw, path: pw + "/activities/" + f.activity, body: map[string]any{"status": "conclusa", "ended_on": today},
			wrong: "status", text: "description", date: "ended_on"},
		"POST /api/v1/pathways/:id/meetings": {as: f.lw, path: pw + "/meetings", body: map[string]any{"held_on": today, "kind": "incontro", "notes": "Colloquio"},
			wrong: "notes", required: "held_on", text: "notes", date: "held_on"},
		"POST /api/v1/pathways/:id/outcomes": {as: f.lw, path: pw + "/outcomes", body: map[string]any{"occasion": "follow_up", "measured_on": today,
			"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": 5},
			wrong: "happiness", required: "life_satisfaction", text: "occasion", date: "measured_on"},
		"POST /api/v1/pathways/:id/projects": {as: f.lw, path: v + "/pathways/" + f.vmd + "/projects", body: map[string]any{
			"supports":    []any{map[string]any{"kind": "SAD", "provider": "Comune", "frequency": "3 ore", "funding": "FNA"}},
			"commitments": map[string]any{"persona": "Partecipa", "comune": "Eroga", "asst": "Valuta"}},
			wrong: "supports", text: "commitments.persona"},
		"POST /api/v1/pathways/:id/projects/:pid/sign": {as: f.lw, path: v + "/pathways/" + f.vmd + "/projects/" + f.project + "/sign", body: map[string]any{"party": "persona"},
			wrong: "party", required: "party", text: "party"},
		"POST /api/v1/pathways/:id/referrals": {as: f.lw, path: pw + "/referrals", body: map[string]any{"service_id": "00000000-0000-0000-0000-000000000001",
			"urgency": "ordinaria", "reason": "Sport", "contact_preference": "di_persona"},
			wrong: "reason", required: "reason", text: "reason"},
		"POST /api/v1/referrals/:id/accept": {as: f.lw, path: ref + "/accept", body: map[string]any{"version": 1},
			wrong: "version", text: "reason"},
		"POST /api/v1/referrals/:id/refuse": {as: f.lw, path: ref + "/refuse", body: map[string]any{"version": 1, "reason": "Posti esauriti"},
			wrong: "version", required: "reason", text: "reason"},
		"POST /api/v1/referrals/:id/conclude": {as: f.lw, path: ref + "/conclude", body: map[string]any{"version": 1, "outcome": "partecipa"},
			wrong: "outcome", required: "outcome", text: "note"},
		"POST /api/v1/referrals/:id/cancel": {as: f.lw, path: ref + "/cancel", body: map[string]any{"version": 1, "reason": "Non serve più"},
			wrong: "version", required: "reason", text: "reason"},
		"POST /api/v1/persons/:id/consent-overrides": {as: f.coord, path: v + "/persons/" + f.person + "/consent-overrides",
			body: map[string]any{"party": "sanita", "reason": "Rischio immediato per la persona"}, wrong: "reason", required: "reason", text: "reason"},
		"POST /api/v1/consent-overrides/:id/revoke": {as: f.coord, path: v + "/consent-overrides/" + rf.override + "/revoke", body: map[string]any{}},
		"PUT /api/v1/link-workers/:id/profile": {as: f.coord, path: v + "/link-workers/" + f.lwID + "/profile",
			body:  map[string]any{"capacity": 10, "municipalities": []any{"Bovezzo"}, "languages": []any{"en"}, "skills": []any{"sport"}},
			wrong: "capacity"},
		"POST /api/v1/subjects/:id/erase": {as: f.dpo, path: v + "/subjects/" + f.person + "/erase", body: map[string]any{"reason": "Richiesta dell'interessato", "reference": "prot. 1"},
			wrong: "reason", required: "reason", text: "reference"},
	}
	// A new write route of the room without a case here fails the test.
	for _, r := range pathway.NewAPI(nil).Routes() {
		if r.Method != "POST" && r.Method != "PATCH" && r.Method != "PUT" && r.Method != "DELETE" {
			continue
		}
		if _, ok := cases[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s: no bad-input case", r.Method, r.Path)
		}
	}

	before := districtRows(t, e, vt)
	// refused requires a 4xx (never 500) with a JSON error naming field when field is not "".
	refused := func(c inputCase, method, what string, body any, field string) {
		t.Helper()
		r := c.as.do(method, c.path, body)
		var out struct {
			Error *struct{ Code, Message, Field string }
		}
		switch {
		case r.status < 400 || r.status > 499 || r.status == http.StatusForbidden:
			t.Errorf("%s %s, %s: %d %s, want 400/404/409/422", method, c.path, what, r.status, r.body)
		case json.Unmarshal(r.body, &out) != nil || out.Error == nil || out.Error.Code == "" || out.Error.Message == "":
			t.Errorf("%s %s, %s: not a JSON error: %s", method, c.path, what, r.body)
		case field != "" && out.Error.Field != field:
			t.Errorf("%s %s, %s: error names %q, want %q (%s)", method, c.path, what, out.Error.Field, field, r.body)
		}
	}
	for key, c := range cases {
		method := strings.SplitN(key, " ", 2)[0]
		refused(c, method, "malformed JSON", `{"x": `, "")
		refused(c, method, "malformed JSON", `[1, 2]`, "")
		refused(c, method, "unknown field", clone(c.body, "colour_of_the_sky", "blu", false), "colour_of_the_sky")
		if c.wrong != "" {
			refused(c, method, "wrong type", clone(c.body, c.wrong, []any{true}, false), c.wrong)
		}
		if c.required != "" {
			refused(c, method, "missing required field", clone(c.body, c.required, nil, true), c.required)
		}
		if c.text != "" {
			refused(c, method, "NUL in a string", clone(c.body, c.text, "a\x00b", false), c.text)
			b, _ := json.Marshal(clone(c.body, c.text, "caf@@BAD@@", false))
			refused(c, method, "invalid UTF-8", strings.Replace(string(b), "@@BAD@@", "\xff\xfe", 1), c.text)
		}
		if c.date != "" {
			for _, d := range []string{"2026-02-30", "31/12/2025", "2025-13-01", "0000-01-01"} {
				refused(c, method, "date "+d, clone(c.body, c.date, d, false), c.date)
			}
		}
	}
	// Ids that name nothing are 404, never a 500 from a malformed uuid.
	refused(inputCase{as: f.lw, path: v + "/pathways/not-a-uuid/meetings"}, "POST", "malformed id", map[string]any{"held_on": today, "kind": "incontro"}, "")
	refused(inputCase{as: f.lw, path: v + "/persons/00000000-0000-0000-0000-000000000000"}, "PATCH", "unknown person", map[string]any{"language": "it"}, "")
	refused(inputCase{as: f.lw, path: pw + "/goals/not-a-uuid"}, "PATCH", "malformed goal id", map[string]any{"status": "in_corso"}, "")
	if after := districtRows(t, e, vt); after != before {
		t.Errorf("refused requests wrote %d rows", after-before)
	}

	// The list endpoints' query parameters.
	for _, q := range []struct {
		as          api
		path, field string
	}{
		{f.lw, v + "/pathways?limit=-1", "limit"},
		{f.lw, v + "/pathways?limit=abc", "limit"},
		{f.lw, v + "/pathways?offset=-5", "offset"},
		{f.lw, v + "/pathways?due=maybe", "due"},
		{f.lw, v + "/pathways?closed=2x", "closed"},
		{f.lw, v + "/pathways?stage=%00", "stage"},
		{f.lw, v + "/pathways?programme=%ff%fe", "programme"},
		{f.coord, pw + "/matches?skills=%00", "skills"},
		{f.coord, pw + "/matches?skills=cucina", "skills"},
		{f.dpo, v + "/audit?limit=abc", "limit"},
		{f.dpo, v + "/audit?limit=-1", "limit"},
		{f.dpo, v + "/audit?offset=-1", "offset"},
		{f.dpo, v + "/audit?from=2026-02-30", "from"},
		{f.dpo, v + "/audit?to=31/12/2025", "to"},
		{f.dpo, v + "/audit?from=0000-01-01", "from"},
		{f.dpo, v + "/audit?subject=%00", "subject"},
	} {
		q.as.fails("GET", q.path, nil, http.StatusBadRequest, q.field)
	}
	f.lw.fails("GET", v+"/pathways?codice_fiscale=NONVALIDO", nil, http.StatusBadRequest, "codice_fiscale")
}
