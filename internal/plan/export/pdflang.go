package export

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// The PDF library (maroto on gofpdf) writes no document language and lets viewers show the
// file name instead of the title; it cannot write a structure tree (tagged PDF) either. What
// can be added afterwards is added by a standard incremental update: a new version of the
// catalog with /Lang and /ViewerPreferences /DisplayDocTitle, so that screen readers speak
// Italian and the window shows the document's title.

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	trailerRE   = regexp.MustCompile(`(?s)trailer\s*<<(.*?)>>\s*startxref`)
	rootRE      = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	infoRE      = regexp.MustCompile(`/Info\s+(\d+)\s+0\s+R`)
	sizeRE      = regexp.MustCompile(`/Size\s+(\d+)`)
)

// withLanguage returns doc with its catalog stating lang (e.g. "it-IT") and asking viewers to
// show the title; a document it cannot read is returned as it is, with an error.
func withLanguage(doc []byte, lang string) ([]byte, error) {
	sx := startxrefRE.FindSubmatch(doc)
	trailers := trailerRE.FindAllSubmatch(doc, -1)
	if sx == nil || len(trailers) == 0 {
		return doc, fmt.Errorf("export: the PDF has no classic trailer")
	}
	trailer := trailers[len(trailers)-1][1]
	root, size := rootRE.FindSubmatch(trailer), sizeRE.FindSubmatch(trailer)
	if root == nil || size == nil {
		return doc, fmt.Errorf("export: the PDF trailer has no /Root or /Size")
	}
	head := []byte("\n" + string(root[1]) + " 0 obj")
	at := bytes.LastIndex(doc, head)
	if at < 0 {
		return doc, fmt.Errorf("export: the PDF catalog is missing")
	}
	body := doc[at+len(head):]
	end := bytes.Index(body, []byte("endobj"))
	if end < 0 {
		return doc, fmt.Errorf("export: the PDF catalog is not closed")
	}
	dict := bytes.TrimSpace(body[:end])
	if !bytes.HasPrefix(dict, []byte("<<")) || !bytes.HasSuffix(dict, []byte(">>")) {
		return doc, fmt.Errorf("export: the PDF catalog is not a dictionary")
	}
	extra := "/Lang (" + lang + ")\n/ViewerPreferences << /DisplayDocTitle true >>\n"
	catalog := string(dict[:len(dict)-2]) + extra + ">>"

	var out bytes.Buffer
	out.Write(doc)
	if !bytes.HasSuffix(doc, []byte("\n")) {
		out.WriteByte('\n')
	}
	objAt := out.Len()
	fmt.Fprintf(&out, "%s 0 obj\n%s\nendobj\n", root[1], catalog)
	xrefAt := out.Len()
	fmt.Fprintf(&out, "xref\n%s 1\n%010d 00000 n \ntrailer\n<< /Size %s /Root %s 0 R", root[1], objAt, size[1], root[1])
	if info := infoRE.FindSubmatch(trailer); info != nil {
		fmt.Fprintf(&out, " /Info %s 0 R", info[1])
	}
	prev, _ := strconv.Atoi(string(sx[1]))
	fmt.Fprintf(&out, " /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", prev, xrefAt)
	return out.Bytes(), nil
}

// writePDF builds m and writes it to w, its catalog stating the Italian language (see
// withLanguage): every PDF the district files goes out this way.
func writePDF(w io.Writer, m core.Maroto) error {
	doc, err := m.Generate()
	if err != nil {
		return fmt.Errorf("export: unable to build the PDF: %w", err)
	}
	out, err := withLanguage(doc.GetBytes(), "it-IT")
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("export: unable to write the PDF: %w", err)
	}
	return nil
}

// pdfConfig is the page of every PDF the district files: A4 portrait, Helvetica 9.5, numbered
// "Pagina N di M" in the footer, with its title (shown by viewers), author and subject.
func pdfConfig(title, author, subject string) *entity.Config {
	return config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithOrientation(orientation.Vertical).
		WithLeftMargin(pdfMargin).
		WithRightMargin(pdfMargin).
		WithTopMargin(15).
		WithBottomMargin(15).
		WithDefaultFont(&props.Font{Family: fontfamily.Helvetica, Size: 9.5}).
		WithPageNumber(props.PageNumber{Pattern: "Pagina {current} di {total}", Place: props.Bottom,
			Family: fontfamily.Helvetica, Size: 8, Color: gray}).
		WithTitle(title, true).
		WithAuthor(author, true).
		WithSubject(subject, true).
		WithCreator("Ambiti", true).
		Build()
}
