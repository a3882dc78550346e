package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// seedService says how one service of the demo directory goes into a test's district.
type seedService struct {
	name      string
	published bool
	stale     bool   // verified 400 days ago, else 10 days ago
	partner   string // the partner code given to its organisation ("" for none)
}

// seedDirectory puts services of deploy/demo/directory/<slug>.json into the district through
// the management API, as its Ufficio di Piano: each one's organisation, then the service as
// the demo file has it, published or not, verified recently or long ago. The schedules lose
// their descriptions, so that the pages say them in words from the rule itself. It returns
// the services' ids by name.
func seedDirectory(e *env, slug string, services ...seedService) map[string]string {
	e.t.Helper()
	root, err := dbtest.RepoRoot()
	if err != nil {
		e.t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "deploy/demo/directory", slug+".json"))
	if err != nil {
		e.t.Fatal(err)
	}
	var demo []map[string]any
	if err := json.Unmarshal(b, &demo); err != nil {
		e.t.Fatal(err)
	}
	udp := e.as("udp."+slug, slug)
	const v = "/api/v1/directory"
	ids, orgs := map[string]string{}, map[string]bool{}
	for _, want := range services {
		var s map[string]any
		for _, d := range demo {
			if d["name"] == want.name {
				s = d
			}
		}
		if s == nil {
			e.t.Fatalf("no service %q in the demo directory of %s", want.name, slug)
		}
		org := s["organization"].(map[string]any)
		if id := org["id"].(string); !orgs[id] {
			delete(org, "organization_identifiers") // the partner code is the API's own field
			if want.partner != "" {
				org["partner_code"] = want.partner
			}
			udp.ok("POST", v+"/organizations", org, nil)
			orgs[id] = true
		}
		delete(s, "organization")
		for _, sc := range s["schedules"].([]any) {
			delete(sc.(map[string]any), "description")
		}
		days := -10
		if want.stale {
			days = -400
		}
		s["assured_date"] = time.Now().AddDate(0, 0, days).Format(time.DateOnly)
		s["published"] = want.published
		var created struct{ ID string }
		udp.ok("POST", v+"/services", s, &created)
		ids[want.name] = created.ID
	}
	return ids
}
