package taggedpdf

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// decorate draws the running header (Meta.Header, a rule) and footer (Meta.Footer, "Pagina n
// di N") on every page, as pagination artifacts: assistive technology skips them.
func (d *Document) decorate() {
	const size = 8.0
	u := d.fonts[regular]
	for i, p := range d.pages {
		p.content.WriteString("/Artifact <</Type /Pagination /Subtype /Header>> BDC\n")
		if h := d.meta.Header; h != "" {
			lines := d.wrap(oneLine(h), regular, size, contentW)
			p.text(u, size, marginX, pageH-36, lines[0], true)
			fmt.Fprintf(&p.content, "q 0.4 G 0.4 w %.2f %.2f m %.2f %.2f l S Q\n", marginX, pageH-42, pageW-marginX, pageH-42)
		}
		p.content.WriteString("EMC\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n")
		num := "Pagina " + strconv.Itoa(i+1) + " di " + strconv.Itoa(len(d.pages))
		nw := width(u.shape(num), size)
		if f := d.meta.Footer; f != "" {
			lines := d.wrap(oneLine(f), regular, size, contentW-nw-12)
			p.text(u, size, marginX, 36, lines[0], true)
		}
		p.text(u, size, pageW-marginX-nw, 36, num, true)
		p.content.WriteString("EMC\n")
	}
}

// outlineEntry is a bookmark: a heading and where it stands.
type outlineEntry struct {
	level int
	title string
	page  int
	y     float64
	id    int
	kids  []*outlineEntry
}

// writeOutlines writes the bookmarks, nested by heading level; 0 when there are none.
func (d *Document) writeOutlines(w *writer) int {
	if len(d.marks) == 0 {
		return 0
	}
	root := &outlineEntry{level: 0}
	stack := []*outlineEntry{root}
	for i := range d.marks {
		m := &d.marks[i]
		for len(stack) > 1 && stack[len(stack)-1].level >= m.level {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1]
		parent.kids = append(parent.kids, m)
		stack = append(stack, m)
	}
	root.id = w.alloc()
	d.writeOutlineKids(w, root)
	w.set(root.id, "<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>", root.kids[0].id, root.kids[len(root.kids)-1].id, count(root))
	return root.id
}

func (d *Document) writeOutlineKids(w *writer, parent *outlineEntry) {
	for _, k := range parent.kids {
		k.id = w.alloc()
	}
	for i, k := range parent.kids {
		d.writeOutlineKids(w, k)
		var extra strings.Builder
		if i > 0 {
			fmt.Fprintf(&extra, " /Prev %d 0 R", parent.kids[i-1].id)
		}
		if i < len(parent.kids)-1 {
			fmt.Fprintf(&extra, " /Next %d 0 R", parent.kids[i+1].id)
		}
		if len(k.kids) > 0 {
			fmt.Fprintf(&extra, " /First %d 0 R /Last %d 0 R /Count %d", k.kids[0].id, k.kids[len(k.kids)-1].id, count(k))
		}
		w.set(k.id, "<< /Title %s /Parent %d 0 R /Dest [%d 0 R /XYZ 0 %.2f 0]%s >>",
			pdfString(k.title), parent.id, d.pages[k.page].id, k.y, extra.String())
	}
}

// count is the number of bookmarks below e, all open.
func count(e *outlineEntry) int {
	n := len(e.kids)
	for _, k := range e.kids {
		n += count(k)
	}
	return n
}

// xmp is the XMP metadata packet: title, author, subject, language and the PDF/UA claim.
func xmp(m Meta, now time.Time) string {
	e := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + e(m.Title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + e(m.Author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + e(m.Subject) + `</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>` + e(m.Lang) + `</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>Ambiti taggedpdf</pdf:Producer>
<xmp:CreatorTool>Ambiti</xmp:CreatorTool>
<xmp:CreateDate>` + now.UTC().Format(time.RFC3339) + `</xmp:CreateDate>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}
