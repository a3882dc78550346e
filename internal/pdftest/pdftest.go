// Package pdftest reads back the PDFs the product writes, for tests: the plan's downloads and
// the DPO's subject access export.
package pdftest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// Text extracts the text of every page with a pure-Go reader, so the test needs nothing
// installed, and counts the pages. The reader decodes the WinAnsiEncoding of the core fonts
// and the ToUnicode map of embedded CID fonts (internal/taggedpdf) back to Unicode, so
// accents and € are compared as they are. Each line the writers draw as a text object of
// its own comes out on a line of its own.
func Text(tb testing.TB, b []byte) (text string, pages int) {
	tb.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	var sb strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		s, err := p.GetPlainText(nil)
		if err != nil {
			tb.Fatalf("page %d: %v", i, err)
		}
		sb.WriteString(s)
		sb.WriteString("\n")
	}
	return sb.String(), r.NumPage()
}
