package main

import (
	"sort"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/route"
)

// TestOpenAPIListsEveryOperationOfTheAssembledServer compares, on a district host and on the
// platform host, the served OpenAPI document with the route table of the whole application.
func TestOpenAPIListsEveryOperationOfTheAssembledServer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, h := range []struct {
		slug string
		on   route.Hosts
	}{{"valle-trompia", route.OnDistrict}, {"", route.OnPlatform}} {
		var doc struct {
			OpenAPI string `json:"openapi"`
			Paths   map[string]map[string]struct {
				Responses map[string]struct {
					Content map[string]any `json:"content"`
				} `json:"responses"`
			} `json:"paths"`
		}
		r := e.call("GET", h.slug, "/api/v1/openapi.json", "", nil)
		r.json(t, &doc)
		var got, want []string
		for p, ops := range doc.Paths {
			for m, op := range ops {
				got = append(got, strings.ToUpper(m)+" "+p)
				if len(op.Responses["200"].Content) == 0 {
					t.Errorf("%s %s declares no response media type", m, p)
				}
			}
		}
		for _, r := range route.Ops(e.app.server.Routes(), h.on) {
			want = append(want, r.Method+" "+route.OpenAPIPath(r.Path))
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("host %q: the OpenAPI document and the routes differ:\n%s\n---\n%s", h.slug, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
