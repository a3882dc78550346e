package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/directory/directorytest"
	"github.com/ambiti/ambiti/internal/pathway/pathwaytest"
	"github.com/ambiti/ambiti/internal/plan/plantest"
	"github.com/ambiti/ambiti/internal/region/regiontest"
	"github.com/ambiti/ambiti/internal/route"
)

// infrastructure says who may call the routes that belong to no feature room: health, login,
// the OpenAPI document, the person's own data, members and roles, the shell's pages. Each
// feature states its own routes beside its code (internal/<feature>/<feature>test/access.go).
func infrastructure() authztest.Table {
	public, anyone, onlyUdP := authztest.Public(), authztest.Anyone(), authztest.Only(roles.UdP)
	return authztest.Table{
		"GET /healthz":                             public,
		"GET /readyz":                              public,
		"GET /metrics":                             public,
		"GET /api/v1/openapi.json":                 public,
		"GET /auth/login":                          public,
		"GET /auth/callback":                       public,
		"POST /auth/logout":                        public,
		"GET /api/v1/me":                           anyone,
		"GET /api/v1/members":                      onlyUdP,
		"PUT /api/v1/members/:id/roles/:role":      onlyUdP,
		"DELETE /api/v1/members/:id/roles/:role":   onlyUdP,
		"GET /static/*":                            public,
		"GET /":                                    public,
		"GET /profilo":                             anyone,
		"GET /amministrazione/utenti":              onlyUdP,
		"POST /amministrazione/utenti/:id/ruoli":   onlyUdP,
		"GET /accessibilita":                       public,
		"GET /privacy":                             public,
		"GET /note-legali":                         public,
		"GET /operazioni/distretti":                authztest.Only(roles.Operator),
		"POST /amministrazione/inviti":             onlyUdP,
		"POST /amministrazione/inviti/:id/annulla": onlyUdP,
		"GET /operazioni/registro":                 authztest.Only(roles.Operator),
	}
}

// accessMatrix is every route of the server with who may call it: the rooms' tables merged. A
// route missing from every table fails the test: whoever adds a route must say who may call it.
func accessMatrix(t *testing.T) authztest.Table {
	t.Helper()
	m, err := authztest.Merge(infrastructure(), plantest.Access(), regiontest.Access(), directorytest.Access(), pathwaytest.Access())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// caller is someone calling a host: a demo user (or nobody) and whether the host is theirs.
type caller struct {
	name, user, role string
	own              bool
}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const district, elsewhere = "valle-trompia", "trento"
	districtCallers := []caller{{name: "no login"}}
	for _, r := range roles.District {
		districtCallers = append(districtCallers,
			caller{name: r + " of " + district, user: r + "." + district, role: r, own: true},
			caller{name: r + " of " + elsewhere, user: r + "." + elsewhere, role: r})
	}
	districtCallers = append(districtCallers,
		caller{name: "regione (platform token)", user: "regione.lombardia", role: roles.Regione},
		caller{name: "operator (platform token)", user: "operator", role: roles.Operator})
	platformCallers := []caller{
		{name: "no login"},
		{name: "regione", user: "regione.lombardia", role: roles.Regione, own: true},
		{name: "operator", user: "operator", role: roles.Operator, own: true},
		{name: "udp (district token)", user: "udp." + district, role: roles.UdP},
	}
	// Everyone logs in once, so the member the role routes act on exists.
	for _, c := range append(districtCallers, platformCallers...) {
		if c.user != "" && c.own {
			host := district
			if c.role == roles.Regione || c.role == roles.Operator {
				host = ""
			}
			if r := e.call("GET", host, "/api/v1/me", e.token(c.user), nil); r.status != http.StatusOK {
				t.Fatalf("%s: /me %d %s", c.user, r.status, r.body)
			}
		}
	}
	var coop struct{ User struct{ ID string } }
	e.call("GET", district, "/api/v1/me", e.token("coop."+district), nil).json(t, &coop)
	params := strings.NewReplacer(":id", coop.User.ID, ":role", roles.ASST, ":aid", "1", ":year", "2022",
		":region", "lombardia", ":slug", district)

	matrix := accessMatrix(t)
	covered := 0
	for _, r := range e.app.server.Routes() {
		key := r.Method + " " + r.Path
		want, ok := matrix[key]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix", key)
			continue
		}
		covered++
		for _, h := range []struct {
			on      route.Hosts
			host    string
			callers []caller
		}{{route.OnDistrict, district, districtCallers}, {route.OnPlatform, "", platformCallers}} {
			if r.On&h.on == 0 {
				continue
			}
			for _, c := range h.callers {
				token := ""
				if c.user != "" {
					token = e.token(c.user)
				}
				got := e.call(r.Method, h.host, params.Replace(r.Path), token, nil, "Accept", "application/json")
				allowed := got.status != http.StatusUnauthorized && got.status != http.StatusForbidden
				var expect bool
				switch {
				case c.user == "":
					expect = want.Public
				case !c.own:
					expect = false // a credential of another host is refused even on public routes
				default:
					expect = want.Allows(c.role)
				}
				if allowed != expect || got.status >= 500 {
					t.Errorf("%s on %q as %s: %d %.200s (want allowed=%v)", key, h.host, c.name, got.status, got.body, expect)
				}
				if !expect && c.user == "" && got.status != http.StatusUnauthorized {
					t.Errorf("%s as %s: %d, want 401 without login", key, c.name, got.status)
				}
				if !expect && c.own && got.status != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403 for a role without permission", key, c.name, got.status)
				}
			}
		}
	}
	for key := range matrix {
		found := false
		for _, r := range e.app.server.Routes() {
			found = found || r.Method+" "+r.Path == key
		}
		if !found {
			t.Errorf("matrix row %s names no route", key)
		}
	}
	t.Logf("%d routes × %d district callers / %d platform callers", covered, len(districtCallers), len(platformCallers))
}
