package directory_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"

	"github.com/ambiti/ambiti/internal/directory"
)

// exported is the district's published directory as the JSON export writes it, without the
// time of the last change (an import is a change).
func exported(t testing.TB, d *district) []directory.HSDSService {
	t.Helper()
	out := exportedAsIs(t, d)
	for i := range out {
		out[i].LastModified = time.Time{}
	}
	return out
}

// exportedAsIs is the export with the time of each service's last change.
func exportedAsIs(t testing.TB, d *district) []directory.HSDSService {
	t.Helper()
	rs, err := d.svc.Export(d.ctx, d.udp)
	noError(t, err)
	b, err := directory.WriteHSDSJSON(rs)
	noError(t, err)
	var out []directory.HSDSService
	noError(t, json.Unmarshal(b, &out))
	return out
}

// sameDirectory compares two exports service by service, field by field (as JSON).
func sameDirectory(t testing.TB, got, want []directory.HSDSService) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d services, want %d", len(got), len(want))
	}
	for i := range want {
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want[i])
		if string(g) != string(w) {
			t.Errorf("service %d differs:\n got %s\nwant %s", i, g, w)
		}
	}
}

func TestExportThenImportGivesTheSameDirectory(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	src := newDistrict(t)
	src.loadDemo(t, v)
	want := exported(t, src)
	if len(want) != 31 {
		t.Fatalf("exported %d services, want 31", len(want))
	}
	for _, s := range want {
		valid(t, v, "compiled/service.json", s)
	}
	rs, err := src.svc.Export(src.ctx, src.udp)
	noError(t, err)
	if _, err := src.svc.Export(src.ctx, src.linkWorker); err == nil {
		t.Error("a link worker exported the directory")
	}

	// JSON, into a fresh database.
	js, err := directory.WriteHSDSJSON(rs)
	noError(t, err)
	b, err := directory.ReadHSDSJSON(v, js)
	noError(t, err)
	dst := newDistrict(t)
	rep, err := dst.svc.Import(dst.ctx, dst.udp, b, directory.ImportOptions{Publish: true})
	noError(t, err)
	if rep.Services != 31 {
		t.Errorf("JSON import = %+v", rep)
	}
	sameDirectory(t, exported(t, dst), want)

	// The Tabular Data Package, into another fresh database.
	zb, err := directory.WriteHSDSZip(rs)
	noError(t, err)
	checkPackage(t, zb)
	b, err = directory.ReadHSDSZip(v, zb)
	noError(t, err)
	tab := newDistrict(t)
	_, err = tab.svc.Import(tab.ctx, tab.udp, b, directory.ImportOptions{Publish: true})
	noError(t, err)
	sameDirectory(t, exported(t, tab), want)

	// A second import of the same file changes nothing: not a service's time of last change.
	before := exportedAsIs(t, tab)
	b, err = directory.ReadHSDSZip(v, zb)
	noError(t, err)
	rep, err = tab.svc.Import(tab.ctx, tab.udp, b, directory.ImportOptions{Publish: true})
	noError(t, err)
	if rep.Services != 0 || rep.Organizations != 0 || rep.Unchanged != 31 {
		t.Errorf("second import = %+v, want nothing changed", rep)
	}
	sameDirectory(t, exportedAsIs(t, tab), before)

	// Through HTTP: the export's two forms back in (nothing to change), any other type refused.
	e := echo.New()
	for _, r := range directory.NewInterchangeAPI(tab.svc, v).Routes() {
		e.Add(r.Method, r.Path, r.Handler)
	}
	ctx := actor.With(tab.ctx, tab.udp)
	call := func(method, path, ctype string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader(body)).WithContext(ctx)
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	const api = "/api/v1/directory"
	for _, f := range []struct{ path, ctype string }{{"/export.json", "application/json"}, {"/export.zip", "application/zip"}} {
		got := call("GET", api+f.path, "", nil)
		if got.Code != 200 || got.Header().Get("Content-Type") != f.ctype {
			t.Fatalf("GET %s = %d %s", f.path, got.Code, got.Header().Get("Content-Type"))
		}
		back := call("POST", api+"/import", f.ctype, got.Body.Bytes())
		if back.Code != 200 || !strings.Contains(back.Body.String(), `"unchanged":31`) {
			t.Errorf("import of %s = %d %s", f.path, back.Code, back.Body)
		}
	}
	if got := call("POST", api+"/import", "text/csv", []byte("id\n")); got.Code == 200 {
		t.Errorf("a CSV body was imported: %d", got.Code)
	}
}

