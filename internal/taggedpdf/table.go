package taggedpdf

import (
	"fmt"
	"math"
)

// Table cells, in points.
const (
	cellSize = 8.5
	cellPadX = 4.0
	cellPadY = 3.0
)

type cellSpec struct {
	lines   []string
	f       face
	numeric bool
	el      *elem
}

// Table adds a table (Table › TR › TH/TD). A row that does not fit goes to the next page
// under a repeated header row; a row taller than a page is cut between lines.
func (d *Document) Table(t Table) {
	if d.err != nil {
		return
	}
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	if n == 0 {
		return
	}
	rel := t.Widths
	if len(rel) == 0 {
		rel = d.naturalWidths(t, n)
	}
	ws := columnWidths(rel, n)
	te := d.root.add("Table")
	var header []cellSpec
	if len(t.Header) > 0 {
		tr := te.add("TR")
		header = d.cells(t.Header, ws, t.Numeric, func(int) (face, *elem) {
			th := tr.add("TH")
			th.scope = "Column"
			return bold, th
		})
	}
	d.cur()
	d.y -= 2
	first := true
	for _, r := range t.Rows {
		tr := te.add("TR")
		row := d.cells(r, ws, t.Numeric, func(c int) (face, *elem) {
			if t.RowHeaders && c == 0 {
				th := tr.add("TH")
				th.scope = "Row"
				return bold, th
			}
			return regular, tr.add("TD")
		})
		if first && header != nil {
			// the header row stays with the first row
			d.need(rowHeight(header) + min(rowHeight(row), 3*cellSize*lineGap+2*cellPadY))
			d.drawRow(header, ws, true, false)
		}
		first = false
		d.placeRow(row, header, ws)
	}
	if first && header != nil {
		d.need(rowHeight(header))
		d.drawRow(header, ws, true, false)
	}
	d.y -= 8
}

// cells wraps a row's values in their columns; kind gives each cell's font and element.
func (d *Document) cells(values []string, ws []float64, numeric []bool, kind func(int) (face, *elem)) []cellSpec {
	out := make([]cellSpec, len(ws))
	for c := range ws {
		v := ""
		if c < len(values) {
			v = values[c]
		}
		f, el := kind(c)
		out[c] = cellSpec{f: f, el: el, numeric: c < len(numeric) && numeric[c]}
		out[c].lines = d.wrap(v, f, cellSize, ws[c]-2*cellPadX)
	}
	return out
}

func rowHeight(row []cellSpec) float64 {
	n := 1
	for _, c := range row {
		n = max(n, len(c.lines))
	}
	return float64(n)*cellSize*lineGap + 2*cellPadY
}

// placeRow draws a row, over as many pages as it needs, repeating the header on each new one.
func (d *Document) placeRow(row, header []cellSpec, ws []float64) {
	lh := cellSize * lineGap
	fresh := d.top() - marginBottom
	if header != nil {
		fresh -= rowHeight(header)
	}
	broke := false
	for started := false; ; started = true {
		h := rowHeight(row)
		avail := d.y - marginBottom
		if h <= avail {
			d.drawRow(row, ws, false, false)
			return
		}
		fit := int(math.Floor((avail - 2*cellPadY) / lh))
		if !broke && (fit < 2 || (!started && h <= fresh)) {
			d.breakTable(header, ws)
			broke = true
			continue
		}
		fit, broke = max(fit, 1), false // on a fresh page, whatever fits
		head := make([]cellSpec, len(row))
		for c := range row {
			head[c] = row[c]
			k := min(fit, len(row[c].lines))
			head[c].lines = row[c].lines[:k]
			row[c].lines = row[c].lines[k:]
		}
		d.drawRow(head, ws, false, false)
		d.breakTable(header, ws)
	}
}

// breakTable goes to a new page and repeats the header row there, as an artifact: the
// structure tree holds it once.
func (d *Document) breakTable(header []cellSpec, ws []float64) {
	d.newPage()
	if header != nil {
		d.drawRow(header, ws, true, true)
	}
}

// drawRow draws the cells at the cursor: fill and borders as artifacts, each cell's text
// marked as its element's content (or as an artifact when repeated).
func (d *Document) drawRow(row []cellSpec, ws []float64, header, repeated bool) {
	pg := d.cur()
	h := rowHeight(row)
	top := d.y
	x := marginX
	var ops string
	for c := range row {
		if header {
			ops += fmt.Sprintf("%s rg %.2f %.2f %.2f %.2f re f ", fillBlue, x, top-h, ws[c], h)
		}
		ops += fmt.Sprintf("0.25 w 0 G %.2f %.2f %.2f %.2f re S ", x, top-h, ws[c], h)
		x += ws[c]
	}
	pg.artifact(ops)
	lh := cellSize * lineGap
	x = marginX
	for c, cell := range row {
		if len(cell.lines) == 0 || (len(cell.lines) == 1 && cell.lines[0] == "") {
			x += ws[c]
			continue
		}
		if repeated {
			pg.content.WriteString("/Artifact BMC\n")
		} else {
			pg.begin(cell.el)
		}
		y := top - cellPadY
		u := d.fonts[cell.f]
		for _, l := range cell.lines {
			y -= cellSize * 0.95
			lx := x + cellPadX
			if cell.numeric {
				lx = x + ws[c] - cellPadX - width(u.shape(l), cellSize)
			}
			pg.text(u, cellSize, lx, y, l, false)
			y -= lh - cellSize*0.95
		}
		pg.content.WriteString("EMC\n")
		x += ws[c]
	}
	d.y = top - h
}

// naturalWidths are relative widths from the columns' contents: each its widest value on
// one line, between 45 and 220 points, so a year or an amount takes less room than a name.
func (d *Document) naturalWidths(t Table, n int) []float64 {
	ws := make([]float64, n)
	measure := func(c int, s string, f face) {
		ws[c] = max(ws[c], width(d.fonts[f].shape(oneLine(s)), cellSize)+2*cellPadX)
	}
	for c, h := range t.Header {
		measure(c, h, bold)
	}
	for _, r := range t.Rows {
		for c, v := range r {
			if c < n {
				measure(c, v, regular)
			}
		}
	}
	for c := range ws {
		ws[c] = min(max(ws[c], 45), 220)
	}
	return ws
}

// columnWidths shares the text width among n columns by the relative widths given (equal
// parts when missing).
func columnWidths(rel []float64, n int) []float64 {
	ws := make([]float64, n)
	var sum float64
	for i := range ws {
		ws[i] = 1
		if i < len(rel) && rel[i] > 0 {
			ws[i] = rel[i]
		}
		sum += ws[i]
	}
	for i := range ws {
		ws[i] = ws[i] / sum * contentW
	}
	return ws
}
