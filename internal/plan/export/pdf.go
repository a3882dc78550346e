package export

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/ambiti/ambiti/internal/plan"
)

// Layout of the esiti report, in millimetres and points.
const (
	pdfMargin      = 18.0
	descriptionMax = 400  // runes of the objective's description shown above its sheet
	chunkMax       = 1200 // runes of a table value per row, so that no row outgrows a page
	sheetMinSpace  = 75.0 // a sheet starting lower than this goes to the next page
	labelCols      = 5    // of the 12 grid columns, for the left column of the table
)

var (
	gray     = &props.Color{Red: 90, Green: 90, Blue: 90}
	areaFill = &props.Color{Red: 221, Green: 231, Blue: 242}
)

// EsitiPDF writes the "Esiti della programmazione" report (A4 portrait): a heading with the
// plan, the district and its lead body, then by area ("AREA …") one evaluation sheet per
// objective and year, laid out like the plans' own sheets: title, objective, and a bordered
// two-column table of the seven labelled rows. Objectives not yet evaluated say so. Pages are
// numbered "Pagina N di M" in the footer.
func EsitiPDF(w io.Writer, d plan.Dossier) error {
	title := "Esiti della programmazione — " + strings.TrimSpace(d.Plan.Title)
	cfg := pdfConfig(title, d.District.Name, "Esiti della programmazione zonale")
	m := maroto.New(cfg)

	addHeading(m, d, title)
	for _, area := range groupByArea(d.Objectives) {
		keepSpace(m, sheetMinSpace+12)
		m.AddRows(row.New(2))
		m.AddRows(text.NewAutoRow(pdfText(areaHeading(area.objectives[0])), props.Text{
			Size: 11.5, Style: fontstyle.Bold, Top: 2, Bottom: 2, Left: 2,
		}).WithStyle(&props.Cell{BackgroundColor: areaFill}))
		for _, o := range area.objectives {
			addObjective(m, o)
		}
	}
	if len(d.Objectives) == 0 {
		m.AddRows(text.NewAutoRow("Il piano non ha ancora obiettivi.", props.Text{Style: fontstyle.Italic, Top: 4}))
	}

	return writePDF(w, m)
}

// addHeading writes the report's title block.
func addHeading(m core.Maroto, d plan.Dossier, title string) {
	m.AddRows(text.NewAutoRow(pdfText(title), props.Text{Size: 16, Style: fontstyle.Bold, Bottom: 2}))
	if d.District.Name != "" {
		m.AddRows(text.NewAutoRow(pdfText(d.District.Name), props.Text{Size: 12, Style: fontstyle.Bold, Top: 1}))
	}
	if d.District.LeadBody != "" {
		m.AddRows(text.NewAutoRow(pdfText("Ente capofila: "+d.District.LeadBody), props.Text{Size: 10, Top: 1}))
	}
	var facts []string
	if d.Plan.StartYear > 0 {
		facts = append(facts, "Triennio "+strconv.Itoa(d.Plan.StartYear)+"–"+strconv.Itoa(d.Plan.EndYear))
	}
	if r := regionLabel(d.District.Region); r != "" {
		facts = append(facts, r) // not "Regione Regione Lombardia"
	}
	if d.Plan.Version > 0 {
		facts = append(facts, "versione "+strconv.Itoa(d.Plan.Version))
	}
	if len(facts) > 0 {
		m.AddRows(text.NewAutoRow(pdfText(strings.Join(facts, " · ")), props.Text{Size: 9, Color: gray, Top: 1}))
	}
	m.AddRows(line.NewRow(6, props.Line{Thickness: 0.4, OffsetPercent: 60}))
}

// addObjective writes an objective's sheets, one per evaluation year, or says it has none.
func addObjective(m core.Maroto, o plan.ObjectiveDetail) {
	evs := evaluationsByYear(o)
	if len(evs) == 0 {
		keepSpace(m, 35)
		addIntro(m, o, "")
		m.AddRows(text.NewAutoRow(notYetEvaluated, props.Text{Style: fontstyle.BoldItalic, Color: gray, Top: 1, Bottom: 2}))
		return
	}
	for _, e := range evs {
		keepSpace(m, sheetMinSpace)
		addIntro(m, o, "Anno "+strconv.Itoa(e.Year))
		values := evaluationValues(e)
		for i, label := range evaluationLabels {
			m.AddRows(fieldRows(label, values[i])...)
		}
	}
}

// addIntro writes the objective's title, the year of the sheet and the objective itself.
func addIntro(m core.Maroto, o plan.ObjectiveDetail, year string) {
	m.AddRows(row.New(4))
	m.AddRows(text.NewAutoRow(pdfText(o.Title), props.Text{Size: 11, Style: fontstyle.Bold, Bottom: 1}))
	if year != "" {
		m.AddRows(text.NewAutoRow(year, props.Text{Size: 8.5, Style: fontstyle.Bold, Color: gray, Bottom: 1}))
	}
	if desc := excerpt(o.Description, descriptionMax); desc != "" {
		m.AddRows(text.NewAutoRow(pdfText(desc), props.Text{Size: 9.5, Style: fontstyle.Italic, Bottom: 2.5}))
	} else {
		m.AddRows(row.New(1.5))
	}
}

