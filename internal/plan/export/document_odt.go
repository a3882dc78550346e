package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/plan"
)

// DocumentODT writes the Piano di Zona document as an editable OpenDocument text (ODT), the
// same outline as DocumentPDF: real headings (a navigable outline), tables with header rows,
// Italian as the document's language. Written with the standard library: the zip holds the
// mimetype (first, stored), the manifest, meta, styles and content.
func DocumentODT(w io.Writer, d plan.Dossier) error {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	mt, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		return fmt.Errorf("export: odt: %w", err)
	}
	if _, err := io.WriteString(mt, odtMime); err != nil {
		return fmt.Errorf("export: odt: %w", err)
	}
	files := []struct{ name, body string }{
		{"META-INF/manifest.xml", odtManifest},
		{"meta.xml", odtMeta(d)},
		{"styles.xml", odtStyles},
		{"content.xml", odtContent(d)},
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err != nil {
			return fmt.Errorf("export: odt: %w", err)
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return fmt.Errorf("export: odt: %w", err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("export: odt: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("export: unable to write the ODT: %w", err)
	}
	return nil
}

const odtMime = "application/vnd.oasis.opendocument.text"

const odtManifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`

const odtNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"`

func odtMeta(d plan.Dossier) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ` + odtNS + `><office:meta>` +
		`<dc:title>` + esc(documentTitle(d)) + `</dc:title>` +
		`<dc:subject>Piano di Zona</dc:subject>` +
		`<dc:language>it-IT</dc:language>` +
		`<meta:initial-creator>` + esc(d.District.Name) + `</meta:initial-creator>` +
		`<meta:generator>Ambiti</meta:generator>` +
		`<meta:creation-date>` + time.Now().UTC().Format("2006-01-02T15:04:05") + `</meta:creation-date>` +
		`</office:meta></office:document-meta>
`
}

const odtStyles = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles ` + odtNS + `><office:styles>
 <style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.15cm"/><style:text-properties style:font-name="Liberation Sans" fo:font-family="'Liberation Sans', Arial, sans-serif" fo:font-size="10pt" fo:language="it" fo:country="IT"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"><style:text-properties fo:font-size="16pt"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"><style:paragraph-properties fo:background-color="#dde7f2" fo:padding="0.1cm"/><style:text-properties fo:font-size="13pt"/></style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text"><style:text-properties fo:font-size="11pt"/></style:style>
 <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="9pt"/></style:style>
 <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles></office:document-styles>
`

// odtContent is the document's body: the blocks as ODF headings, paragraphs and tables.
func odtContent(d plan.Dossier) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content ` + odtNS + `><office:automatic-styles>
 <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #000000" fo:background-color="#dde7f2"/></style:style>
 <style:style style:name="Italic" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Num" style:family="paragraph" style:parent-style-name="Table_20_Contents"><style:paragraph-properties fo:text-align="end"/></style:style>
</office:automatic-styles><office:body><office:text>
`)
	for i, bl := range documentBlocks(d) {
		switch bl.Kind {
		case heading:
			fmt.Fprintf(&b, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>`+"\n", bl.Level, bl.Level, esc(bl.Text))
		case paragraph:
			style := "Standard"
			if bl.Italic {
				style = "Italic"
			}
			fmt.Fprintf(&b, `<text:p text:style-name="%s">%s</text:p>`+"\n", style, escLines(bl.Text))
		case sheet:
			odtTable(&b, "Scheda"+strconv.Itoa(i), nil, bl.Rows, nil, true)
		case grid:
			odtTable(&b, "Tabella"+strconv.Itoa(i), bl.Header, bl.Rows, bl.Numeric, false)
		}
	}
	b.WriteString("</office:text></office:body></office:document-content>\n")
	return b.String()
}

// odtTable writes a table; the header, when given, repeats on every page. In a sheet the
// first column holds the labels, in bold.
func odtTable(b *strings.Builder, name string, header []string, rows [][]string, numeric []bool, labels bool) {
	n := len(header)
	for _, r := range rows {
		n = max(n, len(r))
	}
	if n == 0 || (len(rows) == 0 && len(header) == 0) {
		return
	}
	fmt.Fprintf(b, `<table:table table:name="%s" table:style-name="Tbl"><table:table-column table:number-columns-repeated="%d"/>`, name, n)
	if len(header) > 0 {
		b.WriteString(`<table:table-header-rows><table:table-row>`)
		for _, h := range header {
			fmt.Fprintf(b, `<table:table-cell table:style-name="HeadCell" office:value-type="string"><text:p text:style-name="Table_20_Heading">%s</text:p></table:table-cell>`, esc(h))
		}
		b.WriteString(`</table:table-row></table:table-header-rows>`)
	}
	for _, r := range rows {
		b.WriteString(`<table:table-row>`)
		for c := 0; c < n; c++ {
			v := ""
			if c < len(r) {
				v = r[c]
			}
			style := "Table_20_Contents"
			switch {
			case labels && c == 0:
				style = "Table_20_Heading"
			case c < len(numeric) && numeric[c]:
				style = "Num"
			}
			fmt.Fprintf(b, `<table:table-cell table:style-name="Cell" office:value-type="string"><text:p text:style-name="%s">%s</text:p></table:table-cell>`, style, escLines(v))
		}
		b.WriteString(`</table:table-row>`)
	}
	b.WriteString("</table:table>\n")
}

// esc escapes text for XML, dropping the control characters XML 1.0 cannot hold.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		if r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// escLines escapes text keeping its line breaks as ODF line breaks.
func escLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = esc(l)
	}
	return strings.Join(lines, "<text:line-break/>")
}
