package export

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/plan"
)

// The Piano di Zona document is built once as a neutral outline of blocks (headings,
// paragraphs, tables) and then written as PDF or ODT, so that both say exactly the same.

type blockKind int

const (
	heading blockKind = iota // Level 1–3
	paragraph
	sheet // two columns: label, value (the objective's sheet, as in the plans' chapter 6)
	grid  // a table with a header row
)

type block struct {
	Kind   blockKind
	Level  int
	Text   string
	Italic bool
	Header []string
	Rows   [][]string
	// Numeric marks the grid's columns to align right (amounts).
	Numeric []bool
	// Widths are the grid's relative column widths in the PDF (equal when empty).
	Widths []float64
}

// documentTitle is the document's title, as in its metadata and first heading.
func documentTitle(d plan.Dossier) string {
	t := strings.TrimSpace(d.Plan.Title)
	if t == "" {
		t = "Piano di Zona"
	}
	return t
}

// regionLabel names the region once: "Lombardia" → "Regione Lombardia", while a name that
// already says what it is ("Regione Lombardia", "Provincia autonoma di Trento") stays as is.
func regionLabel(region string) string {
	r := strings.TrimSpace(region)
	low := strings.ToLower(r)
	if r == "" || strings.HasPrefix(low, "regione") || strings.HasPrefix(low, "provincia") {
		return r
	}
	return "Regione " + r
}

// planFacts is the line under the title: triennium, region, version.
func planFacts(d plan.Dossier) string {
	var facts []string
	if d.Plan.StartYear > 0 {
		facts = append(facts, "Triennio "+strconv.Itoa(d.Plan.StartYear)+"–"+strconv.Itoa(d.Plan.EndYear))
	}
	if r := regionLabel(d.District.Region); r != "" {
		facts = append(facts, r)
	}
	if d.Plan.Version > 0 {
		facts = append(facts, "versione "+strconv.Itoa(d.Plan.Version))
	}
	return strings.Join(facts, " · ")
}

// documentBlocks is the whole Piano di Zona: the plan's heading, every objective's sheet by
// area (with its indicators and budget), the budget by funding source and year, and the
// participation record.
func documentBlocks(d plan.Dossier) []block {
	out := []block{{Kind: heading, Level: 1, Text: documentTitle(d)}}
	if d.District.Name != "" {
		out = append(out, block{Kind: paragraph, Text: d.District.Name})
	}
	if d.District.LeadBody != "" {
		out = append(out, block{Kind: paragraph, Text: "Ente capofila: " + d.District.LeadBody})
	}
	if f := planFacts(d); f != "" {
		out = append(out, block{Kind: paragraph, Text: f})
	}
	years := ""
	if d.Plan.StartYear > 0 {
		years = " " + strconv.Itoa(d.Plan.StartYear) + "-" + strconv.Itoa(d.Plan.EndYear)
	}
	out = append(out, block{Kind: heading, Level: 1, Text: "Gli obiettivi della programmazione" + years})
	if len(d.Objectives) == 0 {
		out = append(out, block{Kind: paragraph, Text: "Il piano non ha ancora obiettivi.", Italic: true})
	}
	for _, area := range groupByArea(d.Objectives) {
		out = append(out, block{Kind: heading, Level: 2, Text: areaTitle(area.objectives[0])})
		for _, o := range area.objectives {
			out = append(out, objectiveBlocks(d, o)...)
		}
	}
	out = append(out, budgetBlocks(d)...)
	return append(out, participationBlocks(d)...)
}

// areaTitle is "Area Contrasto alla povertà…", as chapter 6 heads each group.
func areaTitle(o plan.ObjectiveDetail) string {
	name := strings.TrimSpace(o.AreaName)
	if name == "" {
		name = strings.TrimSpace(o.AreaCode)
	}
	if name == "" {
		return "Area non indicata"
	}
	if strings.HasPrefix(strings.ToLower(name), "area ") {
		return name
	}
	return "Area " + name
}

