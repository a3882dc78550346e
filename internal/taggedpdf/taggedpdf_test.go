package taggedpdf_test

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/ambiti/ambiti/internal/pdftest"
	"github.com/ambiti/ambiti/internal/taggedpdf"
)

const (
	accents = "Perché la qualità costa 1.500 € — “così” è… sì."
	long    = "Una criticità molto lunga. "
)

// sample is a document with every kind of block; rows is the length of its last table.
func sample(t testing.TB, rows int) []byte {
	t.Helper()
	b, err := build(rows)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func build(rows int) ([]byte, error) {
	d := taggedpdf.New(taggedpdf.Meta{Title: "Piano di Zona — Città", Author: "Ambito di Prova", Subject: "Prova",
		Header: "Ambito di Prova · Piano di Zona", Footer: "Piano di Zona 2024–2026"})
	d.Heading(1, "Gli obiettivi")
	d.Paragraph(accents+" ➢ fine.", taggedpdf.Style{})
	d.Heading(2, "Area Politiche giovanili")
	d.Heading(3, "OBIETTIVO UNO")
	d.Paragraph(strings.Repeat("Testo lungo che va a capo più volte. ", 40), taggedpdf.Style{Italic: true})
	d.Table(taggedpdf.Table{RowHeaders: true, Widths: []float64{5, 7}, Rows: [][]string{
		{"Target", "Minori"}, {"Criticità", strings.Repeat(long, 300)},
	}})
	d.Heading(2, "Serie")
	tb := taggedpdf.Table{Header: []string{"Periodo", "Valore", "Fonte"}, Numeric: []bool{false, true, false}}
	for i := range rows {
		tb.Rows = append(tb.Rows, []string{"Periodo " + strconv.Itoa(i+1), strconv.Itoa(i*10) + ",5 €", "Registro"})
	}
	d.Table(tb)
	d.Paragraph("Fine.", taggedpdf.Style{Gray: true})
	var buf bytes.Buffer
	_, err := d.WriteTo(&buf)
	return buf.Bytes(), err
}

func read(t *testing.T, b []byte, mode int) *model.Context {
	t.Helper()
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = mode
	ctx, err := api.ReadContext(bytes.NewReader(b), conf)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return ctx
}

// The file is well-formed as pdfcpu reads and validates it, relaxed and strict.
func TestValid(t *testing.T) {
	b := sample(t, 120)
	for _, mode := range []int{model.ValidationRelaxed, model.ValidationStrict} {
		if err := api.ValidateContext(read(t, b, mode)); err != nil {
			t.Errorf("mode %d: %v", mode, err)
		}
	}
}

// The catalog says the file is tagged, in Italian, titled; every marked content of every page
// belongs to exactly one structure element, and the parent tree says which.
func TestTagged(t *testing.T) {
	b := sample(t, 120)
	ctx := read(t, b, model.ValidationRelaxed)
	x := ctx.XRefTable
	if err := api.ValidateContext(ctx); err != nil {
		t.Fatal(err)
	}
	root := x.RootDict
	if m := root.DictEntry("MarkInfo"); m == nil || m.BooleanEntry("Marked") == nil || !*m.BooleanEntry("Marked") {
		t.Error("no /MarkInfo << /Marked true >>")
	}
	if lang := text(t, x, root["Lang"]); lang != "it-IT" {
		t.Errorf("/Lang = %q", lang)
	}
	if vp := dict(t, x, root["ViewerPreferences"]); vp == nil || !*vp.BooleanEntry("DisplayDocTitle") {
		t.Error("no /DisplayDocTitle")
	}
	if title := text(t, x, dict(t, x, *x.Info)["Title"]); title != "Piano di Zona — Città" {
		t.Errorf("/Title = %q", title)
	}
	meta, _, err := x.DereferenceStreamDict(root["Metadata"])
	if err == nil && meta != nil {
		err = meta.Decode()
	}
	if err != nil || meta == nil || !bytes.Contains(meta.Content, []byte("<pdfuaid:part>1</pdfuaid:part>")) || !bytes.Contains(meta.Content, []byte("Piano di Zona — Città")) {
		t.Error("the XMP metadata lacks the title or the PDF/UA part")
	}
	if dict(t, x, root["Outlines"]) == nil {
		t.Error("no bookmarks")
	}
	str := dict(t, x, root["StructTreeRoot"])
	if str == nil {
		t.Fatal("no /StructTreeRoot")
	}

	// walk the structure tree: the order of elements, and who owns each marked content
	type mc struct {
		page int
		mcid int
	}
	owners := map[mc]int{} // → element object number
	var order []string
	var walk func(o types.Object, pg int)
	walk = func(o types.Object, pg int) {
		ref, isRef := o.(types.IndirectRef)
		e := dict(t, x, o)
		if e.Type() != nil && *e.Type() == "MCR" {
			owners[mc{e.IndirectRefEntry("Pg").ObjectNumber.Value(), *e.IntEntry("MCID")}]++
			return
		}
		if !isRef {
			t.Fatalf("an element inline: %v", e)
		}
		s := *e.NameEntry("S")
		order = append(order, s)
		if s == "TH" {
			a := dict(t, x, e["A"])
			if a == nil || a.NameEntry("Scope") == nil {
				t.Errorf("a TH without scope")
			}
		}
		for _, k := range array(t, x, e["K"]) {
			if i, ok := k.(types.Integer); ok {
				owners[mc{pg, i.Value()}]++
				continue
			}
			walk(k, pg)
		}
		_ = ref
	}
	walk(str["K"], 0)
	joined := strings.Join(order, " ")
	for _, want := range []string{"Document H1 P H2 H3 P Table TR TH TD TR TH TD H2 Table TR TH TH TH TR TD TD TD", "P"} {
		if !strings.Contains(joined, want) {
			t.Errorf("structure %q lacks %q", joined[:min(len(joined), 200)], want)
		}
	}

	mcidRE := regexp.MustCompile(`/MCID (\d+)`)
	parents := array(t, x, dict(t, x, str["ParentTree"])["Nums"])
	seen := 0
	for i := 1; i <= x.PageCount; i++ {
		pd, ref, _, err := x.PageDict(i, false)
		if err != nil {
			t.Fatal(err)
		}
		if tabs := pd.NameEntry("Tabs"); tabs == nil || *tabs != "S" {
			t.Errorf("page %d: no /Tabs /S", i)
		}
		sp := pd.IntEntry("StructParents")
		if sp == nil {
			t.Fatalf("page %d: no /StructParents", i)
		}
		content, err := x.PageContent(pd)
		if err != nil {
			t.Fatal(err)
		}
		ms := mcidRE.FindAllSubmatch(content, -1)
		entry := array(t, x, parents[2**sp+1])
		if len(entry) != len(ms) {
			t.Errorf("page %d: %d marked contents, %d in the parent tree", i, len(ms), len(entry))
		}
		for j, m := range ms {
			n, _ := strconv.Atoi(string(m[1]))
			if n != j {
				t.Errorf("page %d: MCID %d at position %d", i, n, j)
			}
			if c := owners[mc{ref.ObjectNumber.Value(), n}]; c != 1 {
				t.Errorf("page %d: MCID %d is referenced by %d elements", i, n, c)
			}
			seen++
		}
		if !bytes.Contains(content, []byte("/Artifact <</Type /Pagination /Subtype /Footer>> BDC")) {
			t.Errorf("page %d: the footer is not an artifact", i)
		}
	}
	if seen < 50 || seen != len(owners) {
		t.Errorf("%d marked contents on the pages, %d referenced by the tree", seen, len(owners))
	}
}

// The text extracts as written (accents, €, quotes via ToUnicode); a long table breaks over
// pages with its header repeated; pages are numbered.
func TestTextAndPageBreaks(t *testing.T) {
	raw, pages := pdftest.Text(t, sample(t, 120))
	text := strings.Join(strings.Fields(raw), " ")
	if pages < 4 {
		t.Errorf("%d pages, want at least 4", pages)
	}
	for _, s := range []string{
		"Gli obiettivi", accents + " » fine.", "Area Politiche giovanili", "OBIETTIVO UNO",
		"Target Minori Criticità", "Periodo Valore Fonte", "Periodo 1 0,5 € Registro", "Periodo 120 1190,5 € Registro",
		"Pagina 1 di " + strconv.Itoa(pages), "Pagina " + strconv.Itoa(pages) + " di " + strconv.Itoa(pages),
		"Ambito di Prova · Piano di Zona", "Piano di Zona 2024–2026", "Fine.",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the text lacks %q", s)
		}
	}
	if n := strings.Count(text, "lunga."); n != 300 { // a page break may fall inside a sentence
		t.Errorf("the long cell shows %d sentences, want 300", n)
	}
	if n := strings.Count(text, "Periodo Valore Fonte"); n < 2 {
		t.Errorf("the header row shows %d times, want it on every page of the table", n)
	}
	for i := 1; i < 120; i++ {
		a, b := strings.Index(text, "Periodo "+strconv.Itoa(i)+" "), strings.Index(text, "Periodo "+strconv.Itoa(i+1)+" ")
		if a < 0 || b < a {
			t.Fatalf("row %d is not before row %d", i, i+1)
		}
	}
}

