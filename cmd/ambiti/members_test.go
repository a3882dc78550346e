package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestTheUfficioDiPianoManagesRolesOfItsOwnDistrictOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp := e.token("udp.valle-trompia")
	type me struct {
		User  struct{ ID string }
		Roles []string
	}
	var coop, udpMe, trentoCoop me
	e.call("GET", "valle-trompia", "/api/v1/me", e.token("coop.valle-trompia"), nil).json(t, &coop)
	e.call("GET", "valle-trompia", "/api/v1/me", udp, nil).json(t, &udpMe)
	e.call("GET", "trento", "/api/v1/me", e.token("coop.trento"), nil).json(t, &trentoCoop)

	r := e.call("PUT", "valle-trompia", "/api/v1/members/"+coop.User.ID+"/roles/asst", udp, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"roles":["asst","coop"]`) {
		t.Fatalf("grant: %d %s", r.status, r.body)
	}
	var after me
	e.call("GET", "valle-trompia", "/api/v1/me", e.token("coop.valle-trompia"), nil).json(t, &after)
	if strings.Join(after.Roles, ",") != "asst,coop" {
		t.Errorf("the grant is not effective: roles %v", after.Roles)
	}
	if r := e.call("DELETE", "valle-trompia", "/api/v1/members/"+coop.User.ID+"/roles/asst", udp, nil); r.status != http.StatusOK || strings.Contains(string(r.body), "asst") {
		t.Errorf("revoke: %d %s", r.status, r.body)
	}

	for name, c := range map[string]struct {
		path       string
		status     int
		inResponse string
	}{
		"unknown role":                 {"/api/v1/members/" + coop.User.ID + "/roles/admin", 400, `"field":"role"`},
		"regional role in a district":  {"/api/v1/members/" + coop.User.ID + "/roles/regione", 400, `"field":"role"`},
		"a person of another district": {"/api/v1/members/" + trentoCoop.User.ID + "/roles/asst", 404, `"not_found"`},
		"not an id":                    {"/api/v1/members/1%27%20or%201=1/roles/asst", 404, `"not_found"`},
	} {
		if r := e.call("PUT", "valle-trompia", c.path, udp, nil); r.status != c.status || !strings.Contains(string(r.body), c.inResponse) {
			t.Errorf("%s: %d %s, want %d with %s", name, r.status, r.body, c.status, c.inResponse)
		}
	}
	// The district cannot lock its Ufficio di Piano out.
	if r := e.call("DELETE", "valle-trompia", "/api/v1/members/"+udpMe.User.ID+"/roles/udp", udp, nil); r.status != http.StatusConflict {
		t.Errorf("revoking the last udp: %d %s, want 409", r.status, r.body)
	}
	// Members list: this district's people only.
	r = e.call("GET", "valle-trompia", "/api/v1/members", udp, nil)
	if !strings.Contains(string(r.body), "coop.valle-trompia") || strings.Contains(string(r.body), "coop.trento") {
		t.Errorf("members: %s", r.body)
	}
}

func TestSecurityHeadersAndLoginRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.call("GET", "valle-trompia", "/healthz", "", nil)
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Frame-Options":         "DENY",
	} {
		if !strings.Contains(r.header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, r.header.Get(h), want)
		}
	}
	limited := 0
	for range 40 {
		if r := e.call("GET", "valle-trompia", "/auth/login", "", nil); r.status == http.StatusTooManyRequests {
			limited++
			if !strings.Contains(string(r.body), `"rate_limited"`) {
				t.Errorf("429 body: %s", r.body)
			}
		}
	}
	if limited == 0 {
		t.Error("40 login requests in a row were never rate limited")
	}
	if r := e.call("GET", "valle-trompia", "/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("the limit spilled over to other routes: %d", r.status)
	}
}
