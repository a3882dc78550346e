package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The coordinator's matching through the pages: the link worker's profile edited (an unknown
// skill refused next to its field, values kept), the pathway's ranking with its reasons and
// weights, and the one-click assignment that lands back on the pathway, now assigned.
func TestMatchingPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "trento"
	e.login(slug, "link_worker."+slug) // a member with the link worker role: in the staff directory
	coord := e.login(slug, "coordinatore."+slug)
	today := time.Now().Format(time.DateOnly)
	p := coord.post("/percorsi/nuovo", url.Values{"person-given_name": {"Nadia"}, "person-family_name": {"Esempio di Prova"},
		"person-birth_date": {time.Now().AddDate(-20, 0, 0).Format(time.DateOnly)}, "person-municipality": {"Trento"}, "person-language": {"ar"},
		"programme": {"cope"}, "source": {"scuola"}, "engaged_on": {today}, "neet_start": {"nessuno"}, "notice_version": {"1"}, "consent": {"1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("open: %d\n%s", p.status, excerpt(p.body))
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
	list := coord.get("/percorsi/link-worker")
	noKeys("profiles", list)
	m := regexp.MustCompile(`href="/percorsi/link-worker/([^"]+)"`).FindStringSubmatch(list.body)
	if m == nil {
		t.Fatalf("no link worker to edit:\n%s", excerpt(list.body))
	}
	lw := m[1]
	edit := "/percorsi/link-worker/" + lw
	noKeys("profile form", coord.get(edit))
	noKeys("profile form (en)", coord.get(edit+"?lang=en"))
	coord.get(edit + "?lang=it")
	bad := url.Values{"capacity": {"12"}, "languages": {"ar, fr"}, "municipalities": {"Trento"}, "skills": {"orientamento_lavoro", "cucina"}}
	if p := coord.post(edit, bad); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-skills"`) || !strings.Contains(p.body, `value="ar, fr"`) {
		t.Errorf("an unknown skill: %d\n%s", p.status, excerpt(p.body))
	}
	bad.Set("capacity", "tante")
	if p := coord.post(edit, bad); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-capacity"`) {
		t.Errorf("a capacity not a number: %d\n%s", p.status, excerpt(p.body))
	}
	good := url.Values{"capacity": {"12"}, "languages": {"ar, fr"}, "municipalities": {"Trento"}, "skills": {"orientamento_lavoro"}}
	if p := coord.post(edit, good); p.status != http.StatusSeeOther || !strings.Contains(p.location, "esito=pathway_profile") {
		t.Fatalf("save the profile: %d %q\n%s", p.status, p.location, excerpt(p.body))
	}
	coord.get("/percorsi/link-worker").contains(t, "the profiles", "Orientamento al lavoro", "ar, fr")

	coord.get(path).contains(t, "the pathway's link", `href="`+path+`/abbinamento"`)
	for _, u := range []string{path + "/abbinamento", path + "/abbinamento?scelta=1&skills=orientamento_lavoro", path + "/abbinamento?lang=en"} {
		noKeys(u, coord.get(u))
	}
	coord.get(path+"/abbinamento?lang=it").contains(t, "the ranking", "copre il comune di Trento", "parla la lingua della persona (ar)",
		"Come si calcola il punteggio", `name="assignee_id-`+id+`" value="`+lw+`"`)
	if p := coord.get(path + "/abbinamento?scelta=1&skills=cucina"); p.status != http.StatusBadRequest {
		t.Errorf("an unknown skill in the query: %d", p.status)
	}
	p = coord.post(path+"/assegna", url.Values{"version": {"1"}, "from": {"abbinamento"}, "assignee_id-" + id: {lw}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, path+"?") {
		t.Fatalf("one-click assign: %d %q\n%s", p.status, p.location, excerpt(p.body))
	}
	coord.get(path+"/abbinamento").contains(t, "after the assignment", "Assegnato ora")

	// The same through the API: the profile's refusals name their field; the ranking in JSON.
	tok := e.token("coordinatore." + slug)
	for body, field := range map[string]string{`{"capacity": 500}`: "capacity", `{"languages": ["xx"]}`: "languages",
		`{"municipalities": ["Milano"]}`: "municipalities", `{"skills": ["cucina"]}`: "skills"} {
		r := e.call("PUT", slug, "/api/v1/link-workers/"+lw+"/profile", tok, strings.NewReader(body))
		if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"`+field+`"`) {
			t.Errorf("PUT profile %s: %d %s", body, r.status, r.body)
		}
	}
	r := e.call("PUT", slug, "/api/v1/link-workers/"+lw+"/profile", tok, strings.NewReader(`{"capacity": 20, "municipalities": ["Trento"], "languages": ["ar"], "skills": ["sport"]}`))
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"capacity":20`) {
		t.Errorf("PUT profile: %d %s", r.status, r.body)
	}
	var ranked struct {
		SkillsFrom string `json:"skills_from"`
		Workers    []struct {
			ID      string `json:"id"`
			Score   int    `json:"score"`
			Reasons []struct {
				Code   string `json:"code"`
				Points int    `json:"points"`
			} `json:"reasons"`
		} `json:"workers"`
	}
	r = e.call("GET", slug, "/api/v1/pathways/"+id+"/matches?skills=sport", tok, nil)
	r.json(t, &ranked)
	if r.status != http.StatusOK || ranked.SkillsFrom != "query" || len(ranked.Workers) == 0 || ranked.Workers[0].ID != lw ||
		ranked.Workers[0].Score != 30+(30*19/20)+15+25 {
		t.Errorf("matches: %d %s", r.status, r.body)
	}

	lwSession := e.login(slug, "link_worker."+slug)
	for _, u := range []string{path + "/abbinamento", "/percorsi/link-worker", edit} {
		if p := lwSession.get(u); p.status != http.StatusForbidden {
			t.Errorf("%s as link worker: %d", u, p.status)
		}
	}
}
