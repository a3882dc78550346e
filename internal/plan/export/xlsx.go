package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ambiti/ambiti/internal/money"
	"github.com/ambiti/ambiti/internal/plan"
)

// The sheets of the workbook.
const (
	sheetObjectives  = "Obiettivi"
	sheetIndicators  = "Indicatori"
	sheetBudget      = "Budget"
	sheetEvaluations = "Valutazione"
)

// Number formats. Amounts are euros with two decimals; computed ratios are percentages with
// one decimal stored as numbers (34.0, not 0.34); the whole percentages typed into the
// evaluation sheets are shown with their sign ("90%") while staying numeric.
const (
	fmtEuro     = `#,##0.00 "€"`
	fmtRatio    = `0.0`
	fmtWholePct = `0"%"`
)

// XLSX writes the dossier as a workbook a district can file: sheets "Obiettivi",
// "Indicatori", "Serie" (every measurement), "Budget" and "Valutazione", each with a frozen, filterable header row.
// Amounts are numeric cells in euros, ratios numeric percentages with one decimal.
func XLSX(w io.Writer, d plan.Dossier) error {
	f := excelize.NewFile()
	defer f.Close()

	x, err := newWorkbook(f)
	if err != nil {
		return fmt.Errorf("export: unable to prepare the workbook: %w", err)
	}
	steps := []struct {
		sheet string
		write func(*workbook, plan.Dossier) error
	}{
		{sheetObjectives, writeObjectivesSheet},
		{sheetIndicators, writeIndicatorsSheet},
		{sheetSeries, writeSeriesSheet},
		{sheetBudget, writeBudgetSheet},
		{sheetEvaluations, writeEvaluationsSheet},
	}
	for i, s := range steps {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), s.sheet)
		} else {
			_, err = f.NewSheet(s.sheet)
		}
		if err == nil {
			err = s.write(x, d)
		}
		if err != nil {
			return fmt.Errorf("export: unable to write sheet %s: %w", s.sheet, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       "Piano di Zona – " + d.Plan.Title,
		Subject:     "Obiettivi, indicatori, budget e valutazione",
		Creator:     "Ambiti",
		Description: strings.TrimSpace(d.District.Name + " – " + d.District.LeadBody),
		Language:    "it-IT",
	}); err != nil {
		return fmt.Errorf("export: unable to set the workbook properties: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: unable to write the workbook: %w", err)
	}
	return nil
}

// workbook holds the file and its styles.
type workbook struct {
	f                               *excelize.File
	header, bold, boldEuro, boldPct int
	euro, ratio, wholePct           int
}

func newWorkbook(f *excelize.File) (*workbook, error) {
	x := &workbook{f: f}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE7F2"}}
	euro, ratio, wholePct := fmtEuro, fmtRatio, fmtWholePct
	styles := []struct {
		id    *int
		style excelize.Style
	}{
		{&x.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      fill,
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		}},
		{&x.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&x.boldEuro, excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &euro}},
		{&x.boldPct, excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &ratio}},
		{&x.euro, excelize.Style{CustomNumFmt: &euro}},
		{&x.ratio, excelize.Style{CustomNumFmt: &ratio}},
		{&x.wholePct, excelize.Style{CustomNumFmt: &wholePct}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return nil, err
		}
		*s.id = id
	}
	return x, nil
}

// table writes a sheet row by row.
type table struct {
	x     *workbook
	sheet string
	row   int // the last row written, 1-based
}

