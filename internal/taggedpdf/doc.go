// Package taggedpdf writes small tagged PDFs (PDF/UA-minded) of headings, paragraphs and
// tables: A4 pages with a running header and footer, embedded Unicode fonts, a structure
// tree (Document › H1–H3, P, Table › TR › TH/TD) that screen readers follow, the document's
// language and title, and bookmarks for the headings. Pure Go: the PDF libraries at hand
// cannot write a structure tree.
package taggedpdf

import (
	"fmt"
	"strings"
)

// Meta describes the document: Title is shown by viewers and spoken first, Lang is its
// language ("it-IT" when empty); Header and Footer run on every page (as artifacts, not
// content), the footer followed by "Pagina n di N".
type Meta struct {
	Title, Author, Subject, Lang string
	Header, Footer               string
}

// Style of a paragraph.
type Style struct {
	Bold, Italic bool
	Gray         bool    // secondary text (facts under a title)
	Size         float64 // points; 9.5 when zero
}

// Table is a table: an optional header row (TH with scope Column, repeated on every page
// the table runs over), rows of cells, right-aligned numeric columns, relative column
// widths (from the contents when empty), and with RowHeaders the first cell of each row is a TH with
// scope Row (a two-column sheet of labelled values).
type Table struct {
	Header     []string
	Rows       [][]string
	Numeric    []bool
	Widths     []float64 // relative; from the contents when empty
	RowHeaders bool
}

// Page geometry, in points (A4 portrait).
const (
	pageW        = 595.28
	pageH        = 841.89
	marginX      = 51.0 // 18 mm
	marginTop    = 62.0
	marginBottom = 62.0
	contentW     = pageW - 2*marginX
)

// Document is a tagged PDF being laid out.
type Document struct {
	meta  Meta
	err   error
	fonts [faces]*usedFont
	pages []*page
	y     float64 // the baseline cursor on the current page, from the bottom
	root  *elem   // the Document element
	marks []outlineEntry
	done  bool // written: the running header and footer are on the pages
}

// New starts a document.
func New(m Meta) *Document {
	if m.Lang == "" {
		m.Lang = "it-IT"
	}
	d := &Document{meta: m, root: &elem{typ: "Document"}}
	if d.err = loadFonts(); d.err == nil {
		for i := range d.fonts {
			d.fonts[i] = newUsedFont(face(i), fontSet[i])
		}
	}
	return d
}

// Heading adds a heading of level 1–3 (H1–H3 and a bookmark).
func (d *Document) Heading(level int, text string) {
	if d.err != nil {
		return
	}
	text = oneLine(text)
	if text == "" { // an empty heading would be an empty stop for screen readers
		return
	}
	level = min(max(level, 1), 3)
	size := headingSizes[level]
	pad := 0.0 // the area headings (H2) stand in a box
	if level == 2 {
		pad = boxPad
	}
	lines := d.wrap(text, bold, size, contentW-pad*2)
	lh := size * lineGap
	before := [4]float64{0, 14, 12, 9}[level]
	// keep the heading with at least three lines of what follows it
	d.need(before + float64(len(lines))*lh + 40)
	if d.y < d.top() {
		d.y -= before
	}
	e := d.root.add("H" + fmt.Sprint(level))
	pg := d.cur()
	d.marks = append(d.marks, outlineEntry{level: level, title: text, page: len(d.pages) - 1, y: d.y + 4})
	if level == 2 {
		h := float64(len(lines))*lh + boxPad*2
		pg.artifact(fmt.Sprintf("%s rg %.2f %.2f %.2f %.2f re f 0 g", fillBlue, marginX, d.y-h, contentW, h))
		d.y -= boxPad
	}
	mc := pg.begin(e)
	for _, l := range lines {
		d.y -= size * 0.95
		pg.text(d.fonts[bold], size, marginX+pad, d.y, l, false)
		d.y -= lh - size*0.95
	}
	pg.end(mc)
	if level == 2 {
		d.y -= boxPad
	}
	d.y -= 4
}

// Paragraph adds a paragraph (P); line breaks in text start new lines.
func (d *Document) Paragraph(text string, st Style) {
	if d.err != nil || strings.TrimSpace(text) == "" {
		return
	}
	size := st.Size
	if size == 0 {
		size = 9.5
	}
	f := regular
	switch {
	case st.Bold:
		f = bold
	case st.Italic:
		f = italic
	}
	lines := d.wrap(text, f, size, contentW)
	e := d.root.add("P")
	d.need(size * lineGap)
	d.y -= 2
	d.flow(e, lines, f, size, marginX, st.Gray)
	d.y -= 3
}

// flow writes lines from the cursor, breaking pages as needed, all marked as e's content.
func (d *Document) flow(e *elem, lines []string, f face, size float64, x float64, gray bool) {
	lh := size * lineGap
	pg := d.cur()
	mc := pg.begin(e)
	for _, l := range lines {
		if d.y-lh < marginBottom {
			pg.end(mc)
			pg = d.newPage()
			mc = pg.begin(e)
		}
		d.y -= size * 0.95
		pg.text(d.fonts[f], size, x, d.y, l, gray)
		d.y -= lh - size*0.95
	}
	pg.end(mc)
}

// Err is the first error met while laying out (a font that would not load).
func (d *Document) Err() error { return d.err }

const (
	lineGap  = 1.28
	boxPad   = 3.0
	fillBlue = "0.867 0.906 0.949" // #dde7f2
)

var headingSizes = [4]float64{0, 15, 12.5, 10.5}

// oneLine is s with its whitespace runs made single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cur is the current page, starting the first one when needed.
func (d *Document) cur() *page {
	if len(d.pages) == 0 {
		return d.newPage()
	}
	return d.pages[len(d.pages)-1]
}

func (d *Document) newPage() *page {
	p := &page{}
	d.pages = append(d.pages, p)
	d.y = d.top()
	return p
}

func (d *Document) top() float64 { return pageH - marginTop }

// need starts a new page unless h points are left on this one.
func (d *Document) need(h float64) {
	d.cur()
	if d.y-h < marginBottom && d.y < d.top() {
		d.newPage()
	}
}

// wrap breaks text into lines of at most w points: at spaces, or inside a word longer than a
// line; "\n" starts a new line.
func (d *Document) wrap(text string, f face, size, w float64) []string {
	u := d.fonts[f]
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		line := ""
		for _, word := range words {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if width(u.shape(cand), size) <= w {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line = word
			for width(u.shape(line), size) > w {
				head, rest := splitAt(u, line, size, w)
				out = append(out, head)
				line = rest
			}
		}
		out = append(out, line)
	}
	return out
}

// splitAt cuts a word at the last rune that fits in w points (at least one rune).
func splitAt(u *usedFont, s string, size, w float64) (string, string) {
	rs := []rune(s)
	n := 1
	for n < len(rs) && width(u.shape(string(rs[:n+1])), size) <= w {
		n++
	}
	return string(rs[:n]), string(rs[n:])
}
