package taggedpdf

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// writer numbers and serialises the objects of the file.
type writer struct {
	objs [][]byte // objs[i] is object i+1
}

func (w *writer) alloc() int {
	w.objs = append(w.objs, nil)
	return len(w.objs)
}

func (w *writer) set(id int, format string, args ...any) {
	w.objs[id-1] = fmt.Appendf(nil, format, args...)
}

// stream sets id to a stream of data, compressed unless raw.
func (w *writer) stream(id int, dict string, data []byte, raw bool) {
	if !raw {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, _ = zw.Write(data)
		_ = zw.Close()
		data = z.Bytes()
		dict += " /Filter /FlateDecode"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< %s /Length %d >>\nstream\n", dict, len(data))
	b.Write(data)
	b.WriteString("\nendstream")
	w.objs[id-1] = b.Bytes()
}

// WriteTo lays out the running header and footer and writes the PDF to out, once.
func (d *Document) WriteTo(out io.Writer) (int64, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.done {
		return 0, errors.New("taggedpdf: the document was already written")
	}
	d.done = true
	d.cur()
	d.decorate()
	w := &writer{}
	catalog, pagesID, infoID, metaID, rootID, parentID := w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc()

	// fonts
	var fontRes strings.Builder
	for _, u := range d.fonts {
		if len(u.byIndex) == 0 {
			continue
		}
		fmt.Fprintf(&fontRes, "/F%d %d 0 R ", u.face(), d.writeFont(w, u))
	}

	// pages
	kids := make([]string, len(d.pages))
	contents := make([]int, len(d.pages))
	for i, p := range d.pages {
		p.index, p.id, contents[i] = i, w.alloc(), w.alloc()
		kids[i] = fmt.Sprintf("%d 0 R", p.id)
	}
	for i, p := range d.pages {
		w.set(p.id, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << %s>> >> /Contents %d 0 R /StructParents %d /Tabs /S >>",
			pagesID, pageW, pageH, fontRes.String(), contents[i], i)
		w.stream(contents[i], "", p.content.Bytes(), false)
	}
	w.set(pagesID, "<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages))

	// structure tree
	d.root.id = w.alloc()
	d.number(w, d.root)
	d.writeElem(w, d.root, rootID)
	var nums strings.Builder
	for i, p := range d.pages {
		fmt.Fprintf(&nums, "%d [", i)
		for _, e := range p.owners {
			fmt.Fprintf(&nums, "%d 0 R ", e.id)
		}
		nums.WriteString("] ")
	}
	w.set(parentID, "<< /Nums [%s] >>", nums.String())
	w.set(rootID, "<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>", d.root.id, parentID, len(d.pages))

	// metadata, outlines, catalog
	now := time.Now()
	m := d.meta
	w.set(infoID, "<< /Title %s /Author %s /Subject %s /Creator (Ambiti) /Producer (Ambiti taggedpdf) /CreationDate (D:%s) >>",
		pdfString(m.Title), pdfString(m.Author), pdfString(m.Subject), now.UTC().Format("20060102150405Z"))
	w.stream(metaID, "/Type /Metadata /Subtype /XML", []byte(xmp(m, now)), true)
	outlines := ""
	if id := d.writeOutlines(w); id > 0 {
		outlines = fmt.Sprintf(" /Outlines %d 0 R /PageMode /UseOutlines", id)
	}
	w.set(catalog, "<< /Type /Catalog /Pages %d 0 R /Lang %s /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R /Metadata %d 0 R /ViewerPreferences << /DisplayDocTitle true >>%s >>",
		pagesID, pdfString(m.Lang), rootID, metaID, outlines)

	return w.writeFile(out, catalog, infoID)
}

func (w *writer) writeFile(out io.Writer, catalog, info int) (int64, error) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(w.objs))
	for i, o := range w.objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(w.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	sum := md5.Sum(b.Bytes())
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(w.objs)+1, catalog, info, sum, sum, xref)
	n, err := out.Write(b.Bytes())
	if err != nil {
		return int64(n), fmt.Errorf("taggedpdf: %w", err)
	}
	return int64(n), nil
}

// number gives every element below e an object number, in document order.
func (d *Document) number(w *writer, e *elem) {
	for _, k := range e.kids {
		if k.el != nil {
			k.el.id = w.alloc()
			d.number(w, k.el)
		}
	}
}

func (d *Document) writeElem(w *writer, e *elem, parent int) {
	var k strings.Builder
	for _, c := range e.kids {
		if c.el != nil {
			fmt.Fprintf(&k, "%d 0 R ", c.el.id)
			d.writeElem(w, c.el, e.id)
			continue
		}
		fmt.Fprintf(&k, "<< /Type /MCR /Pg %d 0 R /MCID %d >> ", c.page.id, c.mcid)
	}
	attrs := ""
	if e.scope != "" {
		attrs = " /A << /O /Table /Scope /" + e.scope + " >>"
	}
	lang := ""
	if e.parent == nil {
		lang = " /Lang " + pdfString(d.meta.Lang)
	}
	w.set(e.id, "<< /Type /StructElem /S /%s /P %d 0 R /K [%s]%s%s >>", e.typ, parent, k.String(), attrs, lang)
}

// writeFont writes u as a Type0 font over a CIDFontType2 (glyph indices as CIDs) with the
// widths and the ToUnicode map of the glyphs used; it returns the Type0 font's number.
func (d *Document) writeFont(w *writer, u *usedFont) int {
	fi := u.info
	t0, cid, desc, file, tu := w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc()
	gids := make([]int, 0, len(u.byIndex))
	for gi := range u.byIndex {
		gids = append(gids, int(gi))
	}
	slices.Sort(gids)
	var ws strings.Builder
	for _, gi := range gids {
		fmt.Fprintf(&ws, "%d [%d] ", gi, int(u.byIndex[uint16(gi)].width+0.5))
	}
	ttf, name := fi.ttf, fi.name
	keep := make(map[uint16]bool, len(gids))
	for gi := range u.byIndex {
		keep[gi] = true
	}
	if sub, err := subset(fi.ttf, keep); err == nil {
		ttf, name = sub, subsetTag(gids)+"+"+fi.name
	}
	w.set(t0, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, cid, tu)
	w.set(cid, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity >>",
		name, desc, ws.String())
	flags, angle, stem := 32, 0, 80
	if fi.italic {
		flags, angle = 32+64, -10
	}
	if u.idx == bold {
		stem = 140
	}
	w.set(desc, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %d /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
		name, flags, int(fi.bbox[0]), int(fi.bbox[1]), int(fi.bbox[2]), int(fi.bbox[3]), angle, int(fi.ascent), int(fi.descent), int(fi.capHeight), stem, file)
	w.stream(file, "/Length1 "+strconv.Itoa(len(ttf)), ttf, false)

	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
		for _, gi := range chunk {
			fmt.Fprintf(&cm, "<%04X> <", gi)
			for _, c := range utf16.Encode([]rune(u.byIndex[uint16(gi)].text)) {
				fmt.Fprintf(&cm, "%04X", c)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	w.stream(tu, "", []byte(cm.String()), false)
	return t0
}

// subsetTag is the six capital letters that name a font subset, from the glyphs it holds.
func subsetTag(gids []int) string {
	h := md5.New()
	for _, g := range gids {
		fmt.Fprintf(h, "%d,", g)
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// pdfString is s as a PDF text string: literal when plain ASCII, else UTF-16BE with a BOM.
func pdfString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
		return "(" + r.Replace(s) + ")"
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, c := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", c)
	}
	b.WriteString(">")
	return b.String()
}
