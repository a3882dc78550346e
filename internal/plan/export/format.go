package export

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/plan"
)

// The labels of the evaluation sheet ("esiti"), verbatim from the plans' 2018-2020 sheets,
// without the triennium the seed writes after the last two (the plan's years vary).
const (
	labelAchievement   = "GRADO DI RAGGIUNGIMENTO DELL'OBIETTIVO RISPETTO A CIÒ CHE È STATO DEFINITO NELLA PROGRAMMAZIONE"
	labelUsers         = "VALUTAZIONE DA PARTE DEGLI UTENTI (OVE PERTINENTE)"
	labelResourceMatch = "LIVELLO DI COINCIDENZA TRA RISORSE STANZIATE E RISORSE IMPEGNATE/LIQUIDATE"
	labelIssues        = "CRITICITÀ RILEVATE"
	labelNeedMet       = "QUESTO OBIETTIVO HA ADEGUATAMENTE RISPOSTO AD UN BISOGNO PRODUCENDO UN CAMBIAMENTO POSITIVO NELL'AREA INDIVIDUATA COME PROBLEMATICA?"
	labelContinuity    = "L'OBIETTIVO ERA IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE?"
	labelProposedAgain = "L'OBIETTIVO VERRÀ RIPROPOSTO NELLA PROSSIMA PROGRAMMAZIONE?"
)

// evaluationLabels are the seven rows of an evaluation sheet, in the sheets' order.
var evaluationLabels = [7]string{
	labelAchievement, labelUsers, labelResourceMatch, labelIssues,
	labelNeedMet, labelContinuity, labelProposedAgain,
}

// Texts shown when something has not been filled in.
const (
	notYetEvaluated = "Valutazione non ancora compilata"
	notStated       = "Non indicato"
	noIssues        = "Nessuna."
)

// evaluationValues renders the seven fields of an evaluation as the sheets write them
// ("90%", "Non pertinente", "Sì – …", "Nessuna."), in the order of evaluationLabels.
func evaluationValues(e plan.Evaluation) [7]string {
	return [7]string{
		pctOr(e.AchievementPct, notStated),
		userEvaluationText(e.UserEvaluation, e.UserEvaluationNote),
		withNote(pctOr(e.ResourceMatchPct, ""), e.ResourceMatchNote),
		issuesText(e.Issues),
		needMetText(e.NeedMet, e.NeedMetNote),
		withNote(yesNoPtr(e.ContinuityPrevious), e.ContinuityNote),
		withNote(yesNoPtr(e.ProposedAgain), e.ProposedAgainNote),
	}
}

func userEvaluationText(v, note string) string {
	head := map[string]string{
		"non_pertinente": "Non pertinente",
		"si":             "Sì",
		"non_attivata":   "Non attivata",
		"non_effettuata": "Valutazione non effettuata",
	}[v]
	if head == "" {
		head = v // an unknown code is shown as stored rather than lost
	}
	return withNote(head, note)
}

func needMetText(v, note string) string {
	head := map[string]string{
		"si":           "Sì",
		"no":           "No",
		"in_parte":     "In parte",
		"parzialmente": "Parzialmente",
	}[v]
	if head == "" {
		head = v
	}
	return withNote(head, note)
}

func issuesText(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return noIssues
	}
	return s
}

// withNote joins an answer and its note as the sheets do ("Sì – perché …"); either may be
// empty, and when both are the answer is "Non indicato".
func withNote(head, note string) string {
	note = strings.TrimSpace(note)
	switch {
	case head == "" && note == "":
		return notStated
	case head == "":
		return note
	case note == "":
		return head
	}
	return head + " – " + note
}

func pctOr(p *int, none string) string {
	if p == nil {
		return none
	}
	return strconv.Itoa(*p) + "%"
}

func yesNo(b bool) string {
	if b {
		return "Sì"
	}
	return "No"
}

func yesNoPtr(b *bool) string {
	if b == nil {
		return ""
	}
	return yesNo(*b)
}

// yesWith is "Sì – detail" when b is true and detail is given, else "Sì" or "No".
func yesWith(b bool, detail string) string {
	if !b {
		return "No"
	}
	return withNote("Sì", detail)
}

func markerText(m string) string {
	switch m {
	case plan.Innovative:
		return "Innovativo"
	case plan.Continuing:
		return "In continuità"
	}
	return m
}

func kindText(k plan.IndicatorKind) string {
	switch k {
	case plan.Process:
		return "Processo"
	case plan.Result:
		return "Risultato"
	case plan.Outcome:
		return "Outcome"
	case plan.Impact:
		return "Impatto"
	}
	return string(k)
}

// codeName is "A – Contrasto alla povertà", or whichever of the two is known.
func codeName(code, name string) string {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	switch {
	case code == "":
		return name
	case name == "":
		return code
	}
	return code + " – " + name
}

