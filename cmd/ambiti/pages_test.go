package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// page is one HTML answer.
type page struct {
	status   int
	location string
	header   http.Header
	body     string
}

// session is a browser logged in to one host through the development provider's form; it
// follows no redirect by itself, so each answer can be inspected.
type session struct {
	t    *testing.T
	b    *browser
	slug string
	csrf string
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login opens a browser session of username on slug's host ("" for the platform).
func (e *env) login(slug, username string) *session {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &session{t: e.t, b: &browser{e: e, jar: jar}, slug: slug}
	res, body, _ := s.b.login(slug, username, e.idp.Password, "/profilo")
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("login %s: %d %.300s", username, res.StatusCode, body)
	}
	m := csrfRE.FindSubmatch(body)
	if m == nil {
		e.t.Fatalf("no CSRF token on /profilo for %s", username)
	}
	s.csrf = string(m[1])
	return s
}

// anonymous is a browser that has not logged in.
func (e *env) anonymous(slug string) *session {
	jar, _ := cookiejar.New(nil)
	return &session{t: e.t, b: &browser{e: e, jar: jar}, slug: slug}
}

func (s *session) do(method, path string, form url.Values, hdr ...string) page {
	s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://"+s.b.e.host(s.slug)+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://"+s.b.e.host(s.slug))
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, b := s.b.do(req)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(b)}
}

func (s *session) get(path string, hdr ...string) page {
	s.t.Helper()
	return s.do("GET", path, nil, hdr...)
}

// post submits a form with the session's CSRF token.
func (s *session) post(path string, form url.Values) page {
	s.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok && s.csrf != "" {
		form.Set("_csrf", s.csrf)
	}
	return s.do("POST", path, form)
}

// contains checks that p's body has each of want (HTML-unescaped comparison).
func (p page) contains(t *testing.T, what string, want ...string) {
	t.Helper()
	text := html.UnescapeString(p.body)
	for _, w := range want {
		if !strings.Contains(text, w) && !strings.Contains(p.body, w) {
			t.Errorf("%s: page lacks %q (status %d):\n%s", what, w, p.status, excerpt(p.body))
		}
	}
}

func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500]
	}
	return body
}

// fixture is a plan with an objective, an indicator, a partner and an assignment, made
// through the API as the Ufficio di Piano.
type fixture struct {
	plan, objective, indicator, partner, assignment int64
}

func newFixture(t *testing.T, e *env, slug string) fixture {
	t.Helper()
	udp := e.as("udp."+slug, slug)
	var f fixture
	var id idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano di Zona 2024-2026", "start_year": 2024, "end_year": 2026}, &id)
	f.plan = id.ID
	udp.ok("POST", fmt.Sprintf("/api/v1/plans/%d/objectives", f.plan), map[string]any{
		"title": "Servizio di assistenza domiciliare", "area_code": "D", "socio_sanitary": true, "marker": "innovativo",
		"description": "Interventi domiciliari per persone fragili.", "target": "anziani e persone con disabilità"}, &id)
	f.objective = id.ID
	udp.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/indicators", f.objective), map[string]any{"kind": "risultato", "name": "N. utenti seguiti", "unit": "n.", "baseline": 10, "target": 30}, &id)
	f.indicator = id.ID
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/budget", f.objective), map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FNPS", "stanziato_cents": 5_000_000, "impegnato_cents": 2_000_000, "liquidato_cents": 1_000_000}}}, nil)
	udp.ok("POST", "/api/v1/partners", map[string]any{"code": "laquilone", "name": "Cooperativa Sociale L'Aquilone", "kind": "cooperativa"}, &id)
	f.partner = id.ID
	udp.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/assignments", f.objective), map[string]any{"partner_id": f.partner, "activity": "Assistenza domiciliare educativa"}, &id)
	f.assignment = id.ID
	return f
}

func TestPagesAnswerByRoleAndRefuseOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "valle-trompia"
	f := newFixture(t, e, slug)
	sessions := map[string]*session{}
	for _, r := range []string{"udp", "assemblea", "coop", "coop2", "asst", "link_worker"} {
		sessions[r] = e.login(slug, r+"."+slug)
	}
	all := []string{"udp", "assemblea", "coop", "coop2", "asst", "link_worker"}
	readers := []string{"udp", "assemblea", "asst"}
	editors := []string{"udp", "asst"}
	udp := []string{"udp"}
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	for _, c := range []struct {
		path    string
		allowed []string
		title   string // text the page shows to those allowed
	}{
		{"/", all, "Valle Trompia"},
		{"/profilo", all, "Il mio profilo"},
		{"/accessibilita", all, "Comunità Montana"},
		{"/privacy", all, "Titolare del trattamento"},
		{"/note-legali", all, "CC BY 4.0"},
		{"/piani", readers, "Piano di Zona 2024-2026"},
		{"/piani/nuovo", udp, "Nuovo Piano di Zona"},
		{fmt.Sprintf("/piani/%d", f.plan), readers, "Servizio di assistenza domiciliare"},
		{fmt.Sprintf("/piani/%d/obiettivi/nuovo", f.plan), udp, "Descrizione obiettivo"},
		{obj, readers, "N. utenti seguiti"},
		{obj + "/modifica", editors, "Presenta aspetti di integrazione sociosanitaria?"},
		{obj + "/indicatori/nuovo", editors, "Nuovo indicatore"},
		{fmt.Sprintf("%s/indicatori/%d/misurazioni/nuova", obj, f.indicator), editors, "Registra una misurazione"},
		{obj + "/budget", udp, "Salva il budget"},
		{obj + "/valutazioni/2024", editors, "Grado di raggiungimento dell'obiettivo"},
		{obj + "/incarichi/nuovo", udp, "Cooperativa Sociale L'Aquilone"},
		{"/approvazioni", []string{"assemblea"}, "Da approvare"},
		{"/partner", readers, "Cooperativa Sociale L'Aquilone"},
		{"/partner/nuovo", udp, "Codice organizzazione"},
		{"/partecipazione", []string{"udp", "assemblea"}, "Partecipazione"},
		{"/partecipazione/nuovo", udp, "Partecipanti per tipo"},
		{"/incarichi", []string{"udp", "assemblea", "asst", "coop", "coop2"}, "Incarichi"},
		{"/amministrazione/utenti", udp, "udp.valle-trompia"},
		{"/percorsi", []string{"asst", "link_worker"}, "Da sentire questa settimana"},
		{"/percorsi/nuovo", []string{"link_worker"}, "Apri un percorso"},
		{"/percorsi/statistiche", udp, "Percorsi: dati aggregati"},
	} {
		allowed := map[string]bool{}
		for _, r := range c.allowed {
			allowed[r] = true
		}
		for _, r := range all {
			p := sessions[r].get(c.path)
			switch {
			case allowed[r]:
				if p.status != http.StatusOK {
					t.Errorf("%s as %s: %d, want 200\n%s", c.path, r, p.status, excerpt(p.body))
					continue
				}
				p.contains(t, c.path+" as "+r, c.title, `<html lang="it">`)
				if strings.Contains(p.body, "⟦") {
					t.Errorf("%s as %s: a catalogue key is missing: %s", c.path, r, excerpt(p.body[strings.Index(p.body, "⟦"):]))
				}
			default:
				if p.status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", c.path, r, p.status)
					continue
				}
				p.contains(t, c.path+" as "+r, "Operazione non consentita", `<html lang="it">`)
			}
		}
		if c.path == "/" {
			continue
		}
		if public := map[string]bool{"/accessibilita": true, "/privacy": true, "/note-legali": true}; public[c.path] {
			// The footer's legal pages are read before logging in.
			e.anonymous(slug).get(c.path).contains(t, c.path+" without login", c.title)
			continue
		}
		// Without a login, a browser is sent to log in and come back; a script gets 401.
		anon := e.anonymous(slug)
		p := anon.get(c.path)
		if p.status != http.StatusSeeOther || p.location != "/auth/login?return_to="+url.QueryEscape(c.path) {
			t.Errorf("%s without login: %d %q, want 303 to the login", c.path, p.status, p.location)
		}
		if r := e.call("GET", slug, c.path, "", nil, "Accept", "application/json"); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), `"unauthenticated"`) {
			t.Errorf("%s without login, as JSON: %d %s", c.path, r.status, r.body)
		}
	}
	// The profile says in words who one is: the organisation's name, permissions without codes;
	// the slim header names the district's lead body.
	prof := sessions["coop"].get("/profilo")
	prof.contains(t, "coop's profile", "Cooperativa Sociale L&#39;Aquilone", "Comunità Montana di Valle Trompia")
	if strings.Contains(prof.body, "assignments:read") || strings.Contains(prof.body, "<code>laquilone</code>") {
		t.Errorf("the profile shows internal codes:\n%s", excerpt(prof.body))
	}
	// A cooperative sees its own assignment and nobody else's.
	own := fmt.Sprintf("/incarichi/%d", f.assignment)
	sessions["coop"].get("/incarichi").contains(t, "coop's assignments", "Assistenza domiciliare educativa")
	if p := sessions["coop2"].get("/incarichi"); strings.Contains(p.body, "Assistenza domiciliare educativa") {
		t.Errorf("another cooperative sees the assignment")
	}
	if p := sessions["coop"].get(own); p.status != http.StatusOK || !strings.Contains(p.body, "Rendiconta un periodo") {
		t.Errorf("coop's own assignment: %d", p.status)
	}
	if p := sessions["coop2"].get(own); p.status != http.StatusNotFound {
		t.Errorf("another cooperative's assignment: %d, want 404", p.status)
	}
	// The anonymous home offers the login; the platform home too.
	e.anonymous(slug).get("/").contains(t, "anonymous home", "Accedi al distretto", "/auth/login?return_to=%2F")
	e.anonymous("").get("/").contains(t, "platform home", "Accedi come ente regionale")
	// Unknown pages: an HTML 404 for browsers, JSON for scripts, and the API stays JSON.
	p := sessions["udp"].get("/non/esiste")
	if p.status != http.StatusNotFound || !strings.Contains(p.body, "Pagina non trovata") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Errorf("unknown page: %d %s", p.status, p.header.Get("Content-Type"))
	}
	if p := sessions["udp"].get("/api/v1/plans/999999"); p.status != http.StatusNotFound || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
		t.Errorf("API 404 for a browser: %d %s", p.status, p.header.Get("Content-Type"))
	}
	if p := e.anonymous("nowhere").get("/"); p.status != http.StatusNotFound || !strings.HasPrefix(p.header.Get("Content-Type"), "application/json") {
		t.Errorf("unknown host: %d %s, want a JSON 404", p.status, p.header.Get("Content-Type"))
	}
	// Static files on every host; the pages link them by a name carrying their content hash,
	// cached for a year.
	home := sessions["udp"].get("/")
	css := regexp.MustCompile(`/static/app\.[0-9a-f]{12}\.css`).FindString(home.body)
	if css == "" {
		t.Fatal("the home page links no hashed app.css")
	}
	for _, host := range []string{slug, ""} {
		p := e.anonymous(host).get(css)
		if p.status != http.StatusOK || !strings.Contains(p.header.Get("Cache-Control"), "max-age=31536000") {
			t.Errorf("static %s on %q: %d %s", css, host, p.status, p.header.Get("Cache-Control"))
		}
	}
}

func TestRegionalPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	newFixture(t, e, "valle-trompia")
	reg := e.login("", "regione.lombardia")
	p := reg.get("/")
	p.contains(t, "platform home", "Regione Lombardia", "/regioni/lombardia")
	p = reg.get("/regioni/lombardia")
	if p.status != http.StatusOK {
		t.Fatalf("region page: %d\n%s", p.status, excerpt(p.body))
	}
	p.contains(t, "region page", "Valle Trompia", "/regioni/lombardia/distretti/valle-trompia", "districts.xlsx", "districts.csv", `role="img"`, "<5")
	p = reg.get("/regioni/lombardia/distretti/valle-trompia")
	if p.status != http.StatusOK {
		t.Fatalf("drill-down: %d\n%s", p.status, excerpt(p.body))
	}
	p.contains(t, "drill-down", "Servizio di assistenza domiciliare", "Piano di Zona 2024-2026")
	for _, path := range []string{"/regioni/emilia-romagna", "/regioni/emilia-romagna/distretti/terre-dargine"} {
		if p := reg.get(path); p.status != http.StatusForbidden {
			t.Errorf("%s as regione.lombardia: %d, want 403", path, p.status)
		}
	}
	if p := reg.get("/regioni/lombardia/distretti/terre-dargine"); p.status != http.StatusNotFound {
		t.Errorf("another region's district: %d, want 404", p.status)
	}
	op := e.login("", "operator")
	if p := op.get("/regioni/lombardia"); p.status != http.StatusForbidden {
		t.Errorf("operator on a region: %d, want 403", p.status)
	}
	// The operator's pages: every district with its state, and the provisioning log.
	op.get("/operazioni/distretti").contains(t, "operator's districts", "Valle Trompia", "valle-trompia", "Attivo", "Versione dello schema")
	op.get("/operazioni/registro").contains(t, "provisioning log", "Distretto", "terre-dargine", "creato")
	if p := reg.get("/operazioni/distretti"); p.status != http.StatusForbidden {
		t.Errorf("a region on the operator's page: %d, want 403", p.status)
	}
}

