package plan

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
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
}

func (pg *pages) indicatorPage(c echo.Context) (*web.Page, ObjectiveDetail, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	p := pg.web.NewPage(c, "page.indicator_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	p.Data = indicatorForm{Detail: d, Plan: pl, KindOpts: p.Options("indicator.kind", indicatorKinds, true)}
	return p, d, nil
}

func (pg *pages) indicatorNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/indicator_form", pg.indicatorPage, nil)
}

func (pg *pages) indicatorCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/indicator_form", pg.indicatorPage, func(d ObjectiveDetail, v url.Values) (string, string, error) {
		in, err := indicatorInput(v)
		if err == nil {
			_, err = pg.svc.CreateIndicator(c.Request().Context(), pg.actor(c), d.ID, in)
		}
		return fmt.Sprintf("/obiettivi/%d#indicatori", d.ID), "indicator_created", err
	})
}

// indicatorInput is the indicator the form describes.
func indicatorInput(v url.Values) (Indicator, error) {
	in := Indicator{Kind: IndicatorKind(v.Get("kind")), Name: strings.TrimSpace(v.Get("name")),
		Unit: strings.TrimSpace(v.Get("unit")), BaselineNote: strings.TrimSpace(v.Get("baseline_note"))}
	var err error
	for k, p := range map[string]**float64{"baseline": &in.Baseline, "target": &in.Target} {
		if *p, err = web.FloatValue(v, k, "numero non valido (es. 12 o 12,5)", "invalid number (e.g. 12 or 12.5)"); err != nil {
			return in, err
		}
	}
	return in, nil
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
		in.Value, err = web.FloatValue(v, "value", "valore non valido (es. 12 o 12,5)", "invalid value (e.g. 12 or 12.5)")
		if err == nil {
			_, err = pg.svc.RecordMeasurement(c.Request().Context(), pg.actor(c), ind.ID, in)
		}
		return fmt.Sprintf("/obiettivi/%d#indicatori", ind.ObjectiveID), "measurement_recorded", err
	})
}
