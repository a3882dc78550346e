package web

import (
	"context"
	"fmt"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/route"
)

type planList struct {
	Plans  []plan.Plan
	Total  int64
	Status string
	Filter []Option
}

func (w *Web) planList(c echo.Context) error {
	p := w.NewPage(c, "page.plans.title")
	st := plan.Status(c.QueryParam("stato"))
	valid := st == ""
	for _, s := range plan.Statuses {
		valid = valid || s == st
	}
	if !valid {
		st = ""
	}
	ps, total, err := w.Plans.Plans(c.Request().Context(), w.Actor(c), plan.PlanFilter{Status: st, Page: plan.Page{Limit: 200}})
	if err != nil {
		return err
	}
	opts := []Option{{Value: "", Label: p.T("plans.filter.all")}}
	for _, s := range plan.Statuses {
		opts = append(opts, Option{Value: string(s), Label: p.T("status." + string(s))})
	}
	p.Form = &Form{Values: url.Values{"stato": {string(st)}}}
	p.Data = planList{Plans: ps, Total: total, Status: string(st), Filter: opts}
	return w.Render(c, "plans", p)
}

// planNewPage is the page of the new-plan form.
func (w *Web) planNewPage(c echo.Context) *Page {
	p := w.NewPage(c, "page.plan_new.title")
	p.Crumbs = []Crumb{{"/piani", p.T("nav.plans")}}
	return p
}

func (w *Web) planNew(c echo.Context) error {
	return ShowForm(w, c, "plan_new", NoContext(w.planNewPage), nil)
}

func (w *Web) planCreate(c echo.Context) error {
	return SubmitForm(w, c, "plan_new", NoContext(w.planNewPage), func(_ struct{}, v url.Values) (string, string, error) {
		in := plan.PlanInput{Title: v.Get("title")}
		var err error
		if in.StartYear, err = RequiredInt(v, "start_year", "indicare l'anno di inizio (es. 2024)", "give the start year (e.g. 2024)"); err != nil {
			return "", "", err
		}
		if in.EndYear, err = RequiredInt(v, "end_year", "indicare l'anno di fine (es. 2026)", "give the end year (e.g. 2026)"); err != nil {
			return "", "", err
		}
		created, err := w.Plans.CreatePlan(c.Request().Context(), w.Actor(c), in)
		return fmt.Sprintf("/piani/%d", created.ID), "plan_created", err
	})
}

// areaGroup is a macro-area with its objectives, as the plan page lists them.
type areaGroup struct {
	Code, Name string
	Objectives []plan.ObjectiveDetail
}

// planView is the plan page.
type planView struct {
	glance
	Groups     []areaGroup
	AreaFilter string
	AreaOpts   []Option
	History    plan.History
	Amendment  *plan.Amendment // the one in progress (aperta or proposta)
	Editable   bool            // content may change now (draft, or an open amendment)
	Monitoring bool            // measurements, evaluations, spending may be recorded now
	Downloads  bool
}

func (v planView) Plan() plan.Plan { return v.Dossier.Plan }

// contentEditable tells whether a plan's content may change now.
func contentEditable(pl plan.Plan, a *plan.Amendment) bool {
	return pl.Status == plan.Draft || (pl.Status == plan.Approved && a != nil && a.Status == plan.AmendmentOpen)
}

// planView loads everything the plan page shows.
func (w *Web) planView(c echo.Context, p *Page, id int64) (planView, error) {
	ctx := c.Request().Context()
	d, err := w.Plans.Dossier(ctx, w.Actor(c), id)
	if err != nil {
		return planView{}, err
	}
	h, err := w.Plans.PlanHistory(ctx, w.Actor(c), id)
	if err != nil {
		return planView{}, err
	}
	v := planView{glance: w.glance(p, d), History: h, Downloads: p.Can("exports", "read")}
	for i := range h.Amendments {
		if h.Amendments[i].Status != plan.AmendmentApproved {
			v.Amendment = &h.Amendments[i]
		}
	}
	v.Editable = contentEditable(d.Plan, v.Amendment)
	v.Monitoring = d.Plan.Status != plan.Proposed
	v.AreaFilter = c.QueryParam("area")
	v.AreaOpts = []Option{{Value: "", Label: p.T("plan.filter.all_areas")}}
	idx := map[string]int{}
	for _, o := range d.Objectives {
		name := o.AreaName
		if name == "" {
			name = o.AreaCode
		}
		i, ok := idx[o.AreaCode]
		if !ok {
			i = len(v.Groups)
			idx[o.AreaCode] = i
			v.Groups = append(v.Groups, areaGroup{Code: o.AreaCode, Name: name})
			v.AreaOpts = append(v.AreaOpts, Option{Value: o.AreaCode, Label: o.AreaCode + " · " + name})
		}
		if v.AreaFilter == "" || v.AreaFilter == o.AreaCode {
			v.Groups[i].Objectives = append(v.Groups[i].Objectives, o)
		}
	}
	return v, nil
}

