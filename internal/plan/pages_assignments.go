package plan

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

type assignmentList struct {
	Assignments []Assignment
	Total       int64
	All         bool // the person sees every partner's (not a cooperative)
}

func (pg *pages) assignmentList(c echo.Context) error {
	p := pg.web.NewPage(c, "page.assignments.title")
	as, total, err := pg.svc.Assignments(c.Request().Context(), pg.actor(c), 0, Page{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = assignmentList{Assignments: as, Total: total, All: p.Can("assignments", "read_all")}
	return pg.web.Render(c, "plan/assignments", p)
}

type assignmentView struct {
	Assignment Assignment
	Reports    []Report
	reportExtras
}

func (pg *pages) assignmentPage(c echo.Context) (*web.Page, Assignment, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, Assignment{}, err
	}
	ctx, actor := c.Request().Context(), pg.actor(c)
	a, err := pg.svc.Assignment(ctx, actor, id)
	if err != nil {
		return nil, a, err
	}
	rs, err := pg.svc.Reports(ctx, actor, id)
	if err != nil {
		return nil, a, err
	}
	p := pg.web.NewPage(c, "page.assignment.title")
	p.Title = a.Activity
	p.Crumbs = []web.Crumb{{Href: "/incarichi", Label: p.T("nav.assignments")}}
	extras, err := pg.reportExtras(c, p, a, rs)
	if err != nil {
		return nil, a, err
	}
	p.Data = assignmentView{Assignment: a, Reports: rs, reportExtras: extras}
	return p, a, nil
}

func (pg *pages) assignmentShow(c echo.Context) error {
	p, _, err := pg.assignmentPage(c)
	if err != nil {
		return err
	}
	p.Form = &web.Form{Values: url.Values{}}
	return pg.web.Render(c, "plan/assignment", p)
}

type assignmentForm struct {
	Detail      ObjectiveDetail
	Plan        Plan
	PartnerOpts []web.Option
	Action      string // where the form posts, when it edits (pages_corrections.go)
	Editing     bool
}

func (pg *pages) assignmentFormPage(c echo.Context) (*web.Page, ObjectiveDetail, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, err
	}
	ps, _, err := pg.svc.Partners(c.Request().Context(), pg.actor(c), Page{Limit: 500})
	if err != nil {
		return nil, d, err
	}
	p := pg.web.NewPage(c, "page.assignment_new.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	opts := []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, pa := range ps {
		opts = append(opts, web.Option{Value: strconv.FormatInt(pa.ID, 10), Label: pa.Name})
	}
	p.Data = assignmentForm{Detail: d, Plan: pl, PartnerOpts: opts}
	return p, d, nil
}

func (pg *pages) assignmentNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/assignment_form", pg.assignmentFormPage, nil)
}

func (pg *pages) assignmentCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/assignment_form", pg.assignmentFormPage, func(d ObjectiveDetail, v url.Values) (string, string, error) {
		in, err := assignmentInput(v)
		if err != nil {
			return "", "", formCheck(err, in.validate, assignmentFields)
		}
		_, err = pg.svc.Assign(c.Request().Context(), pg.actor(c), d.ID, in)
		err = pageField(err, "budget_cents", "budget")
		return fmt.Sprintf("/obiettivi/%d#incarichi", d.ID), "assignment_created", err
	})
}

// assignmentInput is the assignment the form describes; the error is a budget it could not
// read (left empty in the input).
func assignmentInput(v url.Values) (AssignmentInput, error) {
	in := AssignmentInput{Activity: v.Get("activity"), AssignedOn: v.Get("assigned_on")}
	in.PartnerID, _ = strconv.ParseInt(v.Get("partner_id"), 10, 64) // not a number: none chosen
	var err error
	in.BudgetCents, err = optionalAmount(v.Get("budget"), "budget")
	return in, err
}
