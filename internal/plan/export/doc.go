// Package export writes a plan dossier (plan.Dossier) as the files a district files or sends
// on: an XLSX workbook, a CSV of the objectives, and the "Esiti della programmazione" PDF laid
// out like the evaluation sheets of the plans themselves. All user-facing text is Italian.
//
// The package has no state, no database and no HTTP: each function reads a Dossier and writes
// to an io.Writer, so a handler can stream the result straight into the response. Nothing is
// written to disk.
//
// Libraries:
//   - XLSX: github.com/xuri/excelize/v2 (v2.11.1), the maintained Go library for OOXML. Amounts
//     are numeric cells in euros with the "#,##0.00 €" format, ratios numeric with one decimal,
//     so the sheets can be summed and filtered.
//   - CSV: internal/csvfile, the product's one CSV writer (encoding/csv underneath):
//     semicolon-separated, UTF-8 with a BOM, CRLF and decimal comma, what Excel in an Italian
//     locale opens correctly with a double click, with text cells neutralised against formula
//     injection. XLSX text cells are shared strings, which a spreadsheet never evaluates.
//   - PDF: internal/taggedpdf, the product's own small writer of tagged PDFs (PDF/UA-minded):
//     a structure tree of headings, paragraphs and tables (TH with their scope) that screen
//     readers follow, the Italian language and the title in the catalog and the XMP metadata,
//     bookmarks for the headings, the running header and footer as artifacts. The Go fonts
//     are embedded with a ToUnicode map, so every Italian letter and € is shown and extracts
//     as written. maroto/gofpdf, used before, cannot write a structure tree. Both PDFs are
//     built from an outline of blocks (document.go, pdf.go), the same one the ODT writes.
package export
