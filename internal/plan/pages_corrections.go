package plan

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// Corrections from the pages: a measurement corrected or deleted, an indicator edited or
// deleted, an objective or an assignment deleted. Each goes through the same service call as
// the API (so the same checks, and the change in the plan's log); each deletion asks first on
// a page of its own, which works without JavaScript and says, in an approved plan, that the
// change goes into the open amendment (or that one must be opened first).

// correctionRoutes are the pages of corrections, with the permission of the API call each makes.
func (pg *pages) correctionRoutes() []route.Route {
	get := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodGet, path, route.OnDistrict, obj, act, summary, h)
	}
	post := func(path, obj, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodPost, path, route.OnDistrict, obj, act, summary, h)
	}
	const m = "/obiettivi/:id/indicatori/:iid/misurazioni/:mid"
	return []route.Route{
		get(m+"/modifica", "monitoring", "write", "Correggi una misurazione (modulo) / Correct a measurement (form)", pg.measurementEdit),
		post(m, "monitoring", "write", "Correggi una misurazione / Correct a measurement", pg.measurementUpdate),
		get(m+"/elimina", "monitoring", "write", "Elimina una misurazione (conferma) / Delete a measurement (confirm)", pg.measurementDeleteAsk),
		post(m+"/elimina", "monitoring", "write", "Elimina una misurazione / Delete a measurement", pg.measurementDelete),
		get("/obiettivi/:id/indicatori/:iid/modifica", "objectives", "edit", "Modifica un indicatore (modulo) / Edit an indicator (form)", pg.indicatorEdit),
		post("/obiettivi/:id/indicatori/:iid", "objectives", "edit", "Salva l'indicatore / Save the indicator", pg.indicatorUpdate),
		get("/obiettivi/:id/indicatori/:iid/elimina", "objectives", "edit", "Elimina un indicatore (conferma) / Delete an indicator (confirm)", pg.indicatorDeleteAsk),
		post("/obiettivi/:id/indicatori/:iid/elimina", "objectives", "edit", "Elimina un indicatore / Delete an indicator", pg.indicatorDelete),
		get("/obiettivi/:id/elimina", "plan", "write", "Elimina un obiettivo (conferma) / Delete an objective (confirm)", pg.objectiveDeleteAsk),
		post("/obiettivi/:id/elimina", "plan", "write", "Elimina un obiettivo / Delete an objective", pg.objectiveDelete),
		get("/obiettivi/:id/incarichi/:aid/modifica", "assignments", "manage", "Modifica un incarico (modulo) / Edit an assignment (form)", pg.assignmentEdit),
		post("/obiettivi/:id/incarichi/:aid", "assignments", "manage", "Salva l'incarico / Save the assignment", pg.assignmentUpdate),
		get("/incarichi/:id/elimina", "assignments", "manage", "Revoca un incarico (conferma) / Remove an assignment (confirm)", pg.assignmentDeleteAsk),
		post("/incarichi/:id/elimina", "assignments", "manage", "Revoca un incarico / Remove an assignment", pg.assignmentDelete),
	}
}

// confirmView is the page that asks before a deletion.
type confirmView struct {
	Heading, Text string
	Action        string // where the confirmation posts
	Cancel        string // where «Annulla» goes back to
	Button        string // the button's text
	// The plan's state, for the notice: in an approved plan a change needs an open amendment.
	Plan       Plan
	Amendment  *Amendment // the open amendment the change will go into
	Blocked    bool       // approved with no open amendment: the change cannot be made now
	Monitoring bool       // a monitoring record (a measurement): no amendment needed
}

// openAmendment is the plan's amendment not yet approved, if any.
func (pg *pages) openAmendment(ctx context.Context, actor Actor, planID int64) (*Amendment, error) {
	h, err := pg.svc.PlanHistory(ctx, actor, planID)
	if err != nil {
		return nil, err
	}
	var open *Amendment
	for i := range h.Amendments {
		if h.Amendments[i].Status != AmendmentApproved {
			open = &h.Amendments[i]
		}
	}
	return open, nil
}

// confirmPage builds the confirmation of a change of the plan's content.
func (pg *pages) confirmPage(c echo.Context, titleKey string, pl Plan, v confirmView, text func(p *web.Page) string) (*web.Page, error) {
	p := pg.web.NewPage(c, titleKey)
	p.Crumbs = objectiveCrumbs(p, pl, nil)
	v.Plan, v.Heading, v.Text = pl, p.T(titleKey), text(p)
	if !v.Monitoring && pl.Status == Approved {
		a, err := pg.openAmendment(c.Request().Context(), pg.actor(c), pl.ID)
		if err != nil {
			return nil, err
		}
		if a != nil && a.Status == AmendmentOpen {
			v.Amendment = a
		} else {
			v.Blocked = true
		}
	}
	p.Data = v
	p.Form = &web.Form{Values: url.Values{}}
	return p, nil
}

