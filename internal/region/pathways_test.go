package region_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/internal/web"
)

// pathwayFixture is the pathways section each district writes in these tests: Valle Trompia
// with labels (facts v2 as the pathway room fills them), Trento without (as before it did).
var pathwayFixture = map[string]facts.PathwaysSummary{
	"valle-trompia": {
		Open:   map[string]int{"cope:contatto": 3, "cope:attivo": 20, "vmd:attivo": 12},
		Closed: map[string]int{"cope:concluso": 7, "cope:abbandono": 2},
		Programmes: map[string]facts.ProgrammeFacts{"cope": {Name: "C.O.P.E.",
			Stages:  []facts.Label{{Code: "contatto", Name: "Primo contatto"}, {Code: "attivo", Name: "In corso"}},
			Reasons: []facts.Label{{Code: "concluso", Name: "Concluso"}, {Code: "abbandono", Name: "Abbandono"}},
			Years:   map[string]facts.PathwayYear{"2025": {Started: 9}, "2026": {Started: 14}}}},
	},
	"trento": {
		Open:       map[string]int{"cope:contatto": 11, "cope:attivo": 9},
		Closed:     map[string]int{"cope:concluso": 6},
		Programmes: map[string]facts.ProgrammeFacts{"cope": {Years: map[string]facts.PathwayYear{"2026": {Started: 3}}}},
	},
}