func (x *workbook) table(sheet string, headers []string, widths []float64) (*table, error) {
	t := &table{x: x, sheet: sheet}
	if err := t.add(toAny(headers)...); err != nil {
		return nil, err
	}
	last := colName(len(headers))
	if err := x.f.SetCellStyle(sheet, "A1", last+"1", x.header); err != nil {
		return nil, err
	}
	if err := x.f.SetRowHeight(sheet, 1, 45); err != nil {
		return nil, err
	}
	for i, w := range widths {
		c := colName(i + 1)
		if err := x.f.SetColWidth(sheet, c, c, w); err != nil {
			return nil, err
		}
	}
	if err := x.f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// filter puts an autofilter on the header and the data rows written so far.
func (t *table) filter(cols int) error {
	return t.x.f.AutoFilter(t.sheet, fmt.Sprintf("A1:%s%d", colName(cols), max(t.row, 2)), nil)
}

func (t *table) add(values ...any) error {
	t.row++
	return t.x.f.SetSheetRow(t.sheet, fmt.Sprintf("A%d", t.row), &values)
}

// style applies a style to columns from..to (1-based) of rows first..last.
func (t *table) style(first, last, from, to, style int) error {
	if last < first {
		return nil
	}
	return t.x.f.SetCellStyle(t.sheet, fmt.Sprintf("%s%d", colName(from), first), fmt.Sprintf("%s%d", colName(to), last), style)
}

func colName(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// num turns an optional number into a cell value: the number, or an empty cell.
func num[T int | float64](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func writeObjectivesSheet(x *workbook, d plan.Dossier) error {
	t, err := x.table(sheetObjectives, objectiveColumns,
		[]float64{5, 30, 22, 40, 60, 14, 28, 14, 24, 28, 36, 16, 16, 16, 12, 12, 14, 11})
	if err != nil {
		return err
	}
	for i, o := range d.Objectives {
		r := newObjectiveRow(o, i)
		if err := t.add(r.N, r.Area, r.Item, r.Title, r.Description, r.Marker, r.Target,
			r.SocioSanitary, r.Transversal, r.CoDesigned, r.EconomicResources,
			money.Euros(r.Totals.StanziatoCents), money.Euros(r.Totals.ImpegnatoCents), money.Euros(r.Totals.LiquidatoCents),
			num(r.Totals.ImpegnatoPct), num(r.Totals.LiquidatoPct),
			num(r.Achievement), r.ProposedAgain); err != nil {
			return err
		}
	}
	for _, err := range []error{
		t.style(2, t.row, 12, 14, x.euro),
		t.style(2, t.row, 15, 16, x.ratio),
		t.style(2, t.row, 17, 17, x.wholePct),
		t.filter(len(objectiveColumns)),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

var indicatorColumns = []string{
	"N.", "Obiettivo", "Tipo", "Indicatore", "Unità", "Baseline", "Nota baseline", "Target",
	"Ultimo valore", "Periodo", "Avanzamento %",
}

func writeIndicatorsSheet(x *workbook, d plan.Dossier) error {
	t, err := x.table(sheetIndicators, indicatorColumns, []float64{5, 40, 12, 50, 10, 12, 30, 12, 14, 12, 14})
	if err != nil {
		return err
	}
	for i, o := range d.Objectives {
		for _, ind := range o.Indicators {
			var value any
			period := ""
			if ind.Latest != nil {
				value, period = ind.Latest.Value, ind.Latest.Period
			}
			if err := t.add(objectiveNumber(o, i), o.Title, kindText(ind.Kind), ind.Name, ind.Unit,
				num(ind.Baseline), ind.BaselineNote, num(ind.Target), value, period, num(ind.Progress)); err != nil {
				return err
			}
		}
	}
	if err := t.style(2, t.row, 11, 11, x.ratio); err != nil {
		return err
	}
	return t.filter(len(indicatorColumns))
}

var budgetColumns = []string{
	"N.", "Obiettivo", "Anno", "Fonte di finanziamento", "Stanziato €", "Impegnato €", "Liquidato €",
	"% impegnato su stanziato", "% liquidato su stanziato", "% liquidato su impegnato", "Note",
}

func writeBudgetSheet(x *workbook, d plan.Dossier) error {
	t, err := x.table(sheetBudget, budgetColumns, []float64{5, 40, 8, 34, 16, 16, 16, 12, 12, 12, 30})
	if err != nil {
		return err
	}
	name := sourceNames(d)
	for i, o := range d.Objectives {
		for _, l := range o.Budget {
			if err := t.add(objectiveNumber(o, i), o.Title, l.Year, name(l.SourceCode),
				money.Euros(l.StanziatoCents), money.Euros(l.ImpegnatoCents), money.Euros(l.LiquidatoCents),
				num(plan.Percent(l.ImpegnatoCents, l.StanziatoCents)),
				num(plan.Percent(l.LiquidatoCents, l.StanziatoCents)),
				num(plan.Percent(l.LiquidatoCents, l.ImpegnatoCents)), l.Note); err != nil {
				return err
			}
		}
	}
	lastLine := t.row
	if err := t.filter(len(budgetColumns)); err != nil {
		return err
	}

	// The totals block: one row per funding source, then the grand total.
	lines := allLines(d)
	t.row++ // a blank row
	if err := t.add(nil, "Totali per fonte di finanziamento", nil, "Fonte di finanziamento",
		"Stanziato €", "Impegnato €", "Liquidato €",
		"% impegnato su stanziato", "% liquidato su stanziato", "% liquidato su impegnato"); err != nil {
		return err
	}
	if err := t.style(t.row, t.row, 1, 10, x.header); err != nil {
		return err
	}
	firstTotal := t.row + 1
	for _, s := range totalsBySource(d, lines) {
		if err := t.addTotals(s.Source.Name, s.BudgetTotals); err != nil {
			return err
		}
	}
	if err := t.addTotals("Totale generale", plan.Totals(lines)); err != nil {
		return err
	}
	for _, err := range []error{
		t.style(2, lastLine, 5, 7, x.euro),
		t.style(2, lastLine, 8, 10, x.ratio),
		t.style(firstTotal, t.row-1, 5, 7, x.euro),
		t.style(firstTotal, t.row-1, 8, 10, x.ratio),
		t.style(t.row, t.row, 4, 4, x.bold),
		t.style(t.row, t.row, 5, 7, x.boldEuro),
		t.style(t.row, t.row, 8, 10, x.boldPct),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func (t *table) addTotals(label string, b plan.BudgetTotals) error {
	return t.add(nil, nil, nil, label,
		money.Euros(b.StanziatoCents), money.Euros(b.ImpegnatoCents), money.Euros(b.LiquidatoCents),
		num(b.ImpegnatoPct), num(b.LiquidatoPct), num(b.LiquidatoSuImpegnato))
}

// evaluationColumns: the seven labels of the esiti sheet, with the note on the resources next
// to their percentage so that the percentage stays a number.
var evaluationColumns = []string{
	"N.", "Obiettivo", "Anno",
	labelAchievement, labelUsers, labelResourceMatch, "Note sulla coincidenza delle risorse",
	labelIssues, labelNeedMet, labelContinuity, labelProposedAgain,
}

func writeEvaluationsSheet(x *workbook, d plan.Dossier) error {
	t, err := x.table(sheetEvaluations, evaluationColumns, []float64{5, 40, 8, 22, 30, 22, 30, 45, 40, 30, 40})
	if err != nil {
		return err
	}
	if err := x.f.SetRowHeight(sheetEvaluations, 1, 90); err != nil {
		return err
	}
	for i, o := range d.Objectives {
		n := objectiveNumber(o, i)
		ev := evaluationsByYear(o)
		if len(ev) == 0 {
			if err := t.add(n, o.Title, nil, notYetEvaluated); err != nil {
				return err
			}
			continue
		}
		for _, e := range ev {
			v := evaluationValues(e)
			if err := t.add(n, o.Title, e.Year, num(e.AchievementPct), v[1], num(e.ResourceMatchPct),
				strings.TrimSpace(e.ResourceMatchNote), v[3], v[4], v[5], v[6]); err != nil {
				return err
			}
		}
	}
	if err := t.style(2, t.row, 4, 4, x.wholePct); err != nil {
		return err
	}
	if err := t.style(2, t.row, 6, 6, x.wholePct); err != nil {
		return err
	}
	return t.filter(len(evaluationColumns))
}