// confirmSubmit runs a confirmed deletion: on success back to next with flash, on refusal
// the confirmation again with the reason.
func (pg *pages) confirmSubmit(c echo.Context, build func(echo.Context) (*web.Page, struct{}, error), next, flash string, do func() error) error {
	return web.SubmitForm(pg.web, c, "plan/confirm_delete", build, func(struct{}, url.Values) (string, string, error) {
		return next, flash, do()
	})
}

// indicatorOf finds the indicator :iid among the objective's.
func indicatorOf(d ObjectiveDetail, c echo.Context) (Indicator, error) {
	iid, err := route.ID(c, "iid")
	if err != nil {
		return Indicator{}, err
	}
	for _, in := range d.Indicators {
		if in.ID == iid {
			return in, nil
		}
	}
	return Indicator{}, apperr.New(apperr.NotFound, "indicatore non trovato in questo obiettivo", "no such indicator in this objective")
}

// measurementOf finds the measurement :mid in the indicator's series.
func measurementOf(in Indicator, c echo.Context) (Measurement, error) {
	mid, err := route.ID(c, "mid")
	if err != nil {
		return Measurement{}, err
	}
	for _, m := range in.Series {
		if m.ID == mid {
			return m, nil
		}
	}
	return Measurement{}, errMeasurementNotFound
}

// --- measurements ---

type measurementCtx struct {
	Detail      ObjectiveDetail
	Plan        Plan
	Indicator   Indicator
	Measurement Measurement
}

func (pg *pages) measurementContext(c echo.Context) (measurementCtx, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return measurementCtx{}, err
	}
	in, err := indicatorOf(d, c)
	if err != nil {
		return measurementCtx{}, err
	}
	m, err := measurementOf(in, c)
	return measurementCtx{Detail: d, Plan: pl, Indicator: in, Measurement: m}, err
}

func (pg *pages) measurementEditPage(c echo.Context) (*web.Page, measurementCtx, error) {
	mc, err := pg.measurementContext(c)
	if err != nil {
		return nil, mc, err
	}
	p := pg.web.NewPage(c, "page.measurement_edit.title")
	p.Crumbs = objectiveCrumbs(p, mc.Plan, &mc.Detail.Objective)
	p.Data = indicatorForm{Detail: mc.Detail, Plan: mc.Plan, Indicator: &mc.Indicator, Values: mc.Indicator.Series,
		Action: fmt.Sprintf("/obiettivi/%d/indicatori/%d/misurazioni/%d", mc.Detail.ID, mc.Indicator.ID, mc.Measurement.ID), Editing: true}
	return p, mc, nil
}

func (pg *pages) measurementEdit(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/measurement_form", pg.measurementEditPage, func(mc measurementCtx) url.Values {
		m := mc.Measurement
		return url.Values{"period": {m.Period}, "value": {strconv.FormatFloat(m.Value, 'f', -1, 64)}, "source": {m.Source}, "note": {m.Note}}
	})
}

func (pg *pages) measurementUpdate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/measurement_form", pg.measurementEditPage, func(mc measurementCtx, v url.Values) (string, string, error) {
		value, err := web.FloatValue(v, "value", "Scrivere il valore come numero (es. 12 o 12,5)", "Write the value as a number (e.g. 12 or 12.5)")
		if err != nil {
			in := MeasurementInput{Period: v.Get("period"), Source: v.Get("source"), Note: v.Get("note")}
			return "", "", formCheck(err, in.validate, measurementFields)
		}
		_, err = pg.svc.CorrectMeasurement(c.Request().Context(), pg.actor(c), mc.Measurement.ID, func(in *MeasurementInput) error {
			in.Period, in.Value, in.Source, in.Note = v.Get("period"), value, v.Get("source"), v.Get("note")
			return nil
		})
		return fmt.Sprintf("/obiettivi/%d#serie-%d", mc.Detail.ID, mc.Indicator.ID), "measurement_corrected", err
	})
}

