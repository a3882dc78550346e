package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/route"
)

// access says who may call a route on their own host.
type access struct {
	public bool            // anyone, logged in or not
	anyone bool            // any authenticated person of the host
	roles  map[string]bool // these roles only
}

func only(rs ...string) access {
	m := map[string]bool{}
	for _, r := range rs {
		m[r] = true
	}
	return access{roles: m}
}

var (
	public  = access{public: true}
	anyone  = access{anyone: true}
	onlyUdP = only(roles.UdP)
	// readers of the plan: never cooperatives or link workers
	planReaders = only(roles.UdP, roles.Assemblea, roles.ASST)
	assemblea   = only(roles.Assemblea)
	editors     = only(roles.UdP, roles.ASST) // health staff: integrated objectives only (row level)
	partnerView = only(roles.UdP, roles.Assemblea, roles.ASST, roles.Coop)
	exports     = only(roles.UdP, roles.Assemblea)
)

// matrix lists every route of the server. A route missing here fails the test: whoever adds
// a route must say who may call it.
var matrix = map[string]access{
	"GET /healthz":                           public,
	"GET /readyz":                            public,
	"GET /metrics":                           public,
	"GET /api/v1/openapi.json":               public,
	"GET /auth/login":                        public,
	"GET /auth/callback":                     public,
	"POST /auth/logout":                      public,
	"GET /api/v1/me":                         anyone,
	"GET /api/v1/members":                    onlyUdP,
	"PUT /api/v1/members/:id/roles/:role":    onlyUdP,
	"DELETE /api/v1/members/:id/roles/:role": onlyUdP,

	"GET /api/v1/funding-sources":                    planReaders,
	"GET /api/v1/areas":                              planReaders,
	"GET /api/v1/plans":                              planReaders,
	"POST /api/v1/plans":                             onlyUdP,
	"GET /api/v1/plans/:id":                          planReaders,
	"PATCH /api/v1/plans/:id":                        onlyUdP,
	"GET /api/v1/plans/:id/dossier":                  planReaders,
	"GET /api/v1/plans/:id/history":                  planReaders,
	"POST /api/v1/plans/:id/propose":                 onlyUdP,
	"POST /api/v1/plans/:id/approve":                 assemblea,
	"POST /api/v1/plans/:id/return":                  assemblea,
	"POST /api/v1/plans/:id/close":                   assemblea,
	"GET /api/v1/plans/:id/amendments":               planReaders,
	"POST /api/v1/plans/:id/amendments":              onlyUdP,
	"POST /api/v1/plans/:id/amendments/:aid/propose": onlyUdP,
	"POST /api/v1/plans/:id/amendments/:aid/approve": assemblea,
	"POST /api/v1/plans/:id/amendments/:aid/return":  assemblea,
	"GET /api/v1/plans/:id/objectives":               planReaders,
	"POST /api/v1/plans/:id/objectives":              onlyUdP,
	"GET /api/v1/objectives/:id":                     planReaders,
	"PATCH /api/v1/objectives/:id":                   editors,
	"DELETE /api/v1/objectives/:id":                  onlyUdP,
	"POST /api/v1/objectives/:id/indicators":         editors,
	"PATCH /api/v1/indicators/:id":                   editors,
	"DELETE /api/v1/indicators/:id":                  editors,
	"GET /api/v1/indicators/:id/measurements":        planReaders,
	"POST /api/v1/indicators/:id/measurements":       editors,
	"GET /api/v1/objectives/:id/budget":              planReaders,
	"PUT /api/v1/objectives/:id/budget":              onlyUdP,
	"GET /api/v1/objectives/:id/evaluations":         planReaders,
	"PUT /api/v1/objectives/:id/evaluations/:year":   editors,
	"GET /api/v1/partners":                           planReaders,
	"POST /api/v1/partners":                          onlyUdP,
	"GET /api/v1/assignments":                        partnerView,
	"GET /api/v1/assignments/:id":                    partnerView,
	"POST /api/v1/objectives/:id/assignments":        onlyUdP,
	"DELETE /api/v1/assignments/:id":                 onlyUdP,
	"GET /api/v1/assignments/:id/reports":            partnerView,
	"POST /api/v1/assignments/:id/reports":           only(roles.UdP, roles.Coop),
	"GET /api/v1/meetings":                           only(roles.UdP, roles.Assemblea),
	"POST /api/v1/meetings":                          onlyUdP,
	"GET /api/v1/plans/:id/export.xlsx":              exports,
	"GET /api/v1/plans/:id/export.csv":               exports,
	"GET /api/v1/plans/:id/esiti.pdf":                exports,
	"GET /api/v1/regions":                            anyone,
	"GET /api/v1/regions/:region/districts":          only(roles.Regione),
	"GET /api/v1/regions/:region/districts/:slug":    only(roles.Regione),
	"GET /api/v1/regions/:region/districts.xlsx":     only(roles.Regione),
	"GET /api/v1/regions/:region/districts.csv":      only(roles.Regione),

	// Pages (internal/web): the same permissions as the API operations they call.
	"GET /static/*":                                        public,
	"GET /":                                                public,
	"GET /profilo":                                         anyone,
	"GET /piani":                                           planReaders,
	"GET /piani/nuovo":                                     onlyUdP,
	"POST /piani":                                          onlyUdP,
	"GET /piani/:id":                                       planReaders,
	"POST /piani/:id/proponi":                              onlyUdP,
	"POST /piani/:id/approva":                              assemblea,
	"POST /piani/:id/restituisci":                          assemblea,
	"POST /piani/:id/chiudi":                               assemblea,
	"POST /piani/:id/variazioni":                           onlyUdP,
	"POST /piani/:id/variazioni/:aid/proponi":              onlyUdP,
	"POST /piani/:id/variazioni/:aid/approva":              assemblea,
	"POST /piani/:id/variazioni/:aid/restituisci":          assemblea,
	"GET /piani/:id/obiettivi/nuovo":                       onlyUdP,
	"POST /piani/:id/obiettivi":                            onlyUdP,
	"GET /obiettivi/:id":                                   planReaders,
	"GET /obiettivi/:id/modifica":                          editors,
	"POST /obiettivi/:id":                                  editors,
	"GET /obiettivi/:id/indicatori/nuovo":                  editors,
	"POST /obiettivi/:id/indicatori":                       editors,
	"GET /obiettivi/:id/budget":                            onlyUdP,
	"POST /obiettivi/:id/budget":                           onlyUdP,
	"GET /obiettivi/:id/valutazioni/:year":                 editors,
	"POST /obiettivi/:id/valutazioni/:year":                editors,
	"GET /obiettivi/:id/incarichi/nuovo":                   onlyUdP,
	"POST /obiettivi/:id/incarichi":                        onlyUdP,
	"GET /obiettivi/:id/indicatori/:iid/misurazioni/nuova": editors,
	"POST /obiettivi/:id/indicatori/:iid/misurazioni":      editors,
	"GET /approvazioni":                                    assemblea,
	"GET /partner":                                         planReaders,
	"GET /partner/nuovo":                                   onlyUdP,
	"POST /partner":                                        onlyUdP,
	"GET /partecipazione":                                  only(roles.UdP, roles.Assemblea),
	"GET /partecipazione/nuovo":                            onlyUdP,
	"POST /partecipazione":                                 onlyUdP,
	"GET /incarichi":                                       partnerView,
	"GET /incarichi/:id":                                   partnerView,
	"POST /incarichi/:id/rendicontazioni":                  only(roles.UdP, roles.Coop),
	"GET /amministrazione/utenti":                          onlyUdP,
	"POST /amministrazione/utenti/:id/ruoli":               onlyUdP,
	"GET /regioni/:region":                                 only(roles.Regione),
	"GET /regioni/:region/distretti/:slug":                 only(roles.Regione),
}

func (a access) allows(role string) bool { return a.public || a.anyone || a.roles[role] }

// caller is someone calling a host: a demo user (or nobody) and whether the host is theirs.
type caller struct {
	name, user, role string
	own              bool
}

func TestAuthorizationMatrix(t *testing.T) {
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
					expect = want.public
				case !c.own:
					expect = false // a credential of another host is refused even on public routes
				default:
					expect = want.allows(c.role)
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
