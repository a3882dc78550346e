package taggedpdf

import (
	"bytes"
	"fmt"
	"strings"
)

// elem is an element of the structure tree; its kids are elements or marked content.
type elem struct {
	typ    string
	parent *elem
	kids   []kid
	scope  string // TH: Column or Row
	id     int    // object number, when written
}

// kid is a child element, or (el nil) the marked content mcid of page.
type kid struct {
	el   *elem
	page *page
	mcid int
}

func (e *elem) add(typ string) *elem {
	c := &elem{typ: typ, parent: e}
	e.kids = append(e.kids, kid{el: c})
	return c
}

// page is a laid-out page: its content stream and, by MCID, the element each marked content
// belongs to (the page's entry of the parent tree).
type page struct {
	content bytes.Buffer
	owners  []*elem
	index   int
	id      int
}

// begin opens marked content owned by e and returns its MCID.
func (p *page) begin(e *elem) int {
	mcid := len(p.owners)
	p.owners = append(p.owners, e)
	e.kids = append(e.kids, kid{page: p, mcid: mcid})
	fmt.Fprintf(&p.content, "/%s <</MCID %d>> BDC\n", e.typ, mcid)
	return mcid
}

func (p *page) end(int) { p.content.WriteString("EMC\n") }

// artifact draws ops outside the logical content (rules, fills, running header/footer).
func (p *page) artifact(ops string) {
	fmt.Fprintf(&p.content, "/Artifact BMC\nq %s Q\nEMC\n", ops)
}

// text shows one line of s at (x, y) in font u.
func (p *page) text(u *usedFont, size, x, y float64, s string, gray bool) {
	gs := u.shape(s)
	if len(gs) == 0 {
		return
	}
	u.use(gs)
	var hex strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&hex, "%04X", g.index)
	}
	color := "0 g"
	if gray {
		color = "0.35 g"
	}
	fmt.Fprintf(&p.content, "BT %s /F%d %.2f Tf 1 0 0 1 %.2f %.2f Tm <%s> Tj ET\n", color, u.face(), size, x, y, hex.String())
}
