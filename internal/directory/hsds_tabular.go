package directory

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory/hsds"
)

// The tabular form of an HSDS directory is a Tabular Data Package in a zip: datapackage.json
// (HSDS's own, unchanged) and one CSV per HSDS object it lists, with its fields in its order:
// comma-separated, UTF-8, a header row, as HSDS prescribes (not the Italian ";" of the plan's
// spreadsheets). Objects the directory does not hold (programs, funding…) are header-only
// files. Cells are written as they are: an interchange file is not a spreadsheet export, so
// nothing is neutralised. On import, columns are read by their header's names, so their order
// does not matter; a row is named "phones.csv row 7" counting the header as row 1, as a
// spreadsheet shows it. The import starts from services.csv: the rows of other files are read
// through the services that refer to them (an organisation, a location or a taxonomy term no
// service refers to is not imported), and a row of a service's own list (phones, schedules…)
// whose service is not in services.csv is an error.

// packageFile is the descriptor's name inside the zip.
const packageFile = "datapackage.json"

// dataPackage is what the directory reads of HSDS's datapackage.json.
type dataPackage struct {
	Resources []struct {
		Name   string `json:"name"`
		Path   string `json:"path"`
		Schema struct {
			Fields []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"fields"`
		} `json:"schema"`
	} `json:"resources"`
}

func readDataPackage() (dataPackage, []byte, error) {
	raw, err := fs.ReadFile(hsds.Files(), packageFile)
	if err != nil {
		return dataPackage{}, nil, fmt.Errorf("directory: %s: %w", packageFile, err)
	}
	var p dataPackage
	if err := json.Unmarshal(raw, &p); err != nil {
		return dataPackage{}, nil, fmt.Errorf("directory: %s: %w", packageFile, err)
	}
	return p, raw, nil
}

// tables holds the rows of each HSDS object, by resource name, as JSON objects.
type tables map[string][]map[string]any

// add appends v (any JSON-able value) as a row of the resource, once per id.
func (t tables) add(resource string, v any, seen map[string]bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var row map[string]any
	if err := json.Unmarshal(b, &row); err != nil {
		return err
	}
	key := resource + "/" + fmt.Sprint(row["id"])
	if seen[key] {
		return nil
	}
	seen[key] = true
	t[resource] = append(t[resource], row)
	return nil
}

// WriteHSDSZip writes services as a Tabular Data Package (a zip).
func WriteHSDSZip(rs []ServiceRecord) ([]byte, error) {
	pkg, descriptor, err := readDataPackage()
	if err != nil {
		return nil, err
	}
	t, err := flatten(rs)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	now := time.Now()
	create := func(name string) (io.Writer, error) {
		return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
	}
	w, err := create(packageFile)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(descriptor); err != nil {
		return nil, err
	}
	for _, res := range pkg.Resources {
		w, err := create(res.Path)
		if err != nil {
			return nil, err
		}
		cw := csv.NewWriter(w)
		header := make([]string, len(res.Schema.Fields))
		for i, f := range res.Schema.Fields {
			header[i] = f.Name
		}
		if err := cw.Write(header); err != nil {
			return nil, err
		}
		for _, row := range t[res.Name] {
			cells := make([]string, len(header))
			for i, f := range header {
				cells[i] = cellText(row[f])
			}
			if err := cw.Write(cells); err != nil {
				return nil, err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// flatten spreads the services over HSDS's tables, each row with its foreign keys.
func flatten(rs []ServiceRecord) (tables, error) {
	t, seen := tables{}, map[string]bool{}
	add := func(resource string, v any) error { return t.add(resource, v, seen) }
	for _, r := range rs {
		h := ToHSDS(r)
		if h.Organization != nil {
			if err := add("organization", h.Organization); err != nil {
				return nil, err
			}
			for _, id := range h.Organization.OrganizationIdentifiers {
				if err := add("organization_identifier", id); err != nil {
					return nil, err
				}
			}
		}
		if err := add("service", h); err != nil {
			return nil, err
		}
		for _, sal := range r.ServiceAtLocations {
			sal.ServiceID = r.ID
			if sal.Location != nil {
				l := *sal.Location
				sal.LocationID = l.ID
				if err := add("location", l); err != nil {
					return nil, err
				}
				for _, a := range l.Addresses {
					a.LocationID = l.ID
					if err := add("address", a); err != nil {
						return nil, err
					}
				}
				for _, a := range l.Accessibility {
					a.LocationID = l.ID
					if err := add("accessibility", a); err != nil {
						return nil, err
					}
				}
			}
			if err := add("service_at_location", sal); err != nil {
				return nil, err
			}
		}
		sid := r.ID
		for _, x := range r.Phones {
			x.ServiceID = &sid
			if err := add("phone", x); err != nil {
				return nil, err
			}
		}
		for _, x := range r.Schedules {
			x.ServiceID = &sid
			if err := add("schedule", x); err != nil {
				return nil, err
			}
		}
		for _, x := range r.Languages {
			x.ServiceID = &sid
			if err := add("language", x); err != nil {
				return nil, err
			}
		}
		for _, x := range r.CostOptions {
			x.ServiceID = sid
			if err := add("cost_option", x); err != nil {
				return nil, err
			}
		}
		for _, x := range r.Contacts {
			x.ServiceID = &sid
			if err := add("contact", x); err != nil {
				return nil, err
			}
		}
		for _, x := range r.Attributes {
			x.LinkID, x.LinkEntity = sid, "service"
			if x.TaxonomyTerm != nil {
				if err := add("taxonomy_term", x.TaxonomyTerm); err != nil {
					return nil, err
				}
			}
			if err := add("attribute", x); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// cellText writes a JSON value as a CSV cell: numbers without exponent, nothing for null.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// maxZipEntry bounds what one file of an uploaded zip may expand to.
const maxZipEntry = 32 << 20

// row is one CSV row read back: its cells as JSON values and where it was.
type row struct {
	cells map[string]any
	file  string
	line  int // counting the header as 1
}

func (r row) id() string          { s, _ := r.cells["id"].(string); return s }
func (r row) ref(f string) string { s, _ := r.cells[f].(string); return s }
func (r row) where() string       { return fmt.Sprintf("%s row %d", r.file, r.line) }

// ReadHSDSZip reads a Tabular Data Package: each service of services.csv is put together
// with the rows that refer to it (its organisation, locations, phones…) into a compiled
// service, then read as ReadHSDSJSON reads one. Errors are Invalid naming the file, the row
// and the column: "phones.csv row 7, number". A row that refers to no service is an error.
func ReadHSDSZip(v *hsds.Validator, data []byte) (Batch, error) {
	pkg, _, err := readDataPackage()
	if err != nil {
		return Batch{}, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Batch{}, apperr.Wrap(apperr.Invalid, err, "il file non è uno zip", "the file is not a zip")
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[path.Base(f.Name)] = f
	}
	if files["services.csv"] == nil {
		return Batch{}, apperr.Invalidf("services.csv", "manca services.csv nello zip", "services.csv is missing from the zip")
	}
	t := map[string][]row{}
	for _, res := range pkg.Resources {
		f := files[res.Path]
		if f == nil {
			continue
		}
		types := map[string]string{}
		for _, fd := range res.Schema.Fields {
			types[fd.Name] = fd.Type
		}
		rows, err := readCSV(f, types)
		if err != nil {
			return Batch{}, err
		}
		t[res.Name] = rows
	}
	return assemble(v, t)
}

func readCSV(f *zip.File, types map[string]string) ([]row, error) {
	name := path.Base(f.Name)
	rc, err := f.Open()
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "file illeggibile nello zip", "unreadable file in the zip").WithField(name)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxZipEntry+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "file illeggibile nello zip", "unreadable file in the zip").WithField(name)
	}
	if len(b) > maxZipEntry {
		return nil, apperr.Invalidf(name, "file troppo grande (massimo %d MiB)", "file too large (at most %d MiB)", maxZipEntry>>20)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "CSV non valido (separato da virgole, UTF-8)", "invalid CSV (comma-separated, UTF-8)").WithField(name)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	header := recs[0]
	for i, h := range header {
		header[i] = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
		if _, ok := types[header[i]]; !ok {
			return nil, apperr.Invalidf(fmt.Sprintf("%s, %s", name, header[i]), "colonna sconosciuta in HSDS 3.0", "column unknown to HSDS 3.0")
		}
	}
	out := make([]row, 0, len(recs)-1)
	for n, rec := range recs[1:] {
		r := row{cells: map[string]any{}, file: name, line: n + 2}
		for i, cell := range rec {
			if cell == "" {
				continue
			}
			if types[header[i]] == "number" {
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					return nil, apperr.Invalidf(fmt.Sprintf("%s, %s", r.where(), header[i]), "serve un numero", "a number is needed")
				}
				r.cells[header[i]] = json.Number(cell)
				continue
			}
			r.cells[header[i]] = cell
		}
		out = append(out, r)
	}
	return out, nil
}

// source says which row a part of a compiled service came from: its field path prefix.
type source struct {
	prefix string
	row    row
}

// assemble builds the compiled services from the tables and reads them.
func assemble(v *hsds.Validator, t map[string][]row) (Batch, error) {
	byID := func(name string) map[string]row {
		m := map[string]row{}
		for _, r := range t[name] {
			m[r.id()] = r
		}
		return m
	}
	orgs, locs, terms := byID("organization"), byID("location"), byID("taxonomy_term")
	services := byID("service")
	// children groups rows by the value of a foreign key, in file order.
	children := func(name, key string) map[string][]row {
		m := map[string][]row{}
		for _, r := range t[name] {
			m[r.ref(key)] = append(m[r.ref(key)], r)
		}
		return m
	}
	orgIDs, addrs, access := children("organization_identifier", "organization_id"), children("address", "location_id"), children("accessibility", "location_id")
	owned := map[string]map[string][]row{}
	for name, key := range map[string]string{"phone": "service_id", "schedule": "service_id", "language": "service_id",
		"cost_option": "service_id", "contact": "service_id", "service_at_location": "service_id", "attribute": "link_id"} {
		owned[name] = children(name, key)
		for ref, rs := range owned[name] {
			if _, ok := services[ref]; !ok {
				return Batch{}, apperr.Invalidf(fmt.Sprintf("%s, %s", rs[0].where(), key), "nessun servizio con questo id in services.csv", "no service with this id in services.csv")
			}
		}
	}
	lists := []struct{ resource, field string }{
		{"phone", "phones"}, {"schedule", "schedules"}, {"language", "languages"},
		{"cost_option", "cost_options"}, {"contact", "contacts"},
	}
	var items []json.RawMessage
	var sources [][]source
	for _, sr := range t["service"] {
		svc := clone(sr.cells)
		src := []source{{"", sr}}
		if o, ok := orgs[sr.ref("organization_id")]; ok {
			org := clone(o.cells)
			src = append(src, source{"organization", o})
			ids := []any{}
			for k, r := range orgIDs[o.id()] {
				ids = append(ids, r.cells)
				src = append(src, source{fmt.Sprintf("organization.organization_identifiers[%d]", k), r})
			}
			org["organization_identifiers"] = ids
			svc["organization"] = org
		}
		for _, l := range lists {
			xs := []any{}
			for k, r := range owned[l.resource][sr.id()] {
				xs = append(xs, r.cells)
				src = append(src, source{fmt.Sprintf("%s[%d]", l.field, k), r})
			}
			svc[l.field] = xs
		}
		attrs := []any{}
		for k, r := range owned["attribute"][sr.id()] {
			a := clone(r.cells)
			p := fmt.Sprintf("attributes[%d]", k)
			src = append(src, source{p, r})
			if tr, ok := terms[r.ref("taxonomy_term_id")]; ok {
				a["taxonomy_term"] = tr.cells
				src = append(src, source{p + ".taxonomy_term", tr})
			}
			attrs = append(attrs, a)
		}
		svc["attributes"] = attrs
		sals := []any{}
		for k, r := range owned["service_at_location"][sr.id()] {
			sal := clone(r.cells)
			p := fmt.Sprintf("service_at_locations[%d]", k)
			src = append(src, source{p, r})
			if lr, ok := locs[r.ref("location_id")]; ok {
				l := clone(lr.cells)
				src = append(src, source{p + ".location", lr})
				for name, rows := range map[string][]row{"addresses": addrs[lr.id()], "accessibility": access[lr.id()]} {
					xs := []any{}
					for j, x := range rows {
						xs = append(xs, x.cells)
						src = append(src, source{fmt.Sprintf("%s.location.%s[%d]", p, name, j), x})
					}
					l[name] = xs
				}
				sal["location"] = l
			}
			sals = append(sals, sal)
		}
		svc["service_at_locations"] = sals
		b, err := json.Marshal(svc)
		if err != nil {
			return Batch{}, fmt.Errorf("directory: tabular: %w", err)
		}
		items = append(items, b)
		// Longest prefixes first, so that a field is named by the most specific row.
		sort.SliceStable(src, func(i, j int) bool { return len(src[i].prefix) > len(src[j].prefix) })
		sources = append(sources, src)
	}
	at := func(i int) func(string) string {
		return func(field string) string { return locateRow(sources[i], field) }
	}
	return readServices(v, items, at)
}

// locateRow names a field of an assembled service as "file row N, column".
func locateRow(src []source, field string) string {
	for _, s := range src {
		switch {
		case s.prefix == "":
		case field == s.prefix:
			return s.row.where()
		case strings.HasPrefix(field, s.prefix+"."):
			field = strings.TrimPrefix(field, s.prefix+".")
		default:
			continue
		}
		if field == "" {
			return s.row.where()
		}
		return s.row.where() + ", " + field
	}
	return field
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m)+4)
	for k, v := range m {
		c[k] = v
	}
	return c
}