var errorFieldRE = regexp.MustCompile(`id="(f-[^"]+)-error"`)

func TestFormErrorsKeepWhatWasTypedAndNameTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	check := func(what string, p page, status int, field string, kept ...string) {
		t.Helper()
		if p.status != status {
			t.Errorf("%s: %d, want %d\n%s", what, p.status, status, excerpt(p.body))
			return
		}
		m := errorFieldRE.FindAllStringSubmatch(p.body, -1)
		if len(m) != 1 || m[0][1] != field {
			t.Errorf("%s: error shown next to %v, want %s", what, m, field)
		}
		if !regexp.MustCompile(`id="` + field + `"[^>]*aria-describedby="[^"]*` + field + `-error"`).MatchString(p.body) {
			t.Errorf("%s: field %s is not described by its error", what, field)
		}
		p.contains(t, what, `role="alert"`, `id="error-summary"`, `href="#`+field+`"`, `aria-invalid="true"`, "is-invalid")
		p.contains(t, what, kept...)
	}
	check("plan with a bad end year", udp.post("/piani", url.Values{"title": {"Piano sociale 2030"}, "start_year": {"2030"}, "end_year": {"2040"}}),
		http.StatusUnprocessableEntity, "f-end_year", `value="Piano sociale 2030"`, `value="2040"`, "L'anno di fine va dal 2030 al 2035")
	check("plan with a word for a year", udp.post("/piani", url.Values{"title": {"Piano"}, "start_year": {"duemila"}, "end_year": {"2026"}}),
		http.StatusUnprocessableEntity, "f-start_year", `value="duemila"`)
	check("objective without area", udp.post(fmt.Sprintf("/piani/%d/obiettivi", f.plan), url.Values{
		"title": {"Nuovo obiettivo di prova"}, "needs": {"Bisogni scritti a mano"}, "socio_sanitary": {"1"}}),
		http.StatusUnprocessableEntity, "f-area_code", `value="Nuovo obiettivo di prova"`, ">Bisogni scritti a mano</textarea>", `name="socio_sanitary" value="1" checked`)
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	check("budget with paid above committed on the second line", udp.post(obj+"/budget", url.Values{
		"year": {"2024", "2025", ""}, "source_code": {"FNPS", "FNA", ""}, "stanziato": {"50.000,00", "1.000", ""},
		"impegnato": {"20.000", "100", ""}, "liquidato": {"10.000", "200,50", ""}, "note": {"", "seconda riga", ""}}),
		http.StatusUnprocessableEntity, "f-lines-1--liquidato_cents", `value="200,50"`, `value="seconda riga"`, "Il liquidato non può superare l'impegnato")
	check("budget with a bad amount", udp.post(obj+"/budget", url.Values{
		"year": {"", "2025"}, "source_code": {"", "FNA"}, "stanziato": {"", "mille"}, "impegnato": {"", ""}, "liquidato": {"", ""}, "note": {"", ""}}),
		http.StatusUnprocessableEntity, "f-lines-1--stanziato_cents", `value="mille"`)
	check("measurement with a bad period", udp.post(fmt.Sprintf("%s/indicatori/%d/misurazioni", obj, f.indicator), url.Values{"period": {"primavera"}, "value": {"12,5"}}),
		http.StatusUnprocessableEntity, "f-period", `value="primavera"`, `value="12,5"`)
	check("evaluation above 100%", udp.post(obj+"/valutazioni/2024", url.Values{"achievement_pct": {"120"}, "issues": {"Nessuna."}}),
		http.StatusUnprocessableEntity, "f-achievement_pct", `value="120"`, ">Nessuna.</textarea>")
	check("partner with a bad code", udp.post("/partner", url.Values{"code": {"Coop Sole"}, "name": {"Cooperativa Sole"}, "kind": {"cooperativa"}}),
		http.StatusUnprocessableEntity, "f-code", `value="Cooperativa Sole"`)
	check("meeting with a bad count", udp.post("/partecipazione", url.Values{"held_on": {"2024-03-12"}, "kind": {"focus_group"}, "theme": {"Giovani"}, "participants.cittadini": {"tanti"}}),
		http.StatusUnprocessableEntity, "f-participants-cittadini", `value="Giovani"`, `value="tanti"`)
	// Every refusal at once, in plain words: an empty measurement names the period and the value.
	empty := udp.post(fmt.Sprintf("%s/indicatori/%d/misurazioni", obj, f.indicator), url.Values{"period": {""}, "value": {""}, "note": {"scritta a mano"}})
	if m := errorFieldRE.FindAllStringSubmatch(empty.body, -1); empty.status != http.StatusUnprocessableEntity || len(m) != 2 {
		t.Errorf("empty measurement: %d, errors next to %v", empty.status, m)
	}
	empty.contains(t, "empty measurement", "Indicare il periodo", "Indicare il valore", `href="#f-period"`, `href="#f-value"`, "scritta a mano")
	if strings.Contains(empty.body, `non valido ""`) {
		t.Error("an empty field is called not valid")
	}

	// In English the same refusal speaks English, next to the same field.
	p := udp.post("/piani?lang=en", url.Values{"title": {""}, "start_year": {"2024"}, "end_year": {"2026"}})
	check("English refusal", p, http.StatusUnprocessableEntity, "f-title", "Enter the plan's title", `<html lang="en">`)
	udp.get("/?lang=it")

	// The budget's "add a line" works without JavaScript: the same form, one more line.
	p = udp.post(obj+"/budget", url.Values{"azione": {"riga"}, "year": {"2024"}, "source_code": {"FNPS"}, "stanziato": {"1"}, "impegnato": {""}, "liquidato": {""}, "note": {""}})
	if p.status != http.StatusOK || strings.Count(p.body, `name="year"`) != 2 {
		t.Errorf("add a line: %d, %d lines", p.status, strings.Count(p.body, `name="year"`))
	}
	// A good budget is saved in one go and the browser goes back to the objective.
	p = udp.post(obj+"/budget", url.Values{"year": {"2024", "2025"}, "source_code": {"FNPS", "FNA"}, "stanziato": {"50.000,00", "1.000"},
		"impegnato": {"20.000", ""}, "liquidato": {"10.000", ""}, "note": {"", ""}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, obj) {
		t.Fatalf("budget: %d %s\n%s", p.status, p.location, excerpt(p.body))
	}
	udp.get(obj).contains(t, "objective after the budget", "€ 51.000,00", "Fondo Nazionale")
	// Without the CSRF token, nothing is written.
	if p := udp.post("/piani", url.Values{"_csrf": {"wrong"}, "title": {"X"}, "start_year": {"2024"}, "end_year": {"2026"}}); p.status != http.StatusForbidden {
		t.Errorf("a form without the right CSRF token: %d, want 403", p.status)
	}
}

func TestWorkflowThroughThePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	ass := e.login("valle-trompia", "assemblea.valle-trompia")
	plan := fmt.Sprintf("/piani/%d", f.plan)
	udp.get(plan).contains(t, "draft plan", "Proponi all'Assemblea", "Nuovo obiettivo")
	if p := udp.post(plan+"/proponi", nil); p.status != http.StatusSeeOther || p.location != plan+"?esito=plan_propose" {
		t.Fatalf("propose: %d %s", p.status, p.location)
	}
	udp.get(plan+"?esito=plan_propose").contains(t, "proposed plan", "Piano proposto all'Assemblea dei Sindaci.", "Proposto")
	if strings.Contains(udp.get(plan).body, `id="new-objective"`) {
		t.Error("a proposed plan still offers a new objective")
	}
	// Sending back needs a note: refused next to the note field.
	p := ass.post(plan+"/restituisci", url.Values{"return_note": {"  "}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="f-return_note-error"`) {
		t.Errorf("send back without a note: %d", p.status)
	}
	ass.get("/approvazioni").contains(t, "approvals", "Piano di Zona 2024-2026", "Approva")
	// Approving needs the delibera, then a confirmation that says what is approved.
	if p := ass.post(plan+"/approva", url.Values{"from": {"approvazioni"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="f-delibera_number-error"`) {
		t.Fatalf("approve without a delibera: %d", p.status)
	}
	act := url.Values{"from": {"approvazioni"}, "delibera_number": {"12/2024"}, "delibera_date": {"2024-03-12"}}
	if p := ass.post(plan+"/approva", act); p.status != http.StatusOK || !strings.Contains(p.body, "Approvare il piano") || !strings.Contains(p.body, "Delibera n. 12/2024 del 12/03/2024") {
		t.Fatalf("approve asks for confirmation: %d %s", p.status, p.body)
	}
	act.Set("confirm", "1")
	if p := ass.post(plan+"/approva", act); p.status != http.StatusSeeOther || p.location != "/approvazioni?esito=plan_approve" {
		t.Fatalf("approve: %d %s", p.status, p.location)
	}
	ass.get(plan).contains(t, "the delibera on the plan", "delibera n. 12/2024 del 12/03/2024")
	ass.get("/approvazioni").contains(t, "approvals after", "Nulla in attesa di approvazione.")
	// Approving twice: the page says why, as a conflict.
	if p := ass.post(plan+"/approva", url.Values{"delibera_number": {"12/2024"}, "delibera_date": {"2024-03-12"}, "confirm": {"1"}}); p.status != http.StatusConflict || !strings.Contains(p.body, "il piano è approvato") {
		t.Errorf("approve twice: %d", p.status)
	}
	// An amendment: opened with a reason by the Ufficio di Piano.
	if p := udp.post(plan+"/variazioni", url.Values{"reason": {"Nuovo bando regionale"}}); p.status != http.StatusSeeOther {
		t.Fatalf("open amendment: %d\n%s", p.status, excerpt(p.body))
	}
	udp.get(plan).contains(t, "amendment", "Variazione in corso", "Nuovo bando regionale", "Proponi la variazione")
	// Roles: the Ufficio di Piano grants and revokes through the administration page.
	var coop struct{ User struct{ ID string } }
	e.call("GET", "valle-trompia", "/api/v1/me", e.token("coop.valle-trompia"), nil).json(t, &coop)
	// A role change asks first, and changes nothing until confirmed.
	if p := udp.post("/amministrazione/utenti/"+coop.User.ID+"/ruoli", url.Values{"op": {"grant"}, "role": {"asst"}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, "Assegnare il ruolo «Personale sanitario (ASST / APSS)» a") || !strings.Contains(p.body, `name="confirm" value="1"`) {
		t.Fatalf("grant without confirmation: %d\n%s", p.status, excerpt(p.body))
	}
	if got := e.app.authz.Roles(coop.User.ID, "valle-trompia"); strings.Join(got, ",") != "coop" {
		t.Errorf("roles before the confirmation: %v", got)
	}
	if p := udp.post("/amministrazione/utenti/"+coop.User.ID+"/ruoli", url.Values{"op": {"grant"}, "role": {"asst"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("grant: %d", p.status)
	}
	if got := e.app.authz.Roles(coop.User.ID, "valle-trompia"); strings.Join(got, ",") != "asst,coop" {
		t.Errorf("roles after grant: %v", got)
	}
	if p := udp.post("/amministrazione/utenti/"+coop.User.ID+"/ruoli", url.Values{"op": {"revoke"}, "role": {"asst"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.status)
	}
	// The role select has no default; an invitation without contact nor role names both fields.
	udp.get("/amministrazione/utenti").contains(t, "users", `<option value="" selected>`, "Invitare una persona prima del suo primo accesso")
	if p := udp.post("/amministrazione/inviti", url.Values{"invite-contact": {""}, "invite-role": {""}}); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.body, `id="f-invite-contact-error"`) || !strings.Contains(p.body, `id="f-invite-role-error"`) {
		t.Errorf("empty invitation: %d\n%s", p.status, excerpt(p.body))
	}
	if p := udp.post("/amministrazione/inviti", url.Values{"invite-contact": {"nuova.persona@comune.it"}, "invite-role": {"assemblea"}}); p.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", p.status, excerpt(p.body))
	}
	udp.get("/amministrazione/utenti").contains(t, "invitation listed", "nuova.persona@comune.it", "Annulla l'invito")
	var me struct{ User struct{ ID string } }
	e.call("GET", "valle-trompia", "/api/v1/me", e.token("udp.valle-trompia"), nil).json(t, &me)
	if p := udp.post("/amministrazione/utenti/"+me.User.ID+"/ruoli", url.Values{"op": {"revoke"}, "role": {"udp"}, "confirm": {"1"}}); p.status != http.StatusConflict ||
		!strings.Contains(p.body, "ultimo ruolo di Ufficio di Piano") {
		t.Errorf("revoke the last udp: %d", p.status)
	}
	// Logout is a form with the CSRF token; the browser is sent on (303).
	if p := udp.post("/auth/logout", nil); p.status != http.StatusSeeOther {
		t.Errorf("logout: %d", p.status)
	}
	if p := udp.get("/piani"); p.status != http.StatusSeeOther {
		t.Errorf("after logout: %d, want the login redirect", p.status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.anonymous("valle-trompia")
	p := b.get("/")
	p.contains(t, "default", `<html lang="it">`, "Accedi al distretto", `hreflang="en"`)
	p = b.get("/?lang=en")
	p.contains(t, "switched", `<html lang="en">`, "Log in to the district", "Skip to main content")
	if !strings.Contains(strings.Join(p.header.Values("Set-Cookie"), ";"), "ambiti_lang=en") {
		t.Errorf("the choice is not remembered: %v", p.header.Values("Set-Cookie"))
	}
	if p.header.Get("Content-Language") != "en" {
		t.Errorf("Content-Language %q", p.header.Get("Content-Language"))
	}
	b.get("/").contains(t, "remembered", `<html lang="en">`)
	b.get("/?lang=it").contains(t, "back", `<html lang="it">`)
	e.anonymous("valle-trompia").get("/", "Accept-Language", "en-GB,en;q=0.9").contains(t, "Accept-Language", `<html lang="en">`)
	// Error pages speak the chosen language too.
	e.anonymous("valle-trompia").get("/nope?lang=en").contains(t, "English 404", "Page not found")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	udp.get("/piani?lang=en").contains(t, "English plans", "Plans (Piani di Zona)", "New plan", "My profile", "Log out")
}

func TestFormsSaveAndGoBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	saved := func(what string, p page, to string) {
		t.Helper()
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, to) {
			t.Fatalf("%s: %d %q, want 303 to %s\n%s", what, p.status, p.location, to, excerpt(p.body))
		}
	}
	// The whole objective sheet, unchecked boxes included.
	form := url.Values{"title": {"Servizio domiciliare rinnovato"}, "area_code": {"D"}, "marker": {"continuita"}, "target": {"50 persone"},
		"description": {"Riga uno\r\nRiga due"}, "economic_resources": {"FNA € 100.000 nel triennio"}, "staff_resources": {"2 educatori"},
		"transversal": {"1"}, "transversal_areas": {"Politiche abitative"}, "co_designed": {"1"}, "co_design_partners": {"Cooperative del territorio"},
		"needs": {"n"}, "process_modalities": {"p"}, "expected_results": {"r"}, "impact": {"i"}, "timing": {"entro 30 giorni"}, "position": {"3"}}
	saved("objective", udp.post(obj, form), obj)
	p := udp.get(obj)
	p.contains(t, "saved objective", "Servizio domiciliare rinnovato", "Obiettivo in continuità", "Sì: Politiche abitative", "Riga uno\nRiga due", "entro 30 giorni")
	if strings.Contains(p.body, "Integrazione sociosanitaria") {
		t.Error("the unchecked socio-sanitary box was not saved as false")
	}
	udp.get(obj+"/modifica").contains(t, "edit form", `value="Servizio domiciliare rinnovato"`, `name="transversal" value="1" checked`, `<option value="continuita" selected>`)
	// The evaluation sheet's seven items.
	saved("evaluation", udp.post(obj+"/valutazioni/2024", url.Values{"achievement_pct": {"85"}, "user_evaluation": {"si"}, "user_evaluation_note": {"questionario"},
		"resource_match_pct": {""}, "issues": {"Nessuna."}, "need_met": {"in_parte"}, "continuity_previous": {"si"}, "proposed_again": {"no"},
		"proposed_again_note": {"obiettivo raggiunto"}}), obj)
	udp.get(obj).contains(t, "evaluation", "85%", "In parte", "Nessuna.")
	udp.get(obj+"/valutazioni/2024").contains(t, "evaluation form", `value="85"`, `<option value="no" selected>`, "obiettivo raggiunto")
	// A meeting with participants by type.
	saved("meeting", udp.post("/partecipazione", url.Values{"held_on": {"2024-03-12"}, "kind": {"focus_group"}, "theme": {"Giovani e lavoro"},
		"plan_id": {fmt.Sprint(f.plan)}, "participants.cittadini": {"12"}, "participants.terzo_settore": {"7"}}), "/partecipazione")
	udp.get("/partecipazione").contains(t, "meetings", "Giovani e lavoro", "12/03/2024", "Focus group", `role="img"`)
	// Health staff edit only objectives of socio-sanitary integration: another one is refused.
	var id idOnly
	e.as("udp.valle-trompia", "valle-trompia").ok("POST", fmt.Sprintf("/api/v1/plans/%d/objectives", f.plan), map[string]any{"title": "Solo sociale", "area_code": "A"}, &id)
	asst := e.login("valle-trompia", "asst.valle-trompia")
	other := fmt.Sprintf("/obiettivi/%d", id.ID)
	if strings.Contains(asst.get(other).body, `id="edit-objective"`) {
		t.Error("health staff are offered to edit an objective without socio-sanitary integration")
	}
	if p := asst.post(other, url.Values{"title": {"x"}, "area_code": {"A"}}); p.status != http.StatusForbidden || !strings.Contains(p.body, "obiettivi di integrazione sociosanitaria") {
		t.Errorf("health staff editing another objective: %d", p.status)
	}
	if p := asst.get(other + "/modifica"); p.status != http.StatusForbidden {
		t.Errorf("health staff opening the edit form of another objective: %d, want 403", p.status)
	}
	// An amendment: proposed by the Ufficio di Piano, approved by the Assemblea; the version goes up.
	udp2 := e.as("udp.valle-trompia", "valle-trompia")
	udp2.ok("POST", fmt.Sprintf("/api/v1/plans/%d/propose", f.plan), nil, nil)
	e.as("assemblea.valle-trompia", "valle-trompia").ok("POST", fmt.Sprintf("/api/v1/plans/%d/approve", f.plan), delibera, nil)
	plan := fmt.Sprintf("/piani/%d", f.plan)
	saved("open amendment", udp.post(plan+"/variazioni", url.Values{"reason": {"Nuovo bando"}}), plan)
	saved("new objective inside the amendment", udp.post(plan+"/obiettivi", url.Values{"title": {"Obiettivo della variazione"}, "area_code": {"B"}}), "/obiettivi/")
	saved("propose amendment", udp.post(plan+"/variazioni/1/proponi", nil), plan)
	ass := e.login("valle-trompia", "assemblea.valle-trompia")
	ass.get("/approvazioni").contains(t, "amendment waiting", "Variazione", "Nuovo bando", "modifiche registrate: 1")
	saved("approve amendment", ass.post(plan+"/variazioni/1/approva", url.Values{"from": {"approvazioni"}, "delibera_number": {"3/2025"}, "delibera_date": {"2025-02-01"}, "confirm": {"1"}}), "/approvazioni")
	ass.get(plan).contains(t, "after the amendment", "versione 2", "Obiettivo della variazione", "variazione approvata")
}
