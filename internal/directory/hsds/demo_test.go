package hsds_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The demo directories (deploy/demo/directory/<slug>.json) are HSDS 3.0 compiled services; the
// directory's import reads them, so they must follow the standard and the repository's own
// rules (see deploy/demo/directory/README.md).

// demoReference is the day the demo data was last verified against; a fixed date keeps the
// "some entries are stale" check stable as time passes.
var demoReference = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// staleAfter is the district default: a service not verified for that long is "da verificare".
const staleAfter = 180 * 24 * time.Hour

// fictional ends the description of every organisation whose name is not in the seeds.
const fictional = "(nome di fantasia)"

// demoService is what the checks read of a service; Validate checks the rest.
type demoService struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organization_id"`
	Status         string `json:"status"`
	AssuredDate    string `json:"assured_date"`
	Organization   struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"organization"`
	ServiceAtLocations []struct {
		Location struct {
			Addresses []struct {
				City string `json:"city"`
			} `json:"addresses"`
		} `json:"location"`
	} `json:"service_at_locations"`
	Attributes []struct {
		TaxonomyTermID string `json:"taxonomy_term_id"`
		TaxonomyTerm   struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"taxonomy_term"`
	} `json:"attributes"`
}

func TestDemoDirectories(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	terms := taxonomyTerms(t)
	cases := []struct {
		slug          string
		services      int
		organisations int
		// seedNames are the organisations the seeds name: the only ones without the mark
		seedNames []string
	}{
		{"trento", 40, 15, []string{
			"Azienda Provinciale per i Servizi Sanitari (APSS)",
			"Provincia autonoma di Trento – Dipartimento Salute e Politiche Sociali",
			"Centro per l'Impiego di Trento",
			"Consolida – Consorzio delle cooperative sociali trentine",
		}},
		{"valle-trompia", 20, 10, []string{
			"Civitas S.r.l.", "ASST Spedali Civili di Brescia", `SMI "Gli Acrobati" di Concesio`,
			"Cooperativa Sociale L'Aquilone", "Cooperativa CVL", "Cooperativa Futura", "Cooperativa Il Ponte",
			"Associazione Casa delle Donne CaD di Brescia", "Consorzio SOLCO",
			"Centro per l'Impiego della Valle Trompia",
		}},
	}
	ids := map[string]any{} // every id of both files → the object that carries it
	for _, c := range cases {
		file := filepath.Join("..", "..", "..", "deploy", "demo", "directory", c.slug+".json")
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		municipalities := municipalitiesOf(t, c.slug)
		orgs := map[string]bool{}
		stale := 0
		for i, raw := range raws {
			if err := v.Validate("compiled/service.json", raw); err != nil {
				t.Errorf("%s[%d]: %v", file, i, err)
				continue
			}
			var s demoService
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("%s[%d]: %v", file, i, err)
			}
			at := file + "[" + s.ID + "]"
			if _, dup := ids[s.ID]; dup {
				t.Errorf("%s: service id used twice", at)
			}
			var doc any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			checkIDs(t, at, doc, ids)

			orgs[s.Organization.ID] = true
			if s.OrganizationID != s.Organization.ID {
				t.Errorf("%s: organization_id %s, organization.id %s", at, s.OrganizationID, s.Organization.ID)
			}
			if !slices.Contains(c.seedNames, s.Organization.Name) && !strings.HasSuffix(s.Organization.Description, fictional) {
				t.Errorf("%s: organisation %q is not named in the seeds: its description must end with %q", at, s.Organization.Name, fictional)
			}
			if len(s.ServiceAtLocations) == 0 && s.Status == "active" {
				t.Errorf("%s: an active service without a place", at)
			}
			for _, sal := range s.ServiceAtLocations {
				for _, a := range sal.Location.Addresses {
					if !slices.Contains(municipalities, a.City) {
						t.Errorf("%s: city %q is not one of the district's municipalities %v", at, a.City, municipalities)
					}
				}
			}
			if n := len(s.Attributes); n < 1 || n > 3 {
				t.Errorf("%s: %d taxonomy terms, want 1 to 3", at, n)
			}
			for _, a := range s.Attributes {
				name, ok := terms[a.TaxonomyTermID]
				if !ok || a.TaxonomyTerm.ID != a.TaxonomyTermID || a.TaxonomyTerm.Name != name {
					t.Errorf("%s: taxonomy term %s (%q) is not the catalogue's", at, a.TaxonomyTermID, a.TaxonomyTerm.Name)
				}
			}
			assured, err := time.Parse(time.DateOnly, s.AssuredDate)
			if err != nil || assured.After(demoReference) {
				t.Errorf("%s: assured_date %q, want a date up to %s", at, s.AssuredDate, demoReference.Format(time.DateOnly))
			}
			if demoReference.Sub(assured) > staleAfter {
				stale++
			}
		}
		if len(raws) < c.services || len(orgs) < c.organisations {
			t.Errorf("%s: %d services from %d organisations, want at least %d from %d", file, len(raws), len(orgs), c.services, c.organisations)
		}
		if stale < 2 || stale > len(raws)/4 {
			t.Errorf("%s: %d of %d services stale on %s, want a few (2 to a quarter)", file, stale, len(raws), demoReference.Format(time.DateOnly))
		}
	}
}

// checkIDs records every id in doc; an id met again must carry the same object (an
// organisation or a location shared by several services), never a different one.
func checkIDs(t *testing.T, at string, doc any, ids map[string]any) {
	t.Helper()
	switch d := doc.(type) {
	case map[string]any:
		if id, ok := d["id"].(string); ok {
			if prev, seen := ids[id]; seen && !reflect.DeepEqual(prev, d) {
				t.Errorf("%s: id %s names two different objects", at, id)
			}
			ids[id] = d
		}
		for _, v := range d {
			checkIDs(t, at, v, ids)
		}
	case []any:
		for _, v := range d {
			checkIDs(t, at, v, ids)
		}
	}
}

// taxonomyTerms reads the catalogue of needs: term id → name.
func taxonomyTerms(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "taxonomy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tax struct {
		Terms []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"terms"`
	}
	if err := json.Unmarshal(b, &tax); err != nil {
		t.Fatal(err)
	}
	terms := map[string]string{}
	for _, term := range tax.Terms {
		terms[term.ID] = term.Name
	}
	return terms
}

// municipalitiesOf reads the district's municipalities from its tenant file.
func municipalitiesOf(t *testing.T, slug string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "tenants", slug+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var def struct {
		Municipalities []struct {
			Name string `yaml:"name"`
		} `yaml:"municipalities"`
	}
	if err := yaml.Unmarshal(b, &def); err != nil {
		t.Fatalf("tenants/%s.yaml: %v", slug, err)
	}
	var names []string
	for _, m := range def.Municipalities {
		names = append(names, m.Name)
	}
	if len(names) == 0 {
		t.Fatalf("tenants/%s.yaml lists no municipalities", slug)
	}
	return names
}