func areaText(o plan.ObjectiveDetail) string { return codeName(o.AreaCode, o.AreaName) }

func itemText(o plan.ObjectiveDetail) string {
	code := ""
	if o.ItemCode != nil {
		code = *o.ItemCode
	}
	return codeName(code, o.ItemName)
}

// objectiveNumber is the objective's position in the plan, or its place in the list when the
// position is not set.
func objectiveNumber(o plan.ObjectiveDetail, i int) int {
	if o.Position > 0 {
		return o.Position
	}
	return i + 1
}

// evaluationsByYear returns a copy of the objective's evaluations sorted by year.
func evaluationsByYear(o plan.ObjectiveDetail) []plan.Evaluation {
	ev := slices.Clone(o.Evaluations)
	slices.SortStableFunc(ev, func(a, b plan.Evaluation) int { return cmp.Compare(a.Year, b.Year) })
	return ev
}

// latestEvaluation is the evaluation of the most recent year, or nil.
func latestEvaluation(o plan.ObjectiveDetail) *plan.Evaluation {
	ev := evaluationsByYear(o)
	if len(ev) == 0 {
		return nil
	}
	return &ev[len(ev)-1]
}

// objectiveTotals adds up the objective's budget lines. They are recomputed from the lines
// rather than read from BudgetTotal so that the totals always match the rows written.
func objectiveTotals(o plan.ObjectiveDetail) plan.BudgetTotals { return plan.Totals(o.Budget) }

// allLines are the budget lines of every objective.
func allLines(d plan.Dossier) []plan.BudgetLine {
	var out []plan.BudgetLine
	for _, o := range d.Objectives {
		out = append(out, o.Budget...)
	}
	return out
}

// sourceNames names a funding source by its code from the dossier's catalogue.
func sourceNames(d plan.Dossier) func(code string) string {
	names := plan.SourceNames(d.FundingSources)
	return func(code string) string {
		if n := names[code]; n != "" {
			return n
		}
		return code
	}
}

// totalsBySource groups all lines by funding source in catalogue order; sources missing from
// the catalogue follow, by code, so that the per-source totals always add up to the grand total.
func totalsBySource(d plan.Dossier, lines []plan.BudgetLine) []plan.SourceTotals {
	out := plan.TotalsBySource(lines, d.FundingSources)
	known := map[string]bool{}
	for _, s := range d.FundingSources {
		known[s.Code] = true
	}
	extra := map[string][]plan.BudgetLine{}
	for _, l := range lines {
		if !known[l.SourceCode] {
			extra[l.SourceCode] = append(extra[l.SourceCode], l)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(extra)) {
		out = append(out, plan.SourceTotals{Source: plan.FundingSource{Code: code, Name: code}, BudgetTotals: plan.Totals(extra[code])})
	}
	return out
}

// objectiveColumns are the headers of the Obiettivi sheet and of the CSV.
var objectiveColumns = []string{
	"N.",
	"Area",
	"Scheda",
	"Titolo",
	"Descrizione",
	"Innovativo/Continuità",
	"Target",
	"Integrazione sociosanitaria",
	"Trasversale",
	"Co-progettato",
	"Risorse economiche preventivate",
	"Stanziato €",
	"Impegnato €",
	"Liquidato €",
	"% impegnato su stanziato",
	"% liquidato su stanziato",
	"Grado di raggiungimento % (ultima valutazione)",
	"Riproposto",
}

// objectiveRow is one objective as the Obiettivi sheet and the CSV show it.
type objectiveRow struct {
	N                                      int
	Area, Item, Title, Description, Marker string
	Target, SocioSanitary, Transversal     string
	CoDesigned, EconomicResources          string
	Totals                                 plan.BudgetTotals
	Achievement                            *int
	ProposedAgain                          string
}

func newObjectiveRow(o plan.ObjectiveDetail, i int) objectiveRow {
	r := objectiveRow{
		N:                 objectiveNumber(o, i),
		Area:              areaText(o),
		Item:              itemText(o),
		Title:             o.Title,
		Description:       o.Description,
		Marker:            markerText(o.Marker),
		Target:            o.Target,
		SocioSanitary:     yesNo(o.SocioSanitary),
		Transversal:       yesWith(o.Transversal, o.TransversalAreas),
		CoDesigned:        yesWith(o.CoDesigned, o.CoDesignPartners),
		EconomicResources: o.EconomicResources,
		Totals:            objectiveTotals(o),
	}
	if e := latestEvaluation(o); e != nil {
		r.Achievement = e.AchievementPct
		r.ProposedAgain = yesNoPtr(e.ProposedAgain)
	}
	return r
}