// objectiveBlocks is one objective's sheet: title, description, marker, the labelled table
// of chapter 6, then its indicators and budget lines.
func objectiveBlocks(d plan.Dossier, o plan.ObjectiveDetail) []block {
	out := []block{{Kind: heading, Level: 3, Text: strings.ToUpper(strings.TrimSpace(o.Title))}}
	if s := strings.TrimSpace(o.Description); s != "" {
		out = append(out, block{Kind: paragraph, Text: "Descrizione obiettivo: " + s})
	}
	switch o.Marker {
	case plan.Innovative:
		out = append(out, block{Kind: paragraph, Text: "Obiettivo innovativo.", Italic: true})
	case plan.Continuing:
		out = append(out, block{Kind: paragraph, Text: "Obiettivo in continuità.", Italic: true})
	}
	prev := "precedente"
	if d.Plan.StartYear > 0 {
		prev = "precedente (" + strconv.Itoa(d.Plan.StartYear-3) + "-" + strconv.Itoa(d.Plan.StartYear-1) + ")"
	}
	rows := [][]string{
		{"Target", o.Target},
		{"Risorse economiche preventivate", o.EconomicResources},
		{"Risorse di personale dedicate", o.StaffResources},
		{"L'obiettivo è trasversale ed integrato con altre aree di policy?", yesWith(o.Transversal, o.TransversalAreas)},
		{"Presenta aspetti di integrazione sociosanitaria?", yesNo(o.SocioSanitary)},
		{"È in continuità con la programmazione " + prev + "?", yesNo(o.ContinuityPrevious)},
		{"L'intervento è co-progettato con altri attori della rete?", yesWith(o.CoDesigned, o.CoDesignPartners)},
		{"Questo intervento a quale/i bisogno/i risponde?", o.Needs},
		{"Quali modalità organizzative, operative e di erogazione sono adottate? (indicatori di processo)", o.ProcessModalities},
		{"Quali risultati vuole raggiungere?", o.ExpectedResults},
		{"Quale impatto ha avuto l'intervento?", o.Impact},
		{"Tempi", o.Timing},
	}
	kept := rows[:0]
	for _, r := range rows {
		if strings.TrimSpace(r[1]) != "" {
			kept = append(kept, r)
		}
	}
	out = append(out, block{Kind: sheet, Rows: kept})
	out = append(out, indicatorBlocks(o.Indicators)...)
	if len(o.Budget) > 0 {
		name := sourceNames(d)
		g := block{Kind: grid, Header: []string{"Anno", "Fonte", "Stanziato", "Impegnato", "Liquidato"}, Numeric: []bool{false, false, true, true, true}}
		for _, l := range o.Budget {
			g.Rows = append(g.Rows, []string{strconv.Itoa(l.Year), name(l.SourceCode), euro(l.StanziatoCents), euro(l.ImpegnatoCents), euro(l.LiquidatoCents)})
		}
		t := plan.Totals(o.Budget)
		g.Rows = append(g.Rows, []string{"Totale", "", euro(t.StanziatoCents), euro(t.ImpegnatoCents), euro(t.LiquidatoCents)})
		out = append(out, block{Kind: paragraph, Text: "Budget"}, g)
	}
	return out
}

// budgetBlocks is the plan's budget (stanziato) by funding source and year, with totals.
func budgetBlocks(d plan.Dossier) []block {
	lines := allLines(d)
	out := []block{{Kind: heading, Level: 1, Text: "Le risorse: budget per fonte e anno"}}
	if len(lines) == 0 {
		return append(out, block{Kind: paragraph, Text: "Nessuna riga di budget.", Italic: true})
	}
	var years []int
	for _, l := range lines {
		if !slices.Contains(years, l.Year) {
			years = append(years, l.Year)
		}
	}
	slices.Sort(years)
	g := block{Kind: grid, Header: []string{"Fonte"}, Numeric: []bool{false}}
	for _, y := range years {
		g.Header = append(g.Header, strconv.Itoa(y))
		g.Numeric = append(g.Numeric, true)
	}
	g.Header, g.Numeric = append(g.Header, "Totale"), append(g.Numeric, true)
	byYear := make([]int64, len(years))
	var grand int64
	for _, st := range totalsBySource(d, lines) {
		row := []string{st.Source.Name}
		for i, y := range years {
			var c int64
			for _, l := range lines {
				if l.Year == y && l.SourceCode == st.Source.Code {
					c += l.StanziatoCents
				}
			}
			byYear[i] += c
			row = append(row, euro(c))
		}
		grand += st.StanziatoCents
		g.Rows = append(g.Rows, append(row, euro(st.StanziatoCents)))
	}
	total := []string{"Totale"}
	for _, c := range byYear {
		total = append(total, euro(c))
	}
	g.Rows = append(g.Rows, append(total, euro(grand)))
	t := plan.Totals(lines)
	return append(out,
		block{Kind: paragraph, Text: "Importi stanziati, in euro."}, g,
		block{Kind: paragraph, Text: "Totale stanziato " + euro(t.StanziatoCents) + ", impegnato " + euro(t.ImpegnatoCents) + ", liquidato " + euro(t.LiquidatoCents) + "."})
}

// participantLabels name the types of participant as the plans do.
var participantLabels = map[string]string{
	"enti_pubblici": "Enti pubblici", "terzo_settore": "Terzo settore", "sindacati": "Sindacati",
	"cittadini": "Cittadini", "sanita": "Sanità", "scuole": "Scuole", "altri": "Altri",
}

// participationBlocks is the record of the participatory process.
func participationBlocks(d plan.Dossier) []block {
	ps := d.Participation
	out := []block{{Kind: heading, Level: 1, Text: "Il percorso di partecipazione"}}
	if ps.Meetings == 0 {
		return append(out, block{Kind: paragraph, Text: "Nessun incontro registrato.", Italic: true})
	}
	out = append(out, block{Kind: paragraph, Text: strconv.Itoa(ps.Meetings) + " incontri, " + strconv.Itoa(ps.Participants) + " partecipanti."})
	g := block{Kind: grid, Header: []string{"Tipo di partecipante", "Partecipanti"}, Numeric: []bool{false, true}}
	for _, t := range plan.ParticipantTypes {
		if n, ok := ps.ByType[t]; ok {
			g.Rows = append(g.Rows, []string{participantLabels[t], strconv.Itoa(n)})
		}
	}
	if len(g.Rows) > 0 {
		out = append(out, g)
	}
	return out
}

// euro is an amount in cents as Italians write it: "1.234,56 €".
func euro(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole, frac := strconv.FormatInt(cents/100, 10), cents%100
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	s := b.String() + "," + strconv.FormatInt(100+frac, 10)[1:] + " €"
	if neg {
		s = "-" + s
	}
	return s
}

// number is a decimal as Italians write it ("75,5"), or "" when absent.
func number(v *float64) string {
	if v == nil {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",", 1)
}