// checkPackage checks the zip holds HSDS's datapackage.json and one comma-separated CSV per
// resource it lists, with the resource's fields in order.
func checkPackage(t testing.TB, zb []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	noError(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		noError(t, err)
		files[f.Name], err = io.ReadAll(rc)
		noError(t, err)
		rc.Close()
	}
	var pkg struct {
		Resources []struct {
			Path   string
			Schema struct{ Fields []struct{ Name string } }
		}
	}
	noError(t, json.Unmarshal(files["datapackage.json"], &pkg))
	if len(pkg.Resources) < 15 {
		t.Fatalf("datapackage.json lists %d resources", len(pkg.Resources))
	}
	for _, r := range pkg.Resources {
		recs, err := csv.NewReader(bytes.NewReader(files[r.Path])).ReadAll()
		if err != nil || len(recs) == 0 {
			t.Errorf("%s: %v (%d rows)", r.Path, err, len(recs))
			continue
		}
		var names []string
		for _, f := range r.Schema.Fields {
			names = append(names, f.Name)
		}
		if strings.Join(recs[0], ",") != strings.Join(names, ",") {
			t.Errorf("%s header = %v, want %v", r.Path, recs[0], names)
		}
	}
	if recs, _ := csv.NewReader(bytes.NewReader(files["services.csv"])).ReadAll(); len(recs) != 32 {
		t.Errorf("services.csv has %d rows, want the header and 31", len(recs))
	}
}

func TestABrokenImportChangesNothingAndNamesFileRowAndField(t *testing.T) {
	t.Parallel()
	v := newValidator(t)
	d := newDistrict(t)
	d.loadDemo(t, v)
	want := exported(t, d)
	services := func(edit func([]map[string]any)) []byte {
		var xs []map[string]any
		noError(t, json.Unmarshal(demoFile(t, "valle-trompia"), &xs))
		for _, x := range xs {
			x["name"] = "Cambiato: " + x["name"].(string) // what would change, were it imported
		}
		edit(xs)
		b, err := json.Marshal(xs)
		noError(t, err)
		return b
	}
	nested := func(x map[string]any, list string, i int) map[string]any {
		return x[list].([]any)[i].(map[string]any)
	}
	importJSON := func(b []byte) error {
		batch, err := directory.ReadHSDSJSON(v, b)
		if err != nil {
			return err
		}
		_, err = d.svc.Import(d.ctx, d.udp, batch, directory.ImportOptions{})
		return err
	}

	// Against HSDS's schema: a status it does not know.
	err := importJSON(services(func(xs []map[string]any) { xs[2]["status"] = "aperto" }))
	wantField(t, err, "services[2].status")
	// Against the room's own rules, which HSDS does not have: an empty phone number...
	err = importJSON(services(func(xs []map[string]any) { nested(xs[2], "phones", 0)["number"] = " " }))
	wantField(t, err, "services[2].phones[0].number")
	// ...and, in the transaction, after two services were written, a comune of another district.
	err = importJSON(services(func(xs []map[string]any) {
		loc := nested(xs[2], "service_at_locations", 0)["location"].(map[string]any)
		nested(loc, "addresses", 0)["city"] = "Trento"
	}))
	wantField(t, err, "services[2].service_at_locations[0].location.addresses[0].city")
	sameDirectory(t, exported(t, d), want)

	// The tabular form: a bad row in phones.csv.
	rs, err := d.svc.Export(d.ctx, d.udp)
	noError(t, err)
	zb, err := directory.WriteHSDSZip(rs)
	noError(t, err)
	broken := editCSV(t, zb, "phones.csv", func(recs [][]string) {
		recs[6][indexOf(recs[0], "type")] = "piccione"
	})
	batch, err := directory.ReadHSDSZip(v, broken)
	if err == nil {
		_, err = d.svc.Import(d.ctx, d.udp, batch, directory.ImportOptions{})
	}
	wantField(t, err, "phones.csv row 7, type")
	broken = editCSV(t, zb, "services.csv", func(recs [][]string) {
		recs[3][indexOf(recs[0], "minimum_age")] = "tre"
	})
	_, err = directory.ReadHSDSZip(v, broken)
	wantField(t, err, "services.csv row 4, minimum_age")
	sameDirectory(t, exported(t, d), want)
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// editCSV returns the zip with one of its CSV files edited.
func editCSV(t testing.TB, zb []byte, name string, edit func([][]string)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	noError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		noError(t, err)
		b, err := io.ReadAll(rc)
		noError(t, err)
		rc.Close()
		if f.Name == name {
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			noError(t, err)
			edit(recs)
			var out bytes.Buffer
			w := csv.NewWriter(&out)
			noError(t, w.WriteAll(recs))
			b = out.Bytes()
		}
		w, err := zw.Create(f.Name)
		noError(t, err)
		_, err = w.Write(b)
		noError(t, err)
	}
	noError(t, zw.Close())
	return buf.Bytes()
}