// fieldRows is one labelled row of the table. A long or multi-paragraph value takes several
// PDF rows drawn as one cell (borders only outside), so that a page break can fall inside it
// and no row ever outgrows a page.
func fieldRows(label, value string) []core.Row {
	segments := segmentsOf(value)
	rows := make([]core.Row, 0, len(segments))
	for i, seg := range segments {
		first, last := i == 0, i == len(segments)-1
		sides := border.Left | border.Right
		top, bottom := 0.6, 0.0
		if first {
			sides |= border.Top
			top = 1.8
		}
		if last {
			sides |= border.Bottom
			bottom = 1.8
		}
		cell := &props.Cell{BorderType: sides, BorderThickness: 0.25}
		lbl := ""
		if first {
			lbl = pdfText(label)
		}
		rows = append(rows, row.New().Add(
			col.New(labelCols).Add(text.New(lbl, props.Text{Size: 7.5, Style: fontstyle.Bold, Left: 2, Right: 2, Top: top, Bottom: bottom})).WithStyle(cell),
			col.New(12-labelCols).Add(text.New(pdfText(seg), props.Text{Size: 9, Left: 2, Right: 2, Top: top, Bottom: bottom})).WithStyle(cell),
		))
	}
	return rows
}

// keepSpace starts a new page unless at least height millimetres are left on this one, so
// that a heading is not left alone at the foot of a page.
func keepSpace(m core.Maroto, height float64) {
	if !m.FitlnCurrentPage(height) {
		m.AddPages(page.New())
	}
}

type areaGroup struct {
	code       string
	objectives []plan.ObjectiveDetail
}

// groupByArea groups objectives by area, areas in order of their first objective.
func groupByArea(objs []plan.ObjectiveDetail) []areaGroup {
	var out []areaGroup
	at := map[string]int{}
	for _, o := range objs {
		key := o.AreaCode + "\x00" + o.AreaName
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, areaGroup{code: o.AreaCode})
		}
		out[i].objectives = append(out[i].objectives, o)
	}
	return out
}

// areaHeading is "AREA <NAME>", as the sheets head each group.
func areaHeading(o plan.ObjectiveDetail) string {
	name := strings.TrimSpace(o.AreaName)
	if name == "" {
		name = strings.TrimSpace(o.AreaCode)
	}
	if name == "" {
		return "AREA NON INDICATA"
	}
	up := strings.ToUpper(name)
	if strings.HasPrefix(up, "AREA ") {
		return up
	}
	return "AREA " + up
}

// segmentsOf splits a value into paragraphs of at most chunkMax runes, cut between
// sentences or at least between words.
func segmentsOf(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		p = strings.Join(strings.Fields(p), " ")
		for utf8.RuneCountInString(p) > chunkMax {
			head := excerptWords(p, chunkMax)
			if dot := strings.LastIndex(head, ". "); dot > len(head)/2 {
				head = head[:dot+1] // rather between sentences
			}
			out = append(out, head)
			p = strings.TrimSpace(p[len(head):])
		}
		if p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// excerpt is s on one line, cut to at most n runes (between words when possible) with "…".
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimRight(excerptWords(s, n-1), " ,;:.") + "…"
}

// excerptWords is the longest prefix of s of at most n runes that ends between words (or
// exactly n runes when the first word alone is longer).
func excerptWords(s string, n int) string {
	end, count := len(s), 0
	for i := range s {
		if count == n {
			end = i
			break
		}
		count++
	}
	head := s[:end]
	if end < len(s) && s[end] != ' ' {
		if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
			head = head[:sp]
		}
	}
	return head
}

// cp1252Fold replaces common runes the PDF core fonts cannot show with a close equivalent.
var cp1252Fold = map[rune]string{
	'➢': "»", '➤': "»", '►': "»", '▶': "»", '→': "->", '⇒': "=>",
	'≥': ">=", '≤': "<=", '≠': "!=", '−': "-", '‐': "-", '‑': "-", '‒': "-", '―': "—",
	'\u2009': " ", '\u202f': " ", '\u2007': " ", '\u200b': "", '\ufeff': "",
	'′': "'", '″': "\"", '‛': "'", '⁄': "/", '✓': "v", '✔': "v",
}

// pdfText makes s printable with the core fonts, whose text maroto translates to cp1252 (the
// Italian letters, ’ “ ” – — … and € are all there). Other runes are folded to a close form
// (➢ → », ≥ → >=, ă → a) or "?", instead of the "." the translator would print.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			if r < 0x20 || r == 0x7f { // tabs, line ends and other controls
				r = ' '
			}
			b.WriteRune(r)
			continue
		}
		if _, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteRune(r)
			continue
		}
		if f, ok := cp1252Fold[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteString(foldRune(r))
	}
	return b.String()
}

// foldRune drops the diacritics of r when its base letter is printable, else gives "?".
func foldRune(r rune) string {
	var out []rune
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if _, ok := charmap.Windows1252.EncodeRune(d); !ok && d >= 0x80 {
			return "?"
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}
