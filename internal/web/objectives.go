package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/route"
)

// objectiveTexts are the objective sheet's text fields, by the name the form sends.
func objectiveTexts(o *plan.Objective) map[string]*string {
	return map[string]*string{"title": &o.Title, "description": &o.Description, "area_code": &o.AreaCode, "marker": &o.Marker,
		"target": &o.Target, "economic_resources": &o.EconomicResources, "staff_resources": &o.StaffResources,
		"transversal_areas": &o.TransversalAreas, "co_design_partners": &o.CoDesignPartners, "needs": &o.Needs,
		"process_modalities": &o.ProcessModalities, "expected_results": &o.ExpectedResults, "impact": &o.Impact, "timing": &o.Timing}
}

// objectiveFlags are the objective sheet's yes/no fields, by the name the form sends.
func objectiveFlags(o *plan.Objective) map[string]*bool {
	return map[string]*bool{"transversal": &o.Transversal, "socio_sanitary": &o.SocioSanitary,
		"continuity_previous": &o.ContinuityPrevious, "co_designed": &o.CoDesigned, "premialita": &o.Premialita}
}

// objectiveValues are an objective's fields as form values.
func objectiveValues(o plan.Objective) url.Values {
	v := url.Values{}
	for k, p := range objectiveTexts(&o) {
		v.Set(k, *p)
	}
	for k, p := range objectiveFlags(&o) {
		if *p {
			v.Set(k, "1")
		}
	}
	if o.ItemCode != nil {
		v.Set("item_code", *o.ItemCode)
	}
	if o.Position > 0 {
		v.Set("position", strconv.Itoa(o.Position))
	}
	return v
}

// objectiveEdit turns the submitted form into an edit of the objective: every field of the
// sheet (unchecked boxes are false, an empty optional entry is none); an empty position keeps
// the current one.
func objectiveEdit(v url.Values) (plan.Edit[plan.Objective], error) {
	pos, err := IntValue(v, "position", "posizione non valida: un numero intero", "invalid position: a whole number")
	if err != nil {
		return nil, err
	}
	if pos != nil && (*pos < 1 || *pos > 10000) {
		return nil, apperr.Invalidf("position", "posizione tra 1 e 10.000", "position between 1 and 10,000")
	}
	return func(o *plan.Objective) error {
		for k, p := range objectiveTexts(o) {
			*p = strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n"))
		}
		for k, p := range objectiveFlags(o) {
			*p = Truthy(v.Get(k))
		}
		o.ItemCode = nil
		if ic := strings.TrimSpace(v.Get("item_code")); ic != "" {
			o.ItemCode = &ic
		}
		if pos != nil {
			o.Position = *pos
		}
		return nil
	}, nil
}

// objectiveForm is the data of the objective form.
type objectiveForm struct {
	Plan       plan.Plan
	Objective  *plan.Objective // nil: a new one
	AreaOpts   []Option
	ItemGroups []OptGroup
	MarkerOpts []Option
	Action     string
}

func (w *Web) objectiveForm(c echo.Context, p *Page, pl plan.Plan, o *plan.Objective) (objectiveForm, error) {
	areas, err := w.Plans.Areas(c.Request().Context(), w.Actor(c))
	if err != nil {
		return objectiveForm{}, err
	}
	f := objectiveForm{Plan: pl, Objective: o, AreaOpts: []Option{{Value: "", Label: p.T("form.choose")}},
		MarkerOpts: []Option{{Value: "", Label: p.T("objective.marker.none")}, {Value: plan.Innovative, Label: p.T("objective.marker.innovativo")},
			{Value: plan.Continuing, Label: p.T("objective.marker.continuita")}}}
	for _, a := range areas {
		f.AreaOpts = append(f.AreaOpts, Option{Value: a.Code, Label: a.Code + " · " + a.Name})
		if len(a.Items) > 0 {
			g := OptGroup{Label: a.Code + " · " + a.Name}
			for _, it := range a.Items {
				g.Options = append(g.Options, Option{Value: it.Code, Label: it.Code + " · " + it.Name})
			}
			f.ItemGroups = append(f.ItemGroups, g)
		}
	}
	if o == nil {
		f.Action = fmt.Sprintf("/piani/%d/obiettivi", pl.ID)
	} else {
		f.Action = fmt.Sprintf("/obiettivi/%d", o.ID)
	}
	return f, nil
}