// planPage prepares the plan page (also to show it again after a refused action).
func (w *Web) planPage(c echo.Context, id int64) (*Page, error) {
	p := w.NewPage(c, "page.plan.title")
	v, err := w.planView(c, p, id)
	if err != nil {
		return nil, err
	}
	p.Title = v.Dossier.Plan.Title
	p.Crumbs = []Crumb{{"/piani", p.T("nav.plans")}}
	p.Data = v
	p.Form = &Form{Values: url.Values{"area": {v.AreaFilter}}}
	return p, nil
}

func (w *Web) planShow(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	p, err := w.planPage(c, id)
	if err != nil {
		return err
	}
	return w.Render(c, "plan", p)
}

// renamed gives an error the name of the form field it belongs to on a page where several
// forms have a field of the same name.
func renamed(err error, from, to string) error {
	if e, ok := apperr.As(err); ok && e.Field == from {
		return e.WithField(to)
	}
	return err
}

// back is where a workflow action returns to: the approvals page when it came from there.
func back(v url.Values, planID int64) string {
	if v.Get("from") == "approvazioni" {
		return "/approvazioni"
	}
	return fmt.Sprintf("/piani/%d", planID)
}

func (w *Web) planMove(step string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		v, err := FormValues(c)
		if err != nil {
			return w.failPlanAction(c, id, v, err)
		}
		ctx, actor := c.Request().Context(), w.Actor(c)
		switch step {
		case "propose":
			_, err = w.Plans.Propose(ctx, actor, id, v.Get("note"))
		case "approve":
			_, err = w.Plans.Approve(ctx, actor, id, v.Get("approve_note"))
		case "return":
			_, err = w.Plans.SendBack(ctx, actor, id, v.Get("return_note"))
			err = renamed(err, "note", "return_note")
		case "close":
			_, err = w.Plans.Close(ctx, actor, id, v.Get("note"))
		}
		if err != nil {
			return w.failPlanAction(c, id, v, err)
		}
		return SeeOther(c, back(v, id), "plan_"+step)
	}
}

// failPlanAction shows the plan page again with the refusal next to the form that caused it.
func (w *Web) failPlanAction(c echo.Context, id int64, v url.Values, err error) error {
	if e, ok := apperr.As(err); !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	p, perr := w.planPage(c, id)
	if perr != nil {
		return perr
	}
	return w.FailForm(c, "plan", p, v, err)
}

func (w *Web) amendmentOpen(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	v, err := FormValues(c)
	if err != nil {
		return w.failPlanAction(c, id, v, err)
	}
	if _, err := w.Plans.OpenAmendment(c.Request().Context(), w.Actor(c), id, v.Get("reason")); err != nil {
		return w.failPlanAction(c, id, v, err)
	}
	return SeeOther(c, fmt.Sprintf("/piani/%d", id), "amendment_opened")
}

func (w *Web) amendmentMove(step string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		aid, err := route.ID(c, "aid")
		if err != nil {
			return err
		}
		v, err := FormValues(c)
		if err != nil {
			return w.failPlanAction(c, id, v, err)
		}
		ctx, actor := c.Request().Context(), w.Actor(c)
		switch step {
		case "propose":
			_, err = w.Plans.ProposeAmendment(ctx, actor, id, aid)
		case "approve":
			_, err = w.Plans.ApproveAmendment(ctx, actor, id, aid, v.Get("amendment_approve_note"))
		case "return":
			_, err = w.Plans.SendBackAmendment(ctx, actor, id, aid, v.Get("amendment_note"))
			err = renamed(err, "note", "amendment_note")
		}
		if err != nil {
			return w.failPlanAction(c, id, v, err)
		}
		return SeeOther(c, back(v, id), "amendment_"+step)
	}
}

type approvalsData struct {
	Items []pending
}

func (w *Web) approvals(c echo.Context) error {
	p := w.NewPage(c, "page.approvals.title")
	items, err := w.waiting(c.Request().Context(), w.Actor(c))
	if err != nil {
		return err
	}
	p.Data = approvalsData{Items: items}
	p.Form = &Form{Values: url.Values{}}
	return w.Render(c, "approvals", p)
}

// planOf loads the plan an objective belongs to.
func (w *Web) planOf(ctx context.Context, actor plan.Actor, o plan.Objective) (plan.Plan, error) {
	return w.Plans.Plan(ctx, actor, o.PlanID)
}
