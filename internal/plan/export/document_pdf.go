package export

import (
	"io"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"github.com/ambiti/ambiti/internal/plan"
)

// headingSizes are the font sizes of heading levels 1–3, in points.
var headingSizes = [4]float64{0, 15, 12.5, 10.5}

// DocumentPDF writes the Piano di Zona document (A4 portrait): every objective's sheet by
// area as in the plans' chapter 6, the budget by funding source and year and the
// participation record, in Italian (it-IT), titled.
func DocumentPDF(w io.Writer, d plan.Dossier) error {
	title := documentTitle(d)
	cfg := pdfConfig(title, d.District.Name, "Piano di Zona")
	m := maroto.New(cfg)
	for _, b := range documentBlocks(d) {
		addBlock(m, b)
	}
	return writePDF(w, m)
}

func addBlock(m core.Maroto, b block) {
	switch b.Kind {
	case heading:
		keepSpace(m, 40)
		m.AddRows(row.New(3))
		style := props.Text{Size: headingSizes[b.Level], Style: fontstyle.Bold, Bottom: 1.5}
		if b.Level == 2 {
			m.AddRows(text.NewAutoRow(pdfText(b.Text), style).WithStyle(&props.Cell{BackgroundColor: areaFill}))
			return
		}
		m.AddRows(text.NewAutoRow(pdfText(b.Text), style))
	case paragraph:
		style := props.Text{Size: 9.5, Top: 1, Bottom: 1}
		if b.Italic {
			style.Style = fontstyle.Italic
		}
		m.AddRows(text.NewAutoRow(pdfText(b.Text), style))
	case sheet:
		for _, r := range b.Rows {
			m.AddRows(fieldRows(r[0], r[1])...)
		}
		m.AddRows(row.New(2))
	case grid:
		sizes := gridSizes(len(b.Header))
		m.AddRows(gridRow(b.Header, sizes, b.Numeric, true))
		for _, r := range b.Rows {
			m.AddRows(gridRow(r, sizes, b.Numeric, false))
		}
		m.AddRows(row.New(2))
	}
}

// gridSizes shares the 12 grid columns among n: equal parts, the first (the label) takes
// what is left over.
func gridSizes(n int) []int {
	if n <= 0 {
		return nil
	}
	n = min(n, 12)
	each := 12 / n
	if n > 1 && 12-each*(n-1) < each+1 && each > 1 {
		each = (12 - 3) / (n - 1) // the label column needs room
		each = max(each, 1)
	}
	sizes := make([]int, n)
	sizes[0] = 12 - each*(n-1)
	for i := 1; i < n; i++ {
		sizes[i] = each
	}
	return sizes
}

func gridRow(cells []string, sizes []int, numeric []bool, header bool) core.Row {
	cs := make([]core.Col, 0, len(sizes))
	for i, size := range sizes {
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		style := props.Text{Size: 8.5, Left: 1.5, Right: 1.5, Top: 1.2, Bottom: 1.2}
		if header {
			style.Style = fontstyle.Bold
		}
		if i < len(numeric) && numeric[i] {
			style.Align = align.Right
		}
		cell := &props.Cell{BorderType: border.Full, BorderThickness: 0.2}
		if header {
			cell.BackgroundColor = areaFill
		}
		cs = append(cs, col.New(size).Add(text.New(pdfText(v), style)).WithStyle(cell))
	}
	return row.New().Add(cs...)
}