func (w *Web) newObjectivePage(c echo.Context) (*Page, plan.Plan, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, plan.Plan{}, err
	}
	pl, err := w.Plans.Plan(c.Request().Context(), w.Actor(c), id)
	if err != nil {
		return nil, pl, err
	}
	p := w.NewPage(c, "page.objective_new.title")
	p.Crumbs = []Crumb{{"/piani", p.T("nav.plans")}, {fmt.Sprintf("/piani/%d", pl.ID), pl.Title}}
	f, err := w.objectiveForm(c, p, pl, nil)
	if err != nil {
		return nil, pl, err
	}
	p.Data = f
	return p, pl, nil
}

func (w *Web) objectiveNew(c echo.Context) error {
	return ShowForm(w, c, "objective_form", w.newObjectivePage, nil)
}

func (w *Web) objectiveCreate(c echo.Context) error {
	return SubmitForm(w, c, "objective_form", w.newObjectivePage, func(pl plan.Plan, v url.Values) (string, string, error) {
		edit, err := objectiveEdit(v)
		if err != nil {
			return "", "", err
		}
		var o plan.Objective
		_ = edit(&o)
		o, err = w.Plans.CreateObjective(c.Request().Context(), w.Actor(c), pl.ID, o)
		return fmt.Sprintf("/obiettivi/%d", o.ID), "objective_created", err
	})
}

// objectiveContext loads an objective in full with its plan.
func (w *Web) objectiveContext(c echo.Context) (plan.ObjectiveDetail, plan.Plan, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return plan.ObjectiveDetail{}, plan.Plan{}, err
	}
	ctx := c.Request().Context()
	d, err := w.Plans.ObjectiveDetail(ctx, w.Actor(c), id)
	if err != nil {
		return d, plan.Plan{}, err
	}
	pl, err := w.planOf(ctx, w.Actor(c), d.Objective)
	return d, pl, err
}

func objectiveCrumbs(p *Page, pl plan.Plan, o *plan.Objective) []Crumb {
	cs := []Crumb{{"/piani", p.T("nav.plans")}, {fmt.Sprintf("/piani/%d", pl.ID), pl.Title}}
	if o != nil {
		cs = append(cs, Crumb{fmt.Sprintf("/obiettivi/%d", o.ID), o.Title})
	}
	return cs
}

// objectiveView is the objective page.
type objectiveView struct {
	Detail      plan.ObjectiveDetail
	Plan        plan.Plan
	Editable    bool // content may change now (draft or open amendment)
	Monitoring  bool // measurements, evaluations, spending may be recorded now
	CanEdit     bool // this person may edit this objective (health staff: integrated ones)
	Years       []int
	Evaluations map[int]plan.Evaluation
	BudgetChart BarChart
	SourceNames map[string]string
}

func (w *Web) objectiveShow(c echo.Context) error {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return err
	}
	p := w.NewPage(c, "page.objective.title")
	p.Title = d.Title
	p.Crumbs = objectiveCrumbs(p, pl, nil)
	h, err := w.Plans.PlanHistory(c.Request().Context(), w.Actor(c), pl.ID)
	if err != nil {
		return err
	}
	var open *plan.Amendment
	for i := range h.Amendments {
		if h.Amendments[i].Status != plan.AmendmentApproved {
			open = &h.Amendments[i]
		}
	}
	v := objectiveView{Detail: d, Plan: pl, Editable: contentEditable(pl, open), Monitoring: pl.Status != plan.Proposed,
		CanEdit: p.Can("objectives", "edit") && (p.Can("plan", "write") || d.SocioSanitary), Evaluations: map[int]plan.Evaluation{}}
	for y := pl.StartYear; y <= pl.EndYear; y++ {
		v.Years = append(v.Years, y)
	}
	for _, e := range d.Evaluations {
		v.Evaluations[e.Year] = e
		if e.Year < pl.StartYear || e.Year > pl.EndYear {
			v.Years = append(v.Years, e.Year)
		}
	}
	var by []plan.SourceTotals
	sources, err := w.Plans.FundingSources(c.Request().Context(), w.Actor(c))
	if err != nil {
		return err
	}
	by = plan.TotalsBySource(d.Budget, sources)
	v.SourceNames = plan.SourceNames(sources)
	v.BudgetChart = budgetChart(p, "chart-objective-budget", by)
	p.Data = v
	return w.Render(c, "objective", p)
}

