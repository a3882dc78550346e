package directory_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/directory/hsds"
)

// validator is the HSDS validator the tests share: each schema compiles on first use, a second
// or so for compiled/service.json or compiled/organization.json, so once per test binary.
var validator = sync.OnceValues(hsds.New)

func newValidator(t testing.TB) *hsds.Validator {
	t.Helper()
	v, err := validator()
	noError(t, err)
	return v
}

// valid fails the test unless doc (any JSON-able value) follows the HSDS schema.
func valid(t testing.TB, v *hsds.Validator, schema string, doc any) {
	t.Helper()
	b, err := json.Marshal(doc)
	noError(t, err)
	if err := v.Validate(schema, b); err != nil {
		t.Errorf("%s: %v\n%s", schema, err, b)
	}
}

// demoFile reads deploy/demo/directory/<slug>.json.
func demoFile(t testing.TB, slug string) []byte {
	t.Helper()
	root, err := dbtest.RepoRoot()
	noError(t, err)
	b, err := os.ReadFile(filepath.Join(root, "deploy/demo/directory", slug+".json"))
	noError(t, err)
	return b
}

// loadDemo imports valle-trompia's demo directory, published, as `ambiti demo load` does.
func (d *district) loadDemo(t testing.TB, v *hsds.Validator) directory.ImportReport {
	t.Helper()
	b, err := directory.ReadHSDSJSON(v, demoFile(t, "valle-trompia"))
	noError(t, err)
	rep, err := d.svc.Import(d.ctx, d.udp, b, directory.ImportOptions{Publish: true})
	noError(t, err)
	return rep
}

// hsdsServer serves the HSDS API on the district as the assembled server would (the guard
// lets these public routes pass), with the server's status for the room's errors.
func (d *district) hsdsServer() *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		status := http.StatusInternalServerError
		switch apperr.CodeOf(err) {
		case apperr.NotFound:
			status = http.StatusNotFound
		case apperr.Invalid:
			status = http.StatusBadRequest
		}
		_ = c.JSON(status, map[string]string{"error": err.Error()})
	}
	for _, r := range directory.NewHSDSAPI(d.svc).Routes() {
		if !r.Public {
			d.t.Errorf("%s %s is not public", r.Method, r.Path)
		}
		e.Add(r.Method, r.Path, r.Handler)
	}
	return e
}

func (d *district) get(e *echo.Echo, path string, out any) int {
	d.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(d.ctx)
	req.Host = "valle-trompia.ambiti.test"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK && out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			d.t.Fatalf("GET %s: %v", path, err)
		}
	}
	return rec.Code
}

