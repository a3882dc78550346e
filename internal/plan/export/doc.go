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
//   - PDF: github.com/johnfercher/maroto/v2 (v2.3.3, maintained) rather than the archived
//     go-pdf/fpdf: its auto-height rows with per-side cell borders give the two-column bordered
//     table of the esiti sheets, rows move to the next page whole, and "Pagina N di M" is built
//     in. Text uses the PDF core font Helvetica with maroto's cp1252 translation, which covers
//     Italian (à è é ì ò ù À È É Ì Ò Ù, ’ “ ” – —) and the euro sign; no font is embedded or
//     downloaded. Runes outside cp1252 are folded to a close ASCII form before rendering (see
//     pdfText). maroto builds the document in memory before it is written, which is fine for
//     a plan's few dozen sheets.
package export