func (pg *pages) measurementConfirm(c echo.Context) (*web.Page, struct{}, error) {
	mc, err := pg.measurementContext(c)
	if err != nil {
		return nil, struct{}{}, err
	}
	p, err := pg.confirmPage(c, "page.measurement_delete.title", mc.Plan, confirmView{Monitoring: true,
		Action: fmt.Sprintf("/obiettivi/%d/indicatori/%d/misurazioni/%d/elimina", mc.Detail.ID, mc.Indicator.ID, mc.Measurement.ID),
		Cancel: fmt.Sprintf("/obiettivi/%d#serie-%d", mc.Detail.ID, mc.Indicator.ID)}, func(p *web.Page) string {
		return p.T("confirm.measurement", mc.Measurement.Period, p.Format().Number(mc.Measurement.Value), mc.Indicator.Name)
	})
	return p, struct{}{}, err
}

func (pg *pages) measurementDeleteAsk(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/confirm_delete", pg.measurementConfirm, nil)
}

func (pg *pages) measurementDelete(c echo.Context) error {
	mc, err := pg.measurementContext(c)
	if err != nil {
		return err
	}
	return pg.confirmSubmit(c, pg.measurementConfirm, fmt.Sprintf("/obiettivi/%d#serie-%d", mc.Detail.ID, mc.Indicator.ID), "measurement_deleted",
		func() error { return pg.svc.DeleteMeasurement(c.Request().Context(), pg.actor(c), mc.Measurement.ID) })
}

// --- indicators ---

func (pg *pages) indicatorEditPage(c echo.Context) (*web.Page, Indicator, error) {
	p, d, err := pg.indicatorPage(c)
	if err != nil {
		return nil, Indicator{}, err
	}
	in, err := indicatorOf(d, c)
	if err != nil {
		return nil, in, err
	}
	p.Title = p.T("page.indicator_edit.title")
	f := p.Data.(indicatorForm)
	f.Indicator, f.Action, f.Editing = &in, fmt.Sprintf("/obiettivi/%d/indicatori/%d", d.ID, in.ID), true
	p.Data = f
	return p, in, nil
}

func (pg *pages) indicatorEdit(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/indicator_form", pg.indicatorEditPage, indicatorValues)
}

// indicatorValues are an indicator's fields as form values.
func indicatorValues(in Indicator) url.Values {
	v := url.Values{"kind": {string(in.Kind)}, "name": {in.Name}, "unit": {in.Unit}, "baseline_note": {in.BaselineNote},
		"direction": {string(in.Direction)}}
	for k, p := range map[string]*float64{"baseline": in.Baseline, "target": in.Target, "target_min": in.TargetMin, "target_max": in.TargetMax} {
		if p != nil {
			v.Set(k, strconv.FormatFloat(*p, 'f', -1, 64))
		}
	}
	if in.Binding.Bound() {
		v.Set("binding", in.Binding.Programme+"/"+in.Binding.Figure)
	}
	return v
}

func (pg *pages) indicatorUpdate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/indicator_form", pg.indicatorEditPage, func(cur Indicator, v url.Values) (string, string, error) {
		in, err := indicatorInput(v)
		if err != nil {
			return "", "", formCheck(err, in.validate, indicatorFields)
		}
		_, err = pg.svc.UpdateIndicator(c.Request().Context(), pg.actor(c), cur.ID, func(x *Indicator) error {
			x.Kind, x.Name, x.Unit, x.BaselineNote, x.Baseline, x.Target, x.Binding = in.Kind, in.Name, in.Unit, in.BaselineNote, in.Baseline, in.Target, in.Binding
			x.Direction, x.TargetMin, x.TargetMax = in.Direction, in.TargetMin, in.TargetMax
			return nil
		})
		return fmt.Sprintf("/obiettivi/%d#indicatori", cur.ObjectiveID), "indicator_saved", err
	})
}

func (pg *pages) indicatorConfirm(c echo.Context) (*web.Page, struct{}, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, struct{}{}, err
	}
	in, err := indicatorOf(d, c)
	if err != nil {
		return nil, struct{}{}, err
	}
	p, err := pg.confirmPage(c, "page.indicator_delete.title", pl, confirmView{
		Action: fmt.Sprintf("/obiettivi/%d/indicatori/%d/elimina", d.ID, in.ID),
		Cancel: fmt.Sprintf("/obiettivi/%d#indicatori", d.ID)}, func(p *web.Page) string { return p.T("confirm.indicator", in.Name, len(in.Series)) })
	return p, struct{}{}, err
}

func (pg *pages) indicatorDeleteAsk(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/confirm_delete", pg.indicatorConfirm, nil)
}

func (pg *pages) indicatorDelete(c echo.Context) error {
	d, _, err := pg.objectiveContext(c)
	if err != nil {
		return err
	}
	in, err := indicatorOf(d, c)
	if err != nil {
		return err
	}
	return pg.confirmSubmit(c, pg.indicatorConfirm, fmt.Sprintf("/obiettivi/%d#indicatori", d.ID), "indicator_deleted",
		func() error { return pg.svc.DeleteIndicator(c.Request().Context(), pg.actor(c), in.ID) })
}