func (w *Web) editObjectivePage(c echo.Context) (*Page, plan.ObjectiveDetail, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	p := w.NewPage(c, "page.objective_edit.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	f, err := w.objectiveForm(c, p, pl, &d.Objective)
	if err != nil {
		return nil, d, err
	}
	p.Data = f
	return p, d, nil
}

func (w *Web) objectiveEdit(c echo.Context) error {
	return ShowForm(w, c, "objective_form", w.editObjectivePage, func(d plan.ObjectiveDetail) url.Values { return objectiveValues(d.Objective) })
}

func (w *Web) objectiveUpdate(c echo.Context) error {
	return SubmitForm(w, c, "objective_form", w.editObjectivePage, func(d plan.ObjectiveDetail, v url.Values) (string, string, error) {
		edit, err := objectiveEdit(v)
		if err == nil {
			_, err = w.Plans.UpdateObjective(c.Request().Context(), w.Actor(c), d.ID, edit)
		}
		return fmt.Sprintf("/obiettivi/%d", d.ID), "objective_saved", err
	})
}

// --- indicators and measurements ---

var indicatorKinds = Texts(plan.IndicatorKinds)

type indicatorForm struct {
	Detail    plan.ObjectiveDetail
	Plan      plan.Plan
	KindOpts  []Option
	Indicator *plan.Indicator // for measurements
	Values    []plan.Measurement
}

func (w *Web) indicatorPage(c echo.Context) (*Page, plan.ObjectiveDetail, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	p := w.NewPage(c, "page.indicator_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = indicatorForm{Detail: d, Plan: pl, KindOpts: p.Options("indicator.kind", indicatorKinds, true)}
	return p, d, nil
}

func (w *Web) indicatorNew(c echo.Context) error {
	return ShowForm(w, c, "indicator_form", w.indicatorPage, nil)
}

func (w *Web) indicatorCreate(c echo.Context) error {
	return SubmitForm(w, c, "indicator_form", w.indicatorPage, func(d plan.ObjectiveDetail, v url.Values) (string, string, error) {
		in, err := indicatorInput(v)
		if err == nil {
			_, err = w.Plans.CreateIndicator(c.Request().Context(), w.Actor(c), d.ID, in)
		}
		return fmt.Sprintf("/obiettivi/%d#indicatori", d.ID), "indicator_created", err
	})
}

// indicatorInput is the indicator the form describes.
func indicatorInput(v url.Values) (plan.Indicator, error) {
	in := plan.Indicator{Kind: plan.IndicatorKind(v.Get("kind")), Name: strings.TrimSpace(v.Get("name")),
		Unit: strings.TrimSpace(v.Get("unit")), BaselineNote: strings.TrimSpace(v.Get("baseline_note"))}
	var err error
	for k, p := range map[string]**float64{"baseline": &in.Baseline, "target": &in.Target} {
		if *p, err = FloatValue(v, k, "numero non valido (es. 12 o 12,5)", "invalid number (e.g. 12 or 12.5)"); err != nil {
			return in, err
		}
	}
	return in, nil
}

// measurementPage finds the indicator :iid among the objective's.
func (w *Web) measurementPage(c echo.Context) (*Page, plan.Indicator, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, plan.Indicator{}, err
	}
	iid, err := route.ID(c, "iid")
	if err != nil {
		return nil, plan.Indicator{}, err
	}
	var ind *plan.Indicator
	for i := range d.Indicators {
		if d.Indicators[i].ID == iid {
			ind = &d.Indicators[i]
		}
	}
	if ind == nil {
		return nil, plan.Indicator{}, apperr.New(apperr.NotFound, "indicatore non trovato in questo obiettivo", "no such indicator in this objective")
	}
	ms, err := w.Plans.Measurements(c.Request().Context(), w.Actor(c), iid)
	if err != nil {
		return nil, *ind, err
	}
	p := w.NewPage(c, "page.measurement_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = indicatorForm{Detail: d, Plan: pl, Indicator: ind, Values: ms}
	return p, *ind, nil
}

func (w *Web) measurementNew(c echo.Context) error {
	return ShowForm(w, c, "measurement_form", w.measurementPage, nil)
}

func (w *Web) measurementCreate(c echo.Context) error {
	return SubmitForm(w, c, "measurement_form", w.measurementPage, func(ind plan.Indicator, v url.Values) (string, string, error) {
		in := plan.MeasurementInput{Period: v.Get("period"), Source: v.Get("source"), Note: v.Get("note")}
		var err error
		in.Value, err = FloatValue(v, "value", "valore non valido (es. 12 o 12,5)", "invalid value (e.g. 12 or 12.5)")
		if err == nil {
			_, err = w.Plans.RecordMeasurement(c.Request().Context(), w.Actor(c), ind.ID, in)
		}
		return fmt.Sprintf("/obiettivi/%d#indicatori", ind.ObjectiveID), "measurement_recorded", err
	})
}

// --- budget ---

// budgetRow is one line of the budget form.
type budgetRow struct {
	Number                                              int // 1-based, for labels
	Year, Source, Stanziato, Impegnato, Liquidato, Note Field
}

type budgetForm struct {
	Detail plan.ObjectiveDetail
	Plan   plan.Plan
	Rows   []budgetRow
}

var budgetColumns = []string{"year", "source_code", "stanziato", "impegnato", "liquidato", "note"}

// budgetErrKey is the name the service gives a column in its errors.
func budgetErrKey(i int, col string) string {
	switch col {
	case "stanziato", "impegnato", "liquidato":
		col += "_cents"
	}
	return fmt.Sprintf("lines[%d].%s", i, col)
}

func (w *Web) budgetRows(p *Page, v url.Values, sources []plan.FundingSource) []budgetRow {
	n := 0
	for _, col := range budgetColumns {
		n = max(n, len(v[col]))
	}
	opts := []Option{{Value: "", Label: p.T("form.choose")}}
	for _, s := range sources {
		opts = append(opts, Option{Value: s.Code, Label: s.Name})
	}
	rows := make([]budgetRow, n)
	for i := range rows {
		cell := func(col, labelKey string, more ...string) Field {
			f := Field{ID: FieldID(budgetErrKey(i, col)), Name: col, Type: "text", Hidden: true,
				Label: p.T(labelKey) + " — " + p.T("budget.row", i+1), Error: p.ErrorFor(budgetErrKey(i, col))}
			if i < len(v[col]) {
				f.Value = v[col][i]
			}
			for _, m := range more {
				k, val, _ := strings.Cut(m, "=")
				switch k {
				case "inputmode":
					f.InputMode = val
				case "type":
					f.Type = val
				}
			}
			return f
		}
		r := budgetRow{Number: i + 1,
			Year:      cell("year", "budget.year", "inputmode=numeric"),
			Source:    cell("source_code", "budget.source"),
			Stanziato: cell("stanziato", "budget.stanziato", "inputmode=decimal"),
			Impegnato: cell("impegnato", "budget.impegnato", "inputmode=decimal"),
			Liquidato: cell("liquidato", "budget.liquidato", "inputmode=decimal"),
			Note:      cell("note", "budget.note"),
		}
		r.Source.Type = "select"
		r.Source.Options = MarkSelected(opts, r.Source.Value)
		rows[i] = r
	}
	return rows
}

// padBudget adds empty lines so that the form always offers some room.
func padBudget(v url.Values, atLeast, extra int) {
	n := len(v["year"])
	want := max(atLeast, n+extra)
	for ; n < want; n++ {
		for _, col := range budgetColumns {
			v[col] = append(v[col], "")
		}
	}
}

func (w *Web) budgetPage(c echo.Context) (*Page, plan.ObjectiveDetail, plan.Plan, []plan.FundingSource, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, d, pl, nil, err
	}
	sources, err := w.Plans.FundingSources(c.Request().Context(), w.Actor(c))
	if err != nil {
		return nil, d, pl, nil, err
	}
	p := w.NewPage(c, "page.budget.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	return p, d, pl, sources, nil
}

func (w *Web) budgetEdit(c echo.Context) error {
	p, d, pl, sources, err := w.budgetPage(c)
	if err != nil {
		return err
	}
	f := Formatter{p.Lang}
	v := url.Values{}
	for _, l := range d.Budget {
		v["year"] = append(v["year"], strconv.Itoa(l.Year))
		v["source_code"] = append(v["source_code"], l.SourceCode)
		v["stanziato"] = append(v["stanziato"], f.CentsPlain(l.StanziatoCents))
		v["impegnato"] = append(v["impegnato"], f.CentsPlain(l.ImpegnatoCents))
		v["liquidato"] = append(v["liquidato"], f.CentsPlain(l.LiquidatoCents))
		v["note"] = append(v["note"], l.Note)
	}
	padBudget(v, 3, 1)
	p.Form = &Form{Values: v}
	p.Data = budgetForm{Detail: d, Plan: pl, Rows: w.budgetRows(p, v, sources)}
	return w.Render(c, "budget_form", p)
}

func (w *Web) budgetSave(c echo.Context) error {
	p, d, pl, sources, err := w.budgetPage(c)
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return err
	}
	if v.Get("azione") == "riga" {
		// "Add a line" without JavaScript: the same form with one more empty line.
		padBudget(v, 1, 1)
		p.Form = &Form{Values: v}
		p.Data = budgetForm{Detail: d, Plan: pl, Rows: w.budgetRows(p, v, sources)}
		return w.Render(c, "budget_form", p)
	}
	lines, rowOf, err := budgetLines(v)
	if err == nil {
		_, err = w.Plans.SetBudget(c.Request().Context(), w.Actor(c), d.ID, lines)
		err = budgetErrorToRow(err, rowOf)
	}
	if err != nil {
		padBudget(v, 1, 0)
		p.Form = &Form{Values: v}
		if e, ok := apperr.As(err); ok {
			p.Form.Err = e // before the rows are built: each row shows its own error
		}
		p.Data = budgetForm{Detail: d, Plan: pl, Rows: w.budgetRows(p, v, sources)}
		return w.FailForm(c, "budget_form", p, v, err)
	}
	return SeeOther(c, fmt.Sprintf("/obiettivi/%d#budget", d.ID), "budget_saved")
}

// budgetLines reads the lines of the form, skipping empty ones; rowOf maps a line's index to
// the form row it came from, so that the service's errors land on the right row.
func budgetLines(v url.Values) ([]plan.BudgetLineInput, []int, error) {
	get := func(col string, i int) string {
		if i < len(v[col]) {
			return strings.TrimSpace(v[col][i])
		}
		return ""
	}
	n := 0
	for _, col := range budgetColumns {
		n = max(n, len(v[col]))
	}
	var lines []plan.BudgetLineInput
	var rowOf []int
	for i := range n {
		blank := true
		for _, col := range budgetColumns {
			blank = blank && get(col, i) == ""
		}
		if blank {
			continue
		}
		l := plan.BudgetLineInput{SourceCode: get("source_code", i), Note: get("note", i)}
		y, err := strconv.Atoi(get("year", i))
		if err != nil {
			return nil, nil, apperr.Invalidf(budgetErrKey(i, "year"), "indicare l'anno (es. 2024)", "give the year (e.g. 2024)")
		}
		l.Year = y
		for _, a := range []struct {
			col string
			dst *int64
		}{{"stanziato", &l.StanziatoCents}, {"impegnato", &l.ImpegnatoCents}, {"liquidato", &l.LiquidatoCents}} {
			Cents, ok := ParseAmount(get(a.col, i))
			if !ok {
				return nil, nil, apperr.Invalidf(budgetErrKey(i, a.col), "importo non valido: in euro, es. 1.234,56", "invalid amount: in euro, e.g. 1234.56")
			}
			*a.dst = Cents
		}
		lines = append(lines, l)
		rowOf = append(rowOf, i)
	}
	return lines, rowOf, nil
}

// budgetErrorToRow renames lines[i].x (the i-th line sent) to the form row it came from.
func budgetErrorToRow(err error, rowOf []int) error {
	e, ok := apperr.As(err)
	if !ok || !strings.HasPrefix(e.Field, "lines[") {
		return err
	}
	idx, rest, ok := strings.Cut(strings.TrimPrefix(e.Field, "lines["), "]")
	i, convErr := strconv.Atoi(idx)
	if !ok || convErr != nil || i < 0 || i >= len(rowOf) {
		return err
	}
	return e.WithField(fmt.Sprintf("lines[%d]%s", rowOf[i], rest))
}

// --- the yearly evaluation sheet ---

type evaluationForm struct {
	Detail   plan.ObjectiveDetail
	Plan     plan.Plan
	Year     int
	Existing bool
	UserOpts []Option
	NeedOpts []Option
	YesNo    []Option
}

func (w *Web) evaluationPage(c echo.Context) (*Page, plan.ObjectiveDetail, int, *plan.Evaluation, error) {
	d, pl, err := w.objectiveContext(c)
	if err != nil {
		return nil, d, 0, nil, err
	}
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 2000 || year > 2100 {
		return nil, d, 0, nil, apperr.New(apperr.NotFound, "anno non valido", "invalid year")
	}
	var cur *plan.Evaluation
	for i := range d.Evaluations {
		if d.Evaluations[i].Year == year {
			cur = &d.Evaluations[i]
		}
	}
	p := w.NewPage(c, "page.evaluation.title", year)
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = evaluationForm{Detail: d, Plan: pl, Year: year, Existing: cur != nil,
		UserOpts: p.Options("evaluation.user", plan.UserEvaluations, true),
		NeedOpts: p.Options("evaluation.need", plan.NeedMetAnswers, true),
		YesNo:    p.Options("evaluation.yesno", []string{"si", "no"}, true)}
	return p, d, year, cur, nil
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "si"
	}
	return "no"
}

