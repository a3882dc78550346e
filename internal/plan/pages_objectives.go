package plan

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// objectiveTexts are the objective sheet's text fields, by the name the form sends.
func objectiveTexts(o *Objective) map[string]*string {
	return map[string]*string{"title": &o.Title, "description": &o.Description, "area_code": &o.AreaCode, "marker": &o.Marker,
		"target": &o.Target, "economic_resources": &o.EconomicResources, "staff_resources": &o.StaffResources,
		"transversal_areas": &o.TransversalAreas, "co_design_partners": &o.CoDesignPartners, "needs": &o.Needs,
		"process_modalities": &o.ProcessModalities, "expected_results": &o.ExpectedResults, "impact": &o.Impact, "timing": &o.Timing}
}

// objectiveFlags are the objective sheet's yes/no fields, by the name the form sends.
func objectiveFlags(o *Objective) map[string]*bool {
	return map[string]*bool{"transversal": &o.Transversal, "socio_sanitary": &o.SocioSanitary,
		"continuity_previous": &o.ContinuityPrevious, "co_designed": &o.CoDesigned, "premialita": &o.Premialita}
}

// objectiveValues are an objective's fields as form values.
func objectiveValues(o Objective) url.Values {
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

// objectiveFields are the objective form's fields, in its order.
var objectiveFields = append([]string{"title", "area_code", "item_code", "marker", "position"}, objectiveLongTexts...)

// objectiveEdit turns the submitted form into an edit of the objective: every field of the
// sheet (unchecked boxes are false, an empty optional entry is none); an empty position keeps
// the current one. The error is a position it could not read; the edit sets the rest anyway,
// so that the page can list what else is wrong.
func objectiveEdit(v url.Values) (Edit[Objective], error) {
	pos, err := web.IntValue(v, "position", "La posizione è un numero intero (es. 3)", "The position is a whole number (e.g. 3)")
	if pos != nil && (*pos < 1 || *pos > maxPosition) {
		err = checkPosition(-1)
	}
	return func(o *Objective) error {
		for k, p := range objectiveTexts(o) {
			*p = strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n"))
		}
		for k, p := range objectiveFlags(o) {
			*p = web.Truthy(v.Get(k))
		}
		o.ItemCode = nil
		if ic := strings.TrimSpace(v.Get("item_code")); ic != "" {
			o.ItemCode = &ic
		}
		if pos != nil && err == nil {
			o.Position = *pos
		}
		return nil
	}, err
}

// objectiveRefusal is the refusal of an objective form whose position could not be read:
// that, with whatever else the sheet o lacks.
func objectiveRefusal(readErr error, o Objective) error {
	return formCheck(readErr, func() error { return o.validate(nil) }, objectiveFields)
}

// objectiveForm is the data of the objective form.
type objectiveForm struct {
	Plan       Plan
	Objective  *Objective // nil: a new one
	AreaOpts   []web.Option
	ItemGroups []web.OptGroup
	MarkerOpts []web.Option
	Action     string
}

func (pg *pages) objectiveForm(c echo.Context, p *web.Page, pl Plan, o *Objective) (objectiveForm, error) {
	areas, err := pg.svc.Areas(c.Request().Context(), pg.actor(c))
	if err != nil {
		return objectiveForm{}, err
	}
	f := objectiveForm{Plan: pl, Objective: o, AreaOpts: []web.Option{{Value: "", Label: p.T("form.choose")}},
		MarkerOpts: []web.Option{{Value: "", Label: p.T("objective.marker.none")}, {Value: Innovative, Label: p.T("objective.marker.innovativo")},
			{Value: Continuing, Label: p.T("objective.marker.continuita")}}}
	for _, a := range areas {
		f.AreaOpts = append(f.AreaOpts, web.Option{Value: a.Code, Label: a.Code + " · " + a.Name})
		if len(a.Items) > 0 {
			g := web.OptGroup{Label: a.Code + " · " + a.Name}
			for _, it := range a.Items {
				g.Options = append(g.Options, web.Option{Value: it.Code, Label: it.Code + " · " + it.Name})
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

func (pg *pages) newObjectivePage(c echo.Context) (*web.Page, Plan, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, Plan{}, err
	}
	pl, err := pg.svc.Plan(c.Request().Context(), pg.actor(c), id)
	if err != nil {
		return nil, pl, err
	}
	p := pg.web.NewPage(c, "page.objective_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, nil)
	f, err := pg.objectiveForm(c, p, pl, nil)
	if err != nil {
		return nil, pl, err
	}
	p.Data = f
	return p, pl, nil
}

func (pg *pages) objectiveNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/objective_form", pg.newObjectivePage, nil)
}

func (pg *pages) objectiveCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/objective_form", pg.newObjectivePage, func(pl Plan, v url.Values) (string, string, error) {
		edit, err := objectiveEdit(v)
		var o Objective
		_ = edit(&o)
		if err != nil {
			return "", "", objectiveRefusal(err, o)
		}
		o, err = pg.svc.CreateObjective(c.Request().Context(), pg.actor(c), pl.ID, o)
		return fmt.Sprintf("/obiettivi/%d", o.ID), "objective_created", err
	})
}

// objectiveView is the objective page.
type objectiveView struct {
	Detail      ObjectiveDetail
	Plan        Plan
	Editable    bool // content may change now (draft or open amendment)
	Monitoring  bool // measurements, evaluations, spending may be recorded now
	CanEdit     bool // this person may edit this objective (health staff: integrated ones)
	Years       []int
	Evaluations map[int]Evaluation
	BudgetChart web.BarChart
	SourceNames map[string]string
	Bound       map[int64]string        // a bound indicator's programme and figure, by indicator id
	Series      map[int64]web.LineChart // each measured indicator's series (pages_series.go)
}

func (pg *pages) objectiveShow(c echo.Context) error {
	sh, err := pg.objectiveSheet(c)
	if err != nil {
		return err
	}
	d, pl := sh.Detail, sh.Plan
	p := pg.web.NewPage(c, "page.objective.title")
	p.Title = d.Title
	p.Crumbs = objectiveCrumbs(p, pl, nil)
	open := sh.Open
	v := objectiveView{Detail: d, Plan: pl, Editable: contentEditable(pl, open), Monitoring: pl.Status != Proposed,
		CanEdit: p.Can("objectives", "edit") && (p.Can("plan", "write") || d.SocioSanitary), Evaluations: map[int]Evaluation{}}
	for y := pl.StartYear; y <= pl.EndYear; y++ {
		v.Years = append(v.Years, y)
	}
	for _, e := range d.Evaluations {
		v.Evaluations[e.Year] = e
		if e.Year < pl.StartYear || e.Year > pl.EndYear {
			v.Years = append(v.Years, e.Year)
		}
	}
	by := TotalsBySource(d.Budget, sh.Sources)
	v.SourceNames = SourceNames(sh.Sources)
	v.Bound = boundLabels(p, pg.svc.Programmes(), d.Indicators)
	v.BudgetChart = budgetChart(p, "chart-objective-budget", by)
	v.Series = seriesCharts(p, d.Indicators)
	p.Data = v
	return pg.web.Render(c, "plan/objective", p)
}

func (pg *pages) editObjectivePage(c echo.Context) (*web.Page, ObjectiveDetail, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	if !writesAnyObjective(pg.actor(c)) && !d.SocioSanitary {
		return nil, d, errOnlyIntegrated // no form one may not submit (health staff: integrated objectives only)
	}
	p := pg.web.NewPage(c, "page.objective_edit.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	f, err := pg.objectiveForm(c, p, pl, &d.Objective)
	if err != nil {
		return nil, d, err
	}
	p.Data = f
	return p, d, nil
}

func (pg *pages) objectiveEdit(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/objective_form", pg.editObjectivePage, func(d ObjectiveDetail) url.Values { return objectiveValues(d.Objective) })
}

func (pg *pages) objectiveUpdate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/objective_form", pg.editObjectivePage, func(d ObjectiveDetail, v url.Values) (string, string, error) {
		edit, err := objectiveEdit(v)
		if err != nil {
			o := d.Objective
			_ = edit(&o)
			return "", "", objectiveRefusal(err, o)
		}
		_, err = pg.svc.UpdateObjective(c.Request().Context(), pg.actor(c), d.ID, edit)
		return fmt.Sprintf("/obiettivi/%d", d.ID), "objective_saved", err
	})
}