// --- objectives ---

func (pg *pages) objectiveConfirm(c echo.Context) (*web.Page, struct{}, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, struct{}{}, err
	}
	p, err := pg.confirmPage(c, "page.objective_delete.title", pl, confirmView{
		Action: fmt.Sprintf("/obiettivi/%d/elimina", d.ID),
		Cancel: fmt.Sprintf("/obiettivi/%d", d.ID)}, func(p *web.Page) string {
		return p.T("confirm.objective", d.Title, len(d.Indicators), len(d.Budget), len(d.Assignments))
	})
	return p, struct{}{}, err
}

func (pg *pages) objectiveDeleteAsk(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/confirm_delete", pg.objectiveConfirm, nil)
}

func (pg *pages) objectiveDelete(c echo.Context) error {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return err
	}
	return pg.confirmSubmit(c, pg.objectiveConfirm, fmt.Sprintf("/piani/%d", pl.ID), "objective_deleted",
		func() error { return pg.svc.DeleteObjective(c.Request().Context(), pg.actor(c), d.ID) })
}

// --- assignments ---

func (pg *pages) assignmentConfirm(c echo.Context) (*web.Page, struct{}, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, struct{}{}, err
	}
	ctx := c.Request().Context()
	a, err := pg.svc.Assignment(ctx, pg.actor(c), id)
	if err != nil {
		return nil, struct{}{}, err
	}
	pl, err := pg.svc.Plan(ctx, pg.actor(c), a.PlanID)
	if err != nil {
		return nil, struct{}{}, err
	}
	p, err := pg.confirmPage(c, "page.assignment_delete.title", pl, confirmView{
		Action: fmt.Sprintf("/incarichi/%d/elimina", a.ID),
		Cancel: fmt.Sprintf("/incarichi/%d", a.ID), Button: "confirm.revoke"}, func(p *web.Page) string {
		return p.T("confirm.assignment", a.Activity, a.PartnerName, a.ObjectiveTitle)
	})
	return p, struct{}{}, err
}

func (pg *pages) assignmentDeleteAsk(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/confirm_delete", pg.assignmentConfirm, nil)
}

func (pg *pages) assignmentDelete(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	a, err := pg.svc.Assignment(c.Request().Context(), pg.actor(c), id)
	if err != nil {
		return err
	}
	return pg.confirmSubmit(c, pg.assignmentConfirm, fmt.Sprintf("/obiettivi/%d#incarichi", a.ObjectiveID), "assignment_deleted",
		func() error { return pg.svc.Unassign(c.Request().Context(), pg.actor(c), id) })
}

func (pg *pages) assignmentEditPage(c echo.Context) (*web.Page, Assignment, error) {
	p, d, err := pg.assignmentFormPage(c)
	if err != nil {
		return nil, Assignment{}, err
	}
	aid, err := route.ID(c, "aid")
	if err != nil {
		return nil, Assignment{}, err
	}
	for _, a := range d.Assignments {
		if a.ID == aid {
			p.Title = p.T("page.assignment_edit.title")
			f := p.Data.(assignmentForm)
			f.Action, f.Editing = fmt.Sprintf("/obiettivi/%d/incarichi/%d", d.ID, a.ID), true
			p.Data = f
			return p, a, nil
		}
	}
	return nil, Assignment{}, errAssignmentNotFound
}

func (pg *pages) assignmentEdit(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/assignment_form", pg.assignmentEditPage, func(a Assignment) url.Values {
		v := url.Values{"partner_id": {strconv.FormatInt(a.PartnerID, 10)}, "activity": {a.Activity}}
		if a.AssignedOn != nil {
			v.Set("assigned_on", a.AssignedOn.Format(time.DateOnly))
		}
		if a.BudgetCents != nil {
			v.Set("budget", web.Formatter{}.CentsPlain(*a.BudgetCents)) // Italian separators: the form reads them in either language
		}
		return v
	})
}

func (pg *pages) assignmentUpdate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/assignment_form", pg.assignmentEditPage, func(a Assignment, v url.Values) (string, string, error) {
		form, err := assignmentInput(v)
		if err != nil {
			return "", "", formCheck(err, form.validate, assignmentFields)
		}
		_, err = pg.svc.UpdateAssignment(c.Request().Context(), pg.actor(c), a.ID, func(in *AssignmentInput) error {
			*in = form
			return nil
		})
		err = pageField(err, "budget_cents", "budget")
		return fmt.Sprintf("/obiettivi/%d#incarichi", a.ObjectiveID), "assignment_saved", err
	})
}