func (w *Web) evaluationEdit(c echo.Context) error {
	p, _, _, cur, err := w.evaluationPage(c)
	if err != nil {
		return err
	}
	v := url.Values{}
	if cur != nil {
		if cur.AchievementPct != nil {
			v.Set("achievement_pct", strconv.Itoa(*cur.AchievementPct))
		}
		if cur.ResourceMatchPct != nil {
			v.Set("resource_match_pct", strconv.Itoa(*cur.ResourceMatchPct))
		}
		v.Set("user_evaluation", cur.UserEvaluation)
		v.Set("user_evaluation_note", cur.UserEvaluationNote)
		v.Set("resource_match_note", cur.ResourceMatchNote)
		v.Set("issues", cur.Issues)
		v.Set("need_met", cur.NeedMet)
		v.Set("need_met_note", cur.NeedMetNote)
		v.Set("continuity_previous", yesNo(cur.ContinuityPrevious))
		v.Set("continuity_note", cur.ContinuityNote)
		v.Set("proposed_again", yesNo(cur.ProposedAgain))
		v.Set("proposed_again_note", cur.ProposedAgainNote)
	}
	p.Form = &Form{Values: v}
	return w.Render(c, "evaluation_form", p)
}

func (w *Web) evaluationSave(c echo.Context) error {
	p, d, year, _, err := w.evaluationPage(c)
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return w.FailForm(c, "evaluation_form", p, v, err)
	}
	edit, err := evaluationEdit(v)
	if err == nil {
		_, err = w.Plans.SetEvaluation(c.Request().Context(), w.Actor(c), d.ID, year, edit)
	}
	if err != nil {
		return w.FailForm(c, "evaluation_form", p, v, err)
	}
	return SeeOther(c, fmt.Sprintf("/obiettivi/%d#valutazioni", d.ID), "evaluation_saved")
}

