package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/pathway"
)

// The pathway pages through the server: a link worker opens a COPE pathway with the form (a
// bad codice fiscale shown next to its field, values kept), records a meeting and an ONS4
// follow-up (the anxiety item refused for a 15-year-old); the coordinator's caseload, board
// and aggregates; the Ufficio di Piano sees the aggregates only; the Assemblea nothing.
func TestPathwayPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "trento"
	lw := e.login(slug, "link_worker."+slug)
	today := time.Now().Format(time.DateOnly)

	cf := "VRDLCU10A41L378"
	cf += string(pathway.CFControl(cf))
	form := url.Values{"person-given_name": {"Lucia"}, "person-family_name": {"Verdi di Prova"}, "person-codice_fiscale": {"VRDLCU10A41L378Z"},
		"person-birth_date": {time.Now().AddDate(-15, -1, 0).Format(time.DateOnly)}, "person-sex": {"F"}, "person-language": {"it"},
		"programme": {"cope"}, "source": {"scuola"}, "engaged_on": {today}, "neet_start": {"nessuno"}, "notice_version": {"2026-01"}, "consent": {"1"}}
	p := lw.post("/percorsi/nuovo", form)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-person-codice_fiscale"`) || !strings.Contains(p.body, "Verdi di Prova") {
		t.Errorf("open with a bad codice fiscale: %d\n%s", p.status, excerpt(p.body))
	}
	form.Set("person-codice_fiscale", cf)
	form.Del("consent")
	if p := lw.post("/percorsi/nuovo", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-consent"`) {
		t.Errorf("open without the consent ticked: %d\n%s", p.status, excerpt(p.body))
	}
	form.Set("consent", "1")
	p = lw.post("/percorsi/nuovo", form)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/percorsi/") {
		t.Fatalf("open: %d %q\n%s", p.status, p.location, excerpt(p.body))
	}
	path, _, _ := strings.Cut(p.location, "?")
	id := strings.TrimPrefix(path, "/percorsi/")

	noKeys := func(what string, p page) {
		t.Helper()
		if p.status != http.StatusOK {
			t.Errorf("%s: %d\n%s", what, p.status, excerpt(p.body))
		}
		if i := strings.Index(p.body, "⟦"); i >= 0 {
			t.Errorf("%s: a catalogue key is missing: %.200s", what, p.body[i:])
		}
	}
	for _, u := range []string{"/percorsi", "/percorsi/nuovo", path, path + "/ons4", "/percorsi?lang=en", path + "?lang=en", path + "/ons4?lang=en"} {
		noKeys(u+" as link worker", lw.get(u))
	}
	lw.get("/percorsi?lang=it") // the language chosen is kept: back to Italian
	lw.get("/percorsi").contains(t, "the caseload", "Lucia Verdi di Prova", "Da sentire questa settimana", `href="`+path+`"`)
	lw.get(path).contains(t, "the pathway", "Lucia Verdi di Prova", cf, "Aggancio", "Consensi", "Trattamento nel percorso", "Registra l'incontro")

	p = lw.post(path+"/incontri", url.Values{"meeting-held_on": {today}, "meeting-kind": {"colloquio"}, "meeting-notes": {"Primo colloquio"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-meeting-kind"`) {
		t.Errorf("a meeting of an unknown kind: %d\n%s", p.status, excerpt(p.body))
	}
	p = lw.post(path+"/incontri", url.Values{"meeting-held_on": {today}, "meeting-kind": {"incontro"}, "meeting-notes": {"Primo colloquio al centro giovani"},
		"meeting-next_follow_up": {time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}})
	if p.status != http.StatusSeeOther || !strings.Contains(p.location, "esito=pathway_meeting") {
		t.Fatalf("meeting: %d %q\n%s", p.status, p.location, excerpt(p.body))
	}
	ons := url.Values{"occasion": {"baseline"}, "measured_on": {today}, "life_satisfaction": {"6"}, "worthwhile": {"7"}, "happiness": {"5"}, "anxiety": {"4"}}
	if p := lw.post(path+"/ons4", ons); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="anxiety-error"`) {
		t.Errorf("ONS4 anxiety for a 15-year-old: %d\n%s", p.status, excerpt(p.body))
	}
	ons.Del("anxiety")
	ons.Set("happiness", "11")
	if p := lw.post(path+"/ons4", ons); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="happiness-error"`) {
		t.Errorf("ONS4 out of range: %d\n%s", p.status, excerpt(p.body))
	}
	ons.Set("happiness", "5")
	if p := lw.post(path+"/ons4", ons); p.status != http.StatusSeeOther {
		t.Fatalf("ONS4: %d\n%s", p.status, excerpt(p.body))
	}
	p = lw.post(path+"/fase", url.Values{"stage": {"valutazione"}, "version": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Errorf("stage: %d\n%s", p.status, excerpt(p.body))
	}
	if p := lw.post(path+"/consensi", url.Values{"person_id": {""}, "consent-purpose": {"ricerca"}, "consent-notice_version": {"2026-01"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a consent without a decision: %d", p.status)
	}
	page := lw.get(path + "?lang=it")
	page.contains(t, "after the records", "Primo colloquio al centro giovani", "Valutazione dei bisogni")
	if !regexp.MustCompile(`<td>6</td><td>7</td>\s*<td>5</td><td>—</td>`).MatchString(page.body) {
		t.Errorf("the ONS4 row shows four separate items (anxiety skipped):\n%s", excerpt(page.body[strings.Index(page.body, `id="outcomes"`):]))
	}

	// Bad input on every form: refused (4xx), never a 500.
	for _, action := range []string{"/fase", "/chiusura", "/consensi", "/incontri", "/obiettivi", "/attivita", "/valutazioni",
		"/progetto", "/progetto/00000000-0000-0000-0000-000000000000/firma", "/progetto/x/firma", "/ons4"} {
		for _, form := range []url.Values{{}, {"meeting-notes": {"a\x00b"}, "version": {"x"}, "happiness": {"tanto"}, "assessment-level": {"-1"},
			"activity-kind": {"invio"}, "activity-service_id": {"nessuno"}, "goal-started_on": {"2026-02-30"}, "consent-given": {"forse"}}} {
			for _, target := range []string{path, "/percorsi/00000000-0000-0000-0000-000000000000", "/percorsi/x"} {
				if p := lw.post(target+action, form); p.status < 400 || p.status >= 500 {
					t.Errorf("POST %s%s %v: %d", target, action, form, p.status)
				}
			}
		}
	}

	coord := e.login(slug, "coordinatore."+slug)
	for _, u := range []string{"/percorsi", "/percorsi?programme=cope&stage=valutazione", "/percorsi/assegnazioni", "/percorsi/statistiche", path, "/percorsi/statistiche?lang=en", "/percorsi/assegnazioni?lang=en"} {
		noKeys(u+" as coordinator", coord.get(u))
	}
	coord.get("/percorsi?lang=it")
	coord.get("/percorsi?programme=cope&stage=valutazione&lang=it").contains(t, "the coordinator's filtered caseload", "Lucia Verdi di Prova")
	if p := coord.get("/percorsi?programme=nessuno"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("an unknown programme in the filter: %d", p.status)
	}
	if p := coord.post(path+"/assegna", url.Values{"version": {"2"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-assignee_id-`+id+`"`) {
		t.Errorf("assign to nobody: %d\n%s", p.status, excerpt(p.body))
	}

	udp := e.login(slug, "udp."+slug)
	noKeys("stats as udp", udp.get("/percorsi/statistiche"))
	for _, u := range []string{"/percorsi", path} {
		if p := udp.get(u); p.status != http.StatusForbidden || strings.Contains(p.body, "Verdi") {
			t.Errorf("%s as udp: %d", u, p.status)
		}
	}
	assemblea := e.login(slug, "assemblea."+slug)
	for _, u := range []string{"/percorsi", path, path + "/ons4", "/percorsi/assegnazioni", "/percorsi/statistiche", "/percorsi/nuovo"} {
		p := assemblea.get(u)
		if p.status != http.StatusForbidden && p.status != http.StatusNotFound || strings.Contains(p.body, "Verdi") || strings.Contains(p.body, cf) {
			t.Errorf("%s as assemblea: %d", u, p.status)
		}
	}
	asst := e.login(slug, "asst."+slug)
	if p := asst.get("/percorsi/nuovo"); p.status != http.StatusForbidden {
		t.Errorf("health staff open a pathway: %d", p.status)
	}
	if p := asst.get(path); p.status != http.StatusNotFound || strings.Contains(p.body, "Verdi") {
		t.Errorf("health staff without the consent to share: %d", p.status)
	}
}

// A VMD pathway through the pages in Valle Trompia: the coordinator opens it with a comune of
// the district, saves the Progetto Individualizzato (a support without its provider refused
// on its row), signs it as process manager; health staff see the health view, record the
// socio-sanitary assessment and sign for the ASST.
func TestPathwayPagesVMD(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "valle-trompia"
	coord := e.login(slug, "coordinatore."+slug)
	cf := "RSSNNA50A41B157"
	cf += string(pathway.CFControl(cf))
	today := time.Now().Format(time.DateOnly)
	p := coord.post("/percorsi/nuovo", url.Values{"person-given_name": {"Anna"}, "person-family_name": {"Rossi di Prova"},
		"person-codice_fiscale": {cf}, "person-birth_date": {"1950-01-01"}, "person-municipality": {"Nessun Comune"},
		"programme": {"vmd"}, "source": {"medico"}, "engaged_on": {today}, "notice_version": {"1"}, "consent": {"1"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-person-municipality"`) {
		t.Errorf("a comune outside the district: %d\n%s", p.status, excerpt(p.body))
	}
	p = coord.post("/percorsi/nuovo", url.Values{"person-given_name": {"Anna"}, "person-family_name": {"Rossi di Prova"},
		"person-codice_fiscale": {cf}, "person-birth_date": {"1950-01-01"}, "person-municipality": {"Gardone Val Trompia"},
		"programme": {"vmd"}, "source": {"medico"}, "engaged_on": {today}, "notice_version": {"1"}, "consent": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("open a VMD: %d\n%s", p.status, excerpt(p.body))
	}
	path, _, _ := strings.Cut(p.location, "?")
	project := url.Values{"project-supports[1]-kind": {"Assistenza domiciliare"}, "project-commitments-comune": {"SAD 3 ore a settimana"}}
	if p := coord.post(path+"/progetto", project); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-project-supports-1--provider"`) {
		t.Errorf("a support without its provider: %d\n%s", p.status, excerpt(p.body))
	}
	project.Set("project-supports[1]-provider", "Cooperativa di Prova")
	if p := coord.post(path+"/progetto", project); p.status != http.StatusSeeOther {
		t.Fatalf("save the project: %d\n%s", p.status, excerpt(p.body))
	}
	page := coord.get(path)
	page.contains(t, "the VMD page", "Versione 1", "bozza", "Assistenza domiciliare", "Firma per: Process manager")
	if i := strings.Index(page.body, "⟦"); i >= 0 {
		t.Errorf("a catalogue key is missing: %.200s", page.body[i:])
	}
	pid := regexp.MustCompile(`/progetto/([0-9a-f-]{36})/firma`).FindStringSubmatch(page.body)
	if pid == nil {
		t.Fatalf("no sign button:\n%s", excerpt(page.body))
	}
	if p := coord.post(path+"/progetto/"+pid[1]+"/firma", url.Values{"party": {"process_manager"}}); p.status != http.StatusSeeOther {
		t.Errorf("sign as process manager: %d\n%s", p.status, excerpt(p.body))
	}
	if p := coord.post(path+"/progetto/"+pid[1]+"/firma", url.Values{"party": {"asst"}}); p.status != http.StatusForbidden {
		t.Errorf("the coordinator signs for the ASST: %d", p.status)
	}
	asst := e.login(slug, "asst."+slug)
	hp := asst.get(path)
	hp.contains(t, "the health view", "Vista sanitaria", "Firma per: ASST")
	if strings.Contains(hp.body, `id="meeting-form"`) {
		t.Error("health staff are offered the meetings' form")
	}
	if p := asst.post(path+"/valutazioni", url.Values{"assessment-domain": {"autonomia"}, "assessment-level": {"2"},
		"assessment-assessed_on": {today}, "assessment-notes": {"Necessita di aiuto per l'igiene personale"}}); p.status != http.StatusSeeOther {
		t.Errorf("health staff's assessment: %d\n%s", p.status, excerpt(p.body))
	}
	if p := asst.post(path+"/valutazioni", url.Values{"assessment-domain": {"autonomia"}, "assessment-level": {"9"}, "assessment-assessed_on": {today}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a level out of range: %d\n%s", p.status, excerpt(p.body))
	}
	if p := asst.post(path+"/progetto/"+pid[1]+"/firma", url.Values{"party": {"asst"}}); p.status != http.StatusSeeOther {
		t.Errorf("sign for the ASST: %d\n%s", p.status, excerpt(p.body))
	}
	coord.get(path).contains(t, "after the signatures", "Necessita di aiuto per l'igiene personale", "Process manager (", "ASST Spedali Civili (")
}
