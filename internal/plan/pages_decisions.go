package plan

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/web"
)

// needsConfirm is returned by a workflow step that must be confirmed first: workflowStep
// shows the confirmation page instead of acting.
type needsConfirm confirmData

func (needsConfirm) Error() string { return "needs confirmation" }

// deliberaOf reads the delibera fields of an approval form.
func deliberaOf(v url.Values) Delibera {
	return Delibera{Number: v.Get("delibera_number"), Date: v.Get("delibera_date")}
}

// deliberaLine says the act as the confirmation shows it: "Delibera n. 12/2024 del 12/03/2024".
func deliberaLine(p *web.Page, d Delibera) string {
	if t := d.date(); t != nil {
		return p.T("confirm.delibera", d.Number, p.Format().Date(*t))
	}
	return p.T("confirm.delibera", d.Number, d.Date)
}

// approvePlan approves with the delibera, after the Assemblea confirmed what it approves.
func (pg *pages) approvePlan(c echo.Context, id int64, v url.Values) error {
	ctx, who := c.Request().Context(), pg.actor(c)
	d := deliberaOf(v)
	if err := d.validate(); err != nil {
		return err
	}
	if !confirmed(v) {
		pl, err := pg.svc.Plan(ctx, who, id)
		if err != nil {
			return err
		}
		p := pg.web.NewPage(c, "page.confirm.title")
		return needsConfirm{Question: p.T("confirm.approve_plan", pl.Title), Details: []string{
			p.T("plan.years", pl.StartYear, pl.EndYear), deliberaLine(p, d)},
			Action: c.Request().URL.Path, Button: p.T("plan.approve")}
	}
	_, err := pg.svc.ApproveWithDelibera(ctx, who, id, v.Get("approve_note"), d)
	return renamed(err, "note", "approve_note")
}

// approveAmendment approves an amendment with the delibera, after confirmation.
func (pg *pages) approveAmendment(c echo.Context, planID, id int64, v url.Values, field string) error {
	ctx, who := c.Request().Context(), pg.actor(c)
	d := deliberaOf(v)
	if err := d.validate(); err != nil {
		return err
	}
	if !confirmed(v) {
		pl, err := pg.svc.Plan(ctx, who, planID)
		if err != nil {
			return err
		}
		p := pg.web.NewPage(c, "page.confirm.title")
		return needsConfirm{Question: p.T("confirm.approve_amendment", pl.Title), Details: []string{deliberaLine(p, d)},
			Action: c.Request().URL.Path, Button: p.T("amendment.approve")}
	}
	_, err := pg.svc.ApproveAmendmentWithDelibera(ctx, who, planID, id, v.Get(field), d)
	return renamed(err, "note", field)
}

// askFirst asks for confirmation before closing a plan (it can no longer change) and before
// proposing a plan with no objectives; nil when the step may go on.
func (pg *pages) askFirst(c echo.Context, step Step, id int64, v url.Values) error {
	if confirmed(v) || (step != StepClose && step != StepPropose) {
		return nil
	}
	ctx, who := c.Request().Context(), pg.actor(c)
	pl, err := pg.svc.Plan(ctx, who, id)
	if err != nil {
		return err
	}
	p := pg.web.NewPage(c, "page.confirm.title")
	if step == StepClose {
		return needsConfirm{Question: p.T("confirm.close_plan", pl.Title), Details: []string{p.T("confirm.close_details")},
			Action: c.Request().URL.Path, Button: p.T("plan.close"), Danger: true}
	}
	d, err := pg.svc.Dossier(ctx, who, id)
	if err != nil || len(d.Objectives) > 0 {
		return err
	}
	return needsConfirm{Question: p.T("confirm.propose_empty", pl.Title), Details: []string{p.T("confirm.propose_empty_details")},
		Action: c.Request().URL.Path, Button: p.T("plan.propose")}
}

// returned is a plan or an amendment the Assemblea sent back, with its note: the Ufficio di
// Piano's home shows it so the note is read where the work starts.
type returned struct {
	Plan      Plan
	Amendment *Amendment
	Note      string
}

// returnedOf lists the drafts among ps sent back with a note, and the amendments reopened
// with one.
func returnedOf(ps []Plan, reopened []PlanAmendment) []returned {
	var out []returned
	for _, p := range ps {
		if p.Status == Draft && p.ReturnNote != "" {
			out = append(out, returned{Plan: p, Note: p.ReturnNote})
		}
	}
	for i := range reopened {
		a := &reopened[i].Amendment
		out = append(out, returned{Plan: reopened[i].Plan, Amendment: a, Note: a.ReturnNote})
	}
	return out
}
