package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/pathway/pathwaytest"
	"github.com/ambiti/ambiti/internal/route"
)

// routePath fills a route's parameters: :id is the pathway, or the person under /persons and
// /subjects; the records' own ids name nothing (the pathway is refused first).
func routePath(r route.Route, pathwayID, personID string) string {
	p := r.Path
	if strings.Contains(p, "/persons/:id") || strings.Contains(p, "/subjects/:id") {
		p = strings.Replace(p, ":id", personID, 1)
	}
	p = strings.Replace(p, ":id", pathwayID, 1)
	for _, k := range []string{":gid", ":aid", ":pid"} {
		p = strings.Replace(p, k, "00000000-0000-0000-0000-000000000001", 1)
	}
	return p
}

// noName fails when a reply carries anything that identifies the person.
func noName(t *testing.T, who, method, path string, r reply, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(string(r.body), s) {
			t.Errorf("%s %s %s: %d, the body names the person (%q): %s", who, method, path, r.status, s, r.body)
		}
	}
}

// Row-level access through HTTP, on every route of the room: the link worker reaches only
// their own pathways, health staff a COPE pathway only after the consent to share it with the
// health authority, the other roles never a name, the DPO no case route.
func TestPathwayAccessOnEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const tn, v = "trento", "/api/v1"
	coord, lw, asst := e.as("coordinatore."+tn, tn), e.as("link_worker."+tn, tn), e.as("asst."+tn, tn)
	person := pathwayPerson("Gustavo", "Immaginario", "MMGGTV03A01L378", 23)
	person["municipality"] = "Trento"
	// The coordinator opens it and assigns it to nobody: it is not the link worker's.
	var p pathway.Pathway
	coord.ok("POST", v+"/pathways", map[string]any{"person": person, "programme": "cope", "source": "scuola",
		"engaged_on": pathwayToday(), "neet_start": "nessuno", "notice_version": "2026-01"}, &p)
	secrets := []string{"Gustavo", "Immaginario", person["codice_fiscale"].(string)}
	routes := pathway.NewAPI(nil).Routes()
	caseRoute := func(r route.Route) bool { return r.Object == "pathways" }

	// The link worker, and health staff before any consent to share: every route naming the
	// pathway or the person answers as it does for an id that names nothing (404, or a 400 on
	// the body checked first), never with the name.
	const nobody = "00000000-0000-0000-0000-00000000abcd"
	access := pathwaytest.Access()
	likeMissing := func(who, role string, as api) {
		t.Helper()
		for _, r := range routes {
			if !strings.Contains(r.Path, ":id") {
				continue
			}
			// A route whose permission the role lacks (the coordinator's matching) is refused
			// by the guard before any pathway is read: 403 for every id alike, checked below.
			guarded := !access[r.Method+" "+r.Path].Allows(role)
			path := routePath(r, p.ID, p.PersonID)
			res := as.do(r.Method, path, map[string]any{})
			missing := as.do(r.Method, routePath(r, nobody, nobody), map[string]any{})
			if res.status != missing.status || strings.ReplaceAll(strings.ReplaceAll(string(res.body), p.ID, nobody), p.PersonID, nobody) != string(missing.body) {
				t.Errorf("%s %s %s of another's pathway: %d %s; of nothing: %d %s", who, r.Method, path, res.status, res.body, missing.status, missing.body)
			}
			if res.status < 400 || res.status > 499 {
				t.Errorf("%s %s %s of another's pathway: %d %s, want 4xx", who, r.Method, path, res.status, res.body)
			}
			if guarded && res.status != http.StatusForbidden {
				t.Errorf("%s %s %s: %d, want 403 (a permission the role lacks)", who, r.Method, path, res.status)
			}
			if caseRoute(r) && r.Action != "inbox" && r.Method == "GET" && !guarded && res.status != http.StatusNotFound {
				t.Errorf("%s %s %s: %d, want 404 (a pathway one may not see is not there)", who, r.Method, path, res.status)
			}
			noName(t, who, r.Method, path, res, secrets...)
		}
	}
	likeMissing("link worker", roles.LinkWorker, lw)
	likeMissing("asst", roles.ASST, asst)
	res := lw.do("GET", v+"/pathways", nil)
	noName(t, "link worker", "GET", v+"/pathways", res, secrets...)
	res = lw.do("GET", v+"/pathways?codice_fiscale="+secrets[2], nil)
	noName(t, "link worker", "GET", "/pathways?codice_fiscale=", res, secrets[:2]...)

	// Health staff: nothing of a COPE pathway until the person consents to share it with the
	// health authority; then its health view; and nothing again once the consent is withdrawn.
	detail := v + "/pathways/" + p.ID
	asst.fails("GET", detail, nil, http.StatusNotFound, "")
	noName(t, "asst", "GET", detail, asst.do("GET", detail, nil), secrets...)
	noName(t, "asst", "GET", v+"/pathways", asst.do("GET", v+"/pathways", nil), secrets...)
	share := map[string]any{"purpose": "condivisione", "party": "sanita", "given": true, "notice_version": "2026-01"}
	coord.ok("POST", v+"/persons/"+p.PersonID+"/consents", share, nil)
	var d pathway.Detail
	asst.ok("GET", detail, nil, &d)
	if d.Person.FamilyName != "Immaginario" {
		t.Errorf("asst after the consent: person %+v", d.Person)
	}
	share["given"] = false
	coord.ok("POST", v+"/persons/"+p.PersonID+"/consents", share, nil)
	asst.fails("GET", detail, nil, http.StatusNotFound, "")

	// Roles without case work: 403 or 404 on every route, never a name; the Ufficio di Piano
	// reads the aggregates and the programmes' definitions (no person in either), a partner its
	// organisation's inbox (not this person, never referred).
	others := map[string]api{
		"assemblea": e.as("assemblea."+tn, tn), "udp": e.as("udp."+tn, tn), "coop": e.as("coop."+tn, tn),
		"regione": e.as("regione.trento", tn), "operator": e.as("operator", tn),
	}
	for who, as := range others {
		for _, r := range routes {
			path := routePath(r, p.ID, p.PersonID)
			res := as.do(r.Method, path, map[string]any{})
			noName(t, who, r.Method, path, res, secrets...)
			if res.status >= 200 && res.status < 300 {
				if who == "udp" && (r.Path == v+"/pathways-stats" || r.Path == v+"/programmes") {
					continue
				}
				if who == "coop" && r.Path == v+"/referrals/inbox" {
					continue // its organisation's referrals (none here), never this person
				}
				t.Errorf("%s %s %s: %d %s, want refused", who, r.Method, path, res.status, res.body)
			} else if who == "coop" && strings.HasPrefix(r.Path, v+"/referrals/:id/") && res.status == http.StatusBadRequest {
				continue // a partner answers referrals: the body is checked before the referral, which names nobody
			} else if res.status != http.StatusForbidden && res.status != http.StatusNotFound && res.status != http.StatusUnauthorized {
				t.Errorf("%s %s %s: %d %s, want 403/404", who, r.Method, path, res.status, res.body)
			}
		}
	}

	// The DPO: 403 on every case route; the subject requests and the audit are theirs.
	dpo := e.as("dpo."+tn, tn)
	for _, r := range routes {
		if !caseRoute(r) {
			continue
		}
		path := routePath(r, p.ID, p.PersonID)
		res := dpo.do(r.Method, path, map[string]any{})
		if res.status != http.StatusForbidden {
			t.Errorf("dpo %s %s: %d %s, want 403", r.Method, path, res.status, res.body)
		}
		noName(t, "dpo", r.Method, path, res, secrets...)
	}
	dpo.ok("GET", v+"/subjects/"+p.PersonID+"/export.json", nil, nil)
}