// pathwayRegion writes the fixture's sections for Valle Trompia and Trento, moves Trento into
// Lombardy and returns the regional store.
func pathwayRegion(t *testing.T) *region.Store {
	t.Helper()
	ctx := context.Background()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	section := facts.Section{Name: facts.PathwaysSection, Version: facts.PathwaysVersion,
		Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
			return pathwayFixture[tx.District.Slug], nil, nil
		}}
	f := facts.NewStore(d, section)
	reg := tenancy.NewRegistry(d, time.Hour)
	var ts []tenancy.Tenant
	for _, slug := range []string{"valle-trompia", "trento"} {
		tn, err := reg.Lookup(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tn)
	}
	if err := f.Rebuild(ctx, ts); err != nil {
		t.Fatal(err)
	}
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE platform.tenants SET region_slug = 'lombardia' WHERE slug = 'trento'`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return region.NewStore(f)
}

func rowOf(t *testing.T, p region.Pathways, slug string) int {
	t.Helper()
	for i, d := range p.Districts {
		if d.Code == slug {
			return i
		}
	}
	t.Fatalf("no row for %s in %+v", slug, p.Districts)
	return -1
}

func TestTheRegionSeesEachProgrammeAcrossItsDistricts(t *testing.T) {
	ctx := context.Background()
	s := pathwayRegion(t)
	p, err := s.Pathways(ctx, "lombardia")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Districts) != 2 || len(p.Programmes) != 2 || p.Programmes[0].Code != "cope" || p.Programmes[1].Code != "vmd" {
		t.Fatalf("pathways: %+v", p)
	}
	vt, tr := rowOf(t, p, "valle-trompia"), rowOf(t, p, "trento")
	cope, vmd := p.Programmes[0], p.Programmes[1]
	// Labels from the facts; a programme with none shows its codes.
	if cope.Name != "C.O.P.E." || len(cope.Open.Columns) != 2 || cope.Open.Columns[0] != (facts.Label{Code: "contatto", Name: "Primo contatto"}) ||
		cope.Closed.Columns[1].Name != "Abbandono" || len(cope.Started.Columns) != 2 || cope.Started.Columns[0].Code != "2025" {
		t.Errorf("cope's labels: %+v / %+v / %+v", cope.Open.Columns, cope.Closed.Columns, cope.Started.Columns)
	}
	if vmd.Name != "vmd" || len(vmd.Open.Columns) != 1 || vmd.Open.Columns[0] != (facts.Label{Code: "attivo", Name: "attivo"}) {
		t.Errorf("vmd without labels: %+v", vmd)
	}
	// Valle Trompia's 3 in first contact is hidden, and so are the counts that would give it
	// away; the totals are shown.
	open := cope.Open
	if open.Cells[vt][0].String() != "<5" || open.Cells[vt][1].String() != "<5" || open.Cells[tr][0].String() != "<5" || open.Cells[tr][1].String() != "<5" {
		t.Errorf("open cells: %+v", open.Cells)
	}
	if open.RowTotals[vt].String() != "23" || open.RowTotals[tr].String() != "20" || open.ColTotals[0].String() != "14" || open.Total.String() != "43" {
		t.Errorf("open totals: %+v %+v %+v", open.RowTotals, open.ColTotals, open.Total)
	}
	// Trento's started pathways add up to 3: its row total is hidden too.
	if cope.Started.RowTotals[tr].String() != "<5" || cope.Started.Cells[tr][0].String() != "0" || cope.Started.Cells[tr][1].String() != "<5" {
		t.Errorf("started: %+v %+v", cope.Started.Cells, cope.Started.RowTotals)
	}
	if vmd.Open.Cells[vt][0].String() != "12" || vmd.Open.Total.String() != "12" {
		t.Errorf("vmd: %+v", vmd.Open)
	}

	// The districts' own counts follow the tables' suppression: Valle Trompia's 20 in progress
	// is hidden in the table, so it is hidden in its item too; VMD's 12 is no longer hidden
	// to cover COPE's 3, another table's count.
	ds, err := s.Districts(ctx, "lombardia")
	if err != nil || len(ds) != 2 {
		t.Fatalf("districts: %+v, %v", ds, err)
	}
	for _, d := range ds {
		i := rowOf(t, p, d.Slug)
		for c, l := range cope.Open.Columns {
			if got := d.Pathways["cope:"+l.Code]; got != cope.Open.Cells[i][c] {
				t.Errorf("%s cope:%s = %v, the table shows %v", d.Slug, l.Code, got, cope.Open.Cells[i][c])
			}
		}
		for c, l := range cope.Closed.Columns {
			if got, ok := d.PathwaysClosed["cope:"+l.Code]; ok && got != cope.Closed.Cells[i][c] {
				t.Errorf("%s cope:%s = %v, the table shows %v", d.Slug, l.Code, got, cope.Closed.Cells[i][c])
			}
		}
	}
	b, _ := json.Marshal(ds)
	js := strings.ReplaceAll(string(b), `\u003c`, "<")
	if !strings.Contains(js, `"cope:attivo":"<5"`) || !strings.Contains(js, `"vmd:attivo":12`) || strings.Contains(js, `"cope:abbandono":2`) {
		t.Errorf("districts' JSON: %s", js)
	}
	if _, ok := ds[rowOf(t, p, "trento")].PathwaysClosed["cope:abbandono"]; ok {
		t.Error("Trento's item has a key its facts do not")
	}

	// The drill-down is the district's row of the same tables.
	dt, err := s.District(ctx, "lombardia", "valle-trompia")
	if err != nil || len(dt.Programmes) != 2 {
		t.Fatalf("detail: %+v, %v", dt.Programmes, err)
	}
	dc := dt.Programmes[0]
	if dc.Name != "C.O.P.E." || dc.Open[0].Code != "contatto" || dc.Open[0].Count != open.Cells[vt][0] || dc.OpenTotal.String() != "23" ||
		dc.Started[1].Count != cope.Started.Cells[vt][1] || dt.Pathways["cope:attivo"].String() != "<5" {
		t.Errorf("detail's cope: %+v, pathways %+v", dc, dt.Pathways)
	}

	// A region without pathways has no programme, and its JSON has lists, not nulls.
	empty, err := s.Pathways(ctx, "emilia-romagna")
	if err != nil || len(empty.Programmes) != 0 {
		t.Fatalf("emilia-romagna: %+v, %v", empty, err)
	}
	if b, _ := json.Marshal(empty); !strings.Contains(string(b), `"programmes":[]`) {
		t.Errorf("empty region's JSON: %s", b)
	}
}

// page renders a regional page as the regional body of Lombardy.
func page(t *testing.T, s *region.Store, path string, params ...string) string {
	t.Helper()
	return pageWith(t, s, path, "", params...)
}

// pageWith renders the page of path with a query string (without its "?").
func pageWith(t *testing.T, s *region.Store, path, query string, params ...string) string {
	t.Helper()
	w, err := web.New(web.Deps{}, region.Pages(s))
	if err != nil {
		t.Fatal(err)
	}
	var h echo.HandlerFunc
	for _, r := range w.Routes() {
		if r.Method == http.MethodGet && r.Path == path {
			h = r.Handler
		}
	}
	if h == nil {
		t.Fatalf("no page %s", path)
	}
	officer := actor.New("regione.lombardia", "Regione Lombardia", "", "region:lombardia", []string{"regione"}, []string{"lombardia"},
		func(string, string) bool { return true })
	target := path
	if query != "" {
		target += "?" + query
	}
	req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(actor.With(context.Background(), officer))
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	e := echo.New()
	c := e.NewContext(req, rec)
	c.SetParamNames("region", "slug")
	c.SetParamValues(params...)
	if err := h(c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return html.UnescapeString(rec.Body.String())
}

func TestTheRegionalPagesShowThePathwaysTables(t *testing.T) {
	s := pathwayRegion(t)
	body := page(t, s, "/regioni/:region", "lombardia", "")
	for _, want := range []string{"Percorsi di prescrizione sociale", "C.O.P.E.: percorsi aperti per fase", "Primo contatto", "In corso",
		"C.O.P.E.: percorsi chiusi per motivo", "Abbandono", "C.O.P.E.: percorsi avviati per anno", "2025", "vmd: percorsi aperti per fase",
		`id="pw-cope-open"`, "/api/v1/regions/lombardia/pathways.csv", "<td class=\"text-end\"><strong>43</strong></td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the region's page lacks %q", want)
		}
	}
	// Valle Trompia's open COPE row: both cells hidden, the total shown.
	open := body[strings.Index(body, `id="pw-cope-open"`):]
	open = open[:strings.Index(open, "</table>")]
	vt := open[strings.Index(open, "Valle Trompia"):]
	vt = vt[:strings.Index(vt, "</tr>")]
	if strings.Count(vt, ">&lt;5<")+strings.Count(vt, "><5<") != 2 || !strings.Contains(vt, ">23<") || strings.Contains(vt, ">20<") || strings.Contains(vt, ">3<") {
		t.Errorf("Valle Trompia's row: %s", vt)
	}

	body = page(t, s, "/regioni/:region/distretti/:slug", "lombardia", "valle-trompia")
	for _, want := range []string{"Percorsi di prescrizione sociale", "C.O.P.E.", "Aperti per fase", "Primo contatto", "Chiusi per motivo", "Avviati per anno", ">23<"} {
		if !strings.Contains(body, want) {
			t.Errorf("the district's page lacks %q", want)
		}
	}
	if strings.Contains(body, ">20<") {
		t.Error("the district's page shows the 20 its regional row hides")
	}

	// A region without pathways says so.
	if body := page(t, s, "/regioni/:region", "emilia-romagna", ""); !strings.Contains(body, "Nessun percorso registrato") {
		t.Error("the page of a region without pathways does not say so")
	}
}

func TestThePathwaysExportsCarryTheTablesSuppression(t *testing.T) {
	ctx := context.Background()
	s := pathwayRegion(t)
	ds, pw, err := s.Overview(ctx, "lombardia")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := region.WritePathwaysCSV(&buf, "lombardia", pw); err != nil {
		t.Fatal(err)
	}
	csv := buf.String()
	for _, want := range []string{"Programma;Codice programma;Tabella;Distretto;Voce;Codice voce;Percorsi",
		"C.O.P.E.;cope;Aperti per fase;Ambito Distrettuale di Valle Trompia;Primo contatto;contatto;<5",
		"C.O.P.E.;cope;Aperti per fase;Ambito Distrettuale di Valle Trompia;In corso;attivo;<5",
		"C.O.P.E.;cope;Aperti per fase;Ambito Distrettuale di Valle Trompia;Totale;;23",
		"C.O.P.E.;cope;Aperti per fase;Totale;Totale;;43",
		"vmd;vmd;Aperti per fase;Ambito Distrettuale di Valle Trompia;attivo;attivo;12"} {
		if !strings.Contains(csv, want) {
			t.Errorf("the CSV lacks %q:\n%s", want, csv)
		}
	}
	buf.Reset()
	if err := region.WriteXLSX(&buf, "lombardia", ds, pw); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Percorsi")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, r := range rows {
		lines[strings.Join(r, "|")] = true
	}
	for _, want := range []string{"C.O.P.E.|cope|Aperti per fase|Ambito Distrettuale di Valle Trompia|In corso|attivo|<5",
		"C.O.P.E.|cope|Aperti per fase|Totale|Totale||43"} {
		if !lines[want] {
			t.Errorf("the XLSX lacks %q: %v", want, rows)
		}
	}
}