func TestTheHSDSAPIServesThePublishedDirectoryValidAgainstHSDS(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	d.t = t
	v := newValidator(t)
	rep := d.loadDemo(t, v)
	if rep.Services != 31 || rep.Organizations != 16 {
		t.Errorf("first import = %+v, want 31 services and 16 organizations", rep)
	}
	e := d.hsdsServer()

	var info directory.HSDSInfo
	if code := d.get(e, "/api/hsds/", &info); code != 200 || info.Version != "3.0" || info.OpenAPIURL != "http://valle-trompia.ambiti.test/api/v1/openapi.json" {
		t.Errorf("GET /api/hsds/ = %d %+v", code, info)
	}

	var page directory.HSDSPage[json.RawMessage]
	if code := d.get(e, "/api/hsds/services?page=2&per_page=10", &page); code != 200 {
		t.Fatalf("GET services = %d", code)
	}
	if page.TotalItems != 31 || page.TotalPages != 4 || page.PageNumber != 2 || page.Size != 10 || page.FirstPage || page.LastPage || page.Empty {
		t.Errorf("page 2 = %+v", page)
	}
	for _, s := range page.Contents {
		valid(t, v, "compiled/service_list.json", s)
		valid(t, v, "compiled/service.json", s)
	}
	var last directory.HSDSPage[json.RawMessage]
	d.get(e, "/api/hsds/services?page=4&per_page=10", &last)
	if !last.LastPage || last.Size != 1 {
		t.Errorf("page 4 = %+v", last)
	}

	// The cheap filters of HSDS's API: full text and a need.
	var found directory.HSDSPage[directory.HSDSService]
	d.get(e, "/api/hsds/services?search=tutela+minori", &found)
	if found.TotalItems == 0 || found.Contents[0].Name != "Servizio Tutela Minori" {
		t.Errorf("search=tutela minori found %d: %+v", found.TotalItems, found.Contents)
	}
	var byNeed directory.HSDSPage[directory.HSDSService]
	d.get(e, "/api/hsds/services?taxonomy_term_id=famiglia&per_page=100", &byNeed)
	if byNeed.TotalItems == 0 || byNeed.TotalItems == 31 {
		t.Errorf("taxonomy_term_id=famiglia found %d of 31", byNeed.TotalItems)
	}
	if code := d.get(e, "/api/hsds/services?taxonomy_term_id=nessuno", nil); code != 400 {
		t.Errorf("an unknown term: %d, want 400", code)
	}

	// One service, with its organisation carrying the partner code as an identifier.
	aquilone := partnerService(t, d, "laquilone")
	var one json.RawMessage
	if code := d.get(e, "/api/hsds/services/"+aquilone.ID, &one); code != 200 {
		t.Fatalf("GET service = %d", code)
	}
	valid(t, v, "compiled/service.json", one)
	var got directory.HSDSService
	noError(t, json.Unmarshal(one, &got))
	ids := got.Organization.OrganizationIdentifiers
	if len(ids) != 1 || ids[0].IdentifierType != directory.PartnerCodeType || ids[0].Identifier != "laquilone" {
		t.Errorf("organization_identifiers = %+v", ids)
	}
	var raw map[string]any
	noError(t, json.Unmarshal(one, &raw))
	for _, own := range []string{"published", "stale"} {
		if _, ok := raw[own]; ok {
			t.Errorf("the HSDS service carries Ambiti's %q", own)
		}
	}

	// Organisations: those with a published service.
	var orgs directory.HSDSPage[json.RawMessage]
	d.get(e, "/api/hsds/organizations?per_page=100", &orgs)
	if orgs.TotalItems != 16 {
		t.Errorf("organizations = %d, want 16", orgs.TotalItems)
	}
	for _, o := range orgs.Contents {
		valid(t, v, "schema/organization.json", o)
	}
	var org json.RawMessage
	if code := d.get(e, "/api/hsds/organizations/"+aquilone.OrganizationID, &org); code != 200 {
		t.Fatalf("GET organization = %d", code)
	}
	valid(t, v, "compiled/organization.json", org) // the one costly schema, once

	// Withdrawn, a service is not found, nor is an organisation left without published ones.
	_, err := d.svc.SetPublished(d.ctx, d.udp, aquilone.ID, false)
	noError(t, err)
	if code := d.get(e, "/api/hsds/services/"+aquilone.ID, nil); code != 404 {
		t.Errorf("an unpublished service: %d, want 404", code)
	}
	for _, id := range []string{"00000000-0000-0000-0000-000000000000", "nonsense"} {
		if code := d.get(e, "/api/hsds/services/"+id, nil); code != 404 {
			t.Errorf("service %s: %d, want 404", id, code)
		}
		if code := d.get(e, "/api/hsds/organizations/"+id, nil); code != 404 {
			t.Errorf("organization %s: %d, want 404", id, code)
		}
	}
	d.get(e, "/api/hsds/services", &page)
	if page.TotalItems != 30 {
		t.Errorf("after unpublishing one, total_items = %d, want 30", page.TotalItems)
	}
}

// partnerService returns a service of the organisation linked to the partner code.
func partnerService(t testing.TB, d *district, code string) directory.ServiceRecord {
	t.Helper()
	rs, _, err := d.svc.Services(d.ctx, d.udp, directory.ServiceFilter{Page: directory.Page{Limit: 500}})
	noError(t, err)
	for _, r := range rs {
		if r.Organization != nil && r.Organization.PartnerCode != nil && *r.Organization.PartnerCode == code {
			return r
		}
	}
	t.Fatalf("no service of the partner %q", code)
	return directory.ServiceRecord{}
}