func dict(t *testing.T, x *model.XRefTable, o types.Object) types.Dict {
	t.Helper()
	if o == nil {
		return nil
	}
	d, err := x.DereferenceDict(o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func array(t *testing.T, x *model.XRefTable, o types.Object) types.Array {
	t.Helper()
	a, err := x.DereferenceArray(o)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func text(t *testing.T, x *model.XRefTable, o types.Object) string {
	t.Helper()
	o, err := x.Dereference(o)
	if err != nil {
		t.Fatal(err)
	}
	var s string
	switch v := o.(type) {
	case types.StringLiteral:
		s, err = types.StringLiteralToString(v)
	case types.HexLiteral:
		s, err = types.HexLiteralToString(v)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Documents are written side by side (a burst of downloads): the fonts are shared, read-only.
func TestConcurrent(t *testing.T) {
	done := make(chan error)
	for range 4 {
		go func() {
			b, err := build(30)
			if err == nil && !bytes.HasPrefix(b, []byte("%PDF-1.7")) {
				err = errors.New("not a PDF")
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// Nothing empty enters the structure tree, and a document is written once.
func TestEmptyBlocksAndWriteOnce(t *testing.T) {
	d := taggedpdf.New(taggedpdf.Meta{Title: "Vuoto"})
	d.Heading(1, "  ")
	d.Paragraph("", taggedpdf.Style{})
	d.Table(taggedpdf.Table{})
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("/S /H1")) || bytes.Contains(buf.Bytes(), []byte("/S /P ")) {
		t.Error("an empty heading or paragraph is tagged")
	}
	if err := api.ValidateContext(read(t, buf.Bytes(), model.ValidationStrict)); err != nil {
		t.Errorf("an empty document is not valid: %v", err)
	}
	if _, err := d.WriteTo(&buf); err == nil {
		t.Error("written twice")
	}
}
