package export

import (
	"fmt"
	"io"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/taggedpdf"
)

// DocumentPDF writes the Piano di Zona document (A4 portrait): every objective's sheet by
// area as in the plans' chapter 6, the budget by funding source and year and the
// participation record, as a tagged PDF in Italian (it-IT), titled.
func DocumentPDF(w io.Writer, d plan.Dossier) error {
	title := documentTitle(d)
	return renderPDF(w, pdfMeta(d, title, "Piano di Zona"), documentBlocks(d))
}

// pdfMeta describes every PDF the district files: its title (shown by viewers), the district
// as author and running header, the title again in the footer next to "Pagina n di N".
func pdfMeta(d plan.Dossier, title, subject string) taggedpdf.Meta {
	return taggedpdf.Meta{Title: title, Author: d.District.Name, Subject: subject, Lang: "it-IT",
		Header: d.District.Name, Footer: title}
}

// renderPDF writes an outline of blocks as a tagged PDF (internal/taggedpdf): headings H1–H3
// (and bookmarks), paragraphs, sheets as tables of row headers and values, grids as tables
// with a header row repeated on every page they run over.
func renderPDF(w io.Writer, meta taggedpdf.Meta, blocks []block) error {
	doc := taggedpdf.New(meta)
	for _, b := range blocks {
		switch b.Kind {
		case heading:
			doc.Heading(b.Level, b.Text)
		case paragraph:
			doc.Paragraph(b.Text, taggedpdf.Style{Italic: b.Italic})
		case sheet:
			if len(b.Rows) > 0 {
				doc.Table(taggedpdf.Table{Rows: b.Rows, RowHeaders: true, Widths: []float64{5, 7}})
			}
		case grid:
			// without widths, each column's share follows its contents
			doc.Table(taggedpdf.Table{Header: b.Header, Rows: b.Rows, Numeric: b.Numeric, Widths: b.Widths})
		}
	}
	if _, err := doc.WriteTo(w); err != nil {
		return fmt.Errorf("export: unable to write the PDF: %w", err)
	}
	return nil
}
