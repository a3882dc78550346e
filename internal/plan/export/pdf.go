package export

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ambiti/ambiti/internal/plan"
)

// descriptionMax is how many runes of the objective's description are shown above its sheet.
const descriptionMax = 400

// EsitiPDF writes the "Esiti della programmazione" report (A4 portrait, tagged PDF): a
// heading with the plan, the district and its lead body, then by area ("AREA …") one
// evaluation sheet per objective and year, laid out like the plans' own sheets: title,
// objective, and a two-column table of the seven labelled rows; then the objective's
// indicators with their direction and series. Objectives not yet evaluated say so. Pages are
// numbered "Pagina n di N" in the footer.
func EsitiPDF(w io.Writer, d plan.Dossier) error {
	title := "Esiti della programmazione — " + strings.TrimSpace(d.Plan.Title)
	return renderPDF(w, pdfMeta(d, title, "Esiti della programmazione zonale"), esitiBlocks(d, title))
}

// esitiBlocks is the esiti report as an outline of blocks.
func esitiBlocks(d plan.Dossier, title string) []block {
	out := []block{{Kind: heading, Level: 1, Text: title}}
	if d.District.Name != "" {
		out = append(out, block{Kind: paragraph, Text: d.District.Name})
	}
	if d.District.LeadBody != "" {
		out = append(out, block{Kind: paragraph, Text: "Ente capofila: " + d.District.LeadBody})
	}
	if f := planFacts(d); f != "" {
		out = append(out, block{Kind: paragraph, Text: f})
	}
	if len(d.Objectives) == 0 {
		out = append(out, block{Kind: paragraph, Text: "Il piano non ha ancora obiettivi.", Italic: true})
	}
	for _, area := range groupByArea(d.Objectives) {
		out = append(out, block{Kind: heading, Level: 2, Text: areaHeading(area.objectives[0])})
		for _, o := range area.objectives {
			out = append(out, esitiObjective(o)...)
		}
	}
	return out
}

// esitiObjective is an objective's sheets, one per evaluation year (or a line saying it has
// none), then its indicators.
func esitiObjective(o plan.ObjectiveDetail) []block {
	var out []block
	evs := evaluationsByYear(o)
	if len(evs) == 0 {
		out = append(out, esitiIntro(o, "")...)
		out = append(out, block{Kind: paragraph, Text: notYetEvaluated, Italic: true})
	}
	for _, e := range evs {
		out = append(out, esitiIntro(o, "Anno "+strconv.Itoa(e.Year))...)
		values := evaluationValues(e)
		s := block{Kind: sheet}
		for i, label := range evaluationLabels {
			s.Rows = append(s.Rows, []string{label, values[i]})
		}
		out = append(out, s)
	}
	return append(out, indicatorBlocks(o.Indicators)...)
}

// esitiIntro is the objective's title, the year of the sheet and the objective itself.
func esitiIntro(o plan.ObjectiveDetail, year string) []block {
	out := []block{{Kind: heading, Level: 3, Text: o.Title}}
	if year != "" {
		out = append(out, block{Kind: paragraph, Text: year})
	}
	if desc := excerpt(o.Description, descriptionMax); desc != "" {
		out = append(out, block{Kind: paragraph, Text: desc, Italic: true})
	}
	return out
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