// evaluationEdit turns the submitted sheet into an edit that sets every field of it.
func evaluationEdit(v url.Values) (plan.Edit[plan.Evaluation], error) {
	var e plan.Evaluation
	Texts := map[string]*string{"user_evaluation": &e.UserEvaluation, "user_evaluation_note": &e.UserEvaluationNote,
		"resource_match_note": &e.ResourceMatchNote, "issues": &e.Issues, "need_met": &e.NeedMet, "need_met_note": &e.NeedMetNote,
		"continuity_note": &e.ContinuityNote, "proposed_again_note": &e.ProposedAgainNote}
	for k, p := range Texts {
		*p = strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n"))
	}
	var err error
	for k, p := range map[string]**int{"achievement_pct": &e.AchievementPct, "resource_match_pct": &e.ResourceMatchPct} {
		if *p, err = IntValue(v, k, "percentuale non valida: un numero intero da 0 a 100", "invalid percentage: a whole number from 0 to 100"); err != nil {
			return nil, err
		}
	}
	for k, p := range map[string]**bool{"continuity_previous": &e.ContinuityPrevious, "proposed_again": &e.ProposedAgain} {
		switch v.Get(k) {
		case "si":
			*p = &[]bool{true}[0]
		case "no":
			*p = &[]bool{false}[0]
		case "":
			*p = nil
		default:
			return nil, apperr.Invalidf(k, "valore ammesso: sì o no", "allowed: yes or no")
		}
	}
	return func(cur *plan.Evaluation) error {
		e.ID, e.ObjectiveID, e.Year = cur.ID, cur.ObjectiveID, cur.Year
		*cur = e
		return nil
	}, nil
}
