package plan

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

var indicatorKinds = web.Texts(IndicatorKinds)

type indicatorForm struct {
	Detail    ObjectiveDetail
	Plan      Plan
	KindOpts  []web.Option
	Indicator *Indicator // for measurements
	Values    []Measurement
	Action    string // where the form posts, when it edits (pages_corrections.go)
	Editing   bool
	// The pathways' figures an indicator may be bound to, by programme; none: no select.
	BindingNone   web.Option
	BindingGroups []web.OptGroup
	DirectionOpts []web.Option // crescente, decrescente, intervallo
}

func (pg *pages) indicatorPage(c echo.Context) (*web.Page, ObjectiveDetail, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	p := pg.web.NewPage(c, "page.indicator_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = indicatorForm{Detail: d, Plan: pl, KindOpts: p.Options("indicator.kind", indicatorKinds, true),
		BindingNone: web.Option{Label: p.T("indicator.binding_none")}, BindingGroups: bindingGroups(p, pg.svc.Programmes()),
		DirectionOpts: p.Options("indicator.direction", web.Texts(Directions), false)}
	return p, d, nil
}

func (pg *pages) indicatorNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/indicator_form", pg.indicatorPage, nil)
}

func (pg *pages) indicatorCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/indicator_form", pg.indicatorPage, func(d ObjectiveDetail, v url.Values) (string, string, error) {
		in, err := indicatorInput(v)
		if err != nil {
			return "", "", formCheck(err, in.validate, indicatorFields)
		}
		_, err = pg.svc.CreateIndicator(c.Request().Context(), pg.actor(c), d.ID, in)
		return fmt.Sprintf("/obiettivi/%d#indicatori", d.ID), "indicator_created", err
	})
}

// indicatorInput is the indicator the form describes; the error lists every number it could
// not read (those stay nil in the indicator).
func indicatorInput(v url.Values) (Indicator, error) {
	in := Indicator{Kind: IndicatorKind(v.Get("kind")), Name: strings.TrimSpace(v.Get("name")),
		Unit: strings.TrimSpace(v.Get("unit")), BaselineNote: strings.TrimSpace(v.Get("baseline_note"))}
	// The select's value is "programme/figure" (a figure may hold a colon, a programme never a slash).
	if b := v.Get("binding"); b != "" {
		in.Binding.Programme, in.Binding.Figure, _ = strings.Cut(b, "/")
	}
	in.Direction = Direction(v.Get("direction"))
	var ps problems
	for _, f := range []struct {
		name string
		dst  **float64
	}{{"baseline", &in.Baseline}, {"target", &in.Target}, {"target_min", &in.TargetMin}, {"target_max", &in.TargetMax}} {
		var err error
		*f.dst, err = web.FloatValue(v, f.name, "Scrivere un numero (es. 12 o 12,5)", "Write a number (e.g. 12 or 12.5)")
		ps.add(err)
	}
	return in, ps.err()
}

// measurementPage finds the indicator :iid among the objective's.
func (pg *pages) measurementPage(c echo.Context) (*web.Page, Indicator, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, Indicator{}, err
	}
	iid, err := route.ID(c, "iid")
	if err != nil {
		return nil, Indicator{}, err
	}
	var ind *Indicator
	for i := range d.Indicators {
		if d.Indicators[i].ID == iid {
			ind = &d.Indicators[i]
		}
	}
	if ind == nil {
		return nil, Indicator{}, apperr.New(apperr.NotFound, "indicatore non trovato in questo obiettivo", "no such indicator in this objective")
	}
	ms, err := pg.svc.Measurements(c.Request().Context(), pg.actor(c), iid)
	if err != nil {
		return nil, *ind, err
	}
	p := pg.web.NewPage(c, "page.measurement_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = indicatorForm{Detail: d, Plan: pl, Indicator: ind, Values: ms}
	return p, *ind, nil
}

func (pg *pages) measurementNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/measurement_form", pg.measurementPage, nil)
}

func (pg *pages) measurementCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/measurement_form", pg.measurementPage, func(ind Indicator, v url.Values) (string, string, error) {
		in := MeasurementInput{Period: v.Get("period"), Source: v.Get("source"), Note: v.Get("note")}
		var err error
		in.Value, err = web.FloatValue(v, "value", "Scrivere il valore come numero (es. 12 o 12,5)", "Write the value as a number (e.g. 12 or 12.5)")
		if err != nil {
			return "", "", formCheck(err, in.validate, measurementFields)
		}
		_, err = pg.svc.RecordMeasurement(c.Request().Context(), pg.actor(c), ind.ID, in)
		return fmt.Sprintf("/obiettivi/%d#indicatori", ind.ObjectiveID), "measurement_recorded", err
	})
}

// bindingGroups are the figures of each programme, as the indicator form offers them.
func bindingGroups(p *web.Page, programmes map[string]facts.ProgrammeFacts) []web.OptGroup {
	var out []web.OptGroup
	for _, code := range slices.Sorted(maps.Keys(programmes)) {
		prog := programmes[code]
		var figures []string
		for _, f := range Figures {
			figures = append(figures, f)
			if f == FigureClosed {
				for _, r := range prog.Reasons {
					figures = append(figures, FigureClosed+":"+r.Code)
				}
			}
		}
		for _, item := range ONS4Items {
			figures = append(figures, FigureONS4Change+":"+item)
		}
		g := web.OptGroup{Label: prog.Name}
		for _, f := range figures {
			g.Options = append(g.Options, web.Option{Value: code + "/" + f, Label: figureLabel(p, prog, f)})
		}
		out = append(out, g)
	}
	return out
}

// figureLabel names a figure in the page's language (a closure reason by its Italian name,
// as the programme gives it).
func figureLabel(p *web.Page, prog facts.ProgrammeFacts, figure string) string {
	name, param, _ := strings.Cut(figure, ":")
	switch {
	case name == FigureClosed && param != "":
		reason := param
		for _, r := range prog.Reasons {
			if r.Code == param {
				reason = r.Name
			}
		}
		return p.T("binding.figure.closed_reason", reason)
	case name == FigureONS4Change:
		return p.T("binding.figure.ons4_change", p.T("binding.ons4."+param))
	}
	return p.T("binding.figure." + name)
}

// boundLabels name each bound indicator's programme and figure, for the objective page.
func boundLabels(p *web.Page, programmes map[string]facts.ProgrammeFacts, inds []Indicator) map[int64]string {
	out := map[int64]string{}
	for _, in := range inds {
		if !in.Binding.Bound() {
			continue
		}
		prog, ok := programmes[in.Binding.Programme]
		if !ok {
			prog.Name = in.Binding.Programme
			if in.Bound != nil && in.Bound.ProgrammeName != "" {
				prog.Name = in.Bound.ProgrammeName
			}
		}
		out[in.ID] = prog.Name + " — " + figureLabel(p, prog, in.Binding.Figure)
	}
	return out
}
