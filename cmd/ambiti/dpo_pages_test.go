package main

import (
	"net/http"
	"strings"
	"testing"
)

// The DPO's pages and API through the server: only the DPO opens them; bad dates are refused
// naming the field; a lookup of nobody says so.
func TestPagesOfTheDPO(t *testing.T) {
	e := newEnv(t)
	const slug = "valle-trompia"
	dpo := e.login(slug, "dpo."+slug)
	for path, want := range map[string]string{
		"/dpo/registro": "Registro degli accessi",
		"/dpo/registro?action=read&from=2026-01-01":             "Registro degli accessi",
		"/dpo/interessati":                                      "Richieste degli interessati",
		"/dpo/interessati?codice_fiscale=" + "RSSMRA80A01H501U": "Nessuna persona con questo codice fiscale",
	} {
		p := dpo.get(path)
		if p.status != http.StatusOK {
			t.Errorf("%s as dpo: %d\n%s", path, p.status, excerpt(p.body))
			continue
		}
		p.contains(t, path, want)
		if strings.Contains(p.body, "⟦") {
			t.Errorf("%s: a catalogue key is missing", path)
		}
	}
	p := dpo.get("/dpo/registro?from=2026-02-30")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#`) {
		t.Errorf("a bad date on the page: %d\n%s", p.status, excerpt(p.body))
	}
	p = dpo.get("/dpo/interessati?codice_fiscale=ABC")
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("a bad codice fiscale on the page: %d", p.status)
	}
	for _, q := range []string{"from=2026-13-01", "to=ieri", "limit=x", "limit=1000"} {
		r := dpo.get("/api/v1/audit?"+q, "Accept", "application/json")
		field := strings.Split(q, "=")[0]
		if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `"`+field+`"`) {
			t.Errorf("GET /api/v1/audit?%s: %d %s", q, r.status, r.body)
		}
	}
	r := dpo.get("/api/v1/audit?limit=5", "Accept", "application/json")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"total"`) || !strings.Contains(r.body, `"items"`) {
		t.Errorf("GET /api/v1/audit: %d %s", r.status, r.body)
	}
	r = dpo.post("/dpo/interessati/00000000-0000-0000-0000-000000000000/cancella", nil)
	if r.status != http.StatusUnprocessableEntity && r.status != http.StatusNotFound {
		t.Errorf("an erasure without confirmation: %d", r.status)
	}
	udp := e.login(slug, "udp."+slug)
	for _, path := range []string{"/dpo/registro", "/dpo/interessati"} {
		if p := udp.get(path); p.status != http.StatusForbidden {
			t.Errorf("%s as udp: %d, want 403", path, p.status)
		}
	}
}
