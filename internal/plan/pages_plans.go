package plan

import (
	"fmt"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

type planList struct {
	Plans  []Plan
	Total  int64
	Status string
	Filter []web.Option
}

func (pg *pages) planList(c echo.Context) error {
	p := pg.web.NewPage(c, "page.plans.title")
	st := Status(c.QueryParam("stato"))
	valid := st == ""
	for _, s := range Statuses {
		valid = valid || s == st
	}
	if !valid {
		st = ""
	}
	ps, total, err := pg.svc.Plans(c.Request().Context(), pg.actor(c), PlanFilter{Status: st, Page: Page{Limit: 200}})
	if err != nil {
		return err
	}
	opts := []web.Option{{Value: "", Label: p.T("plans.filter.all")}}
	for _, s := range Statuses {
		opts = append(opts, web.Option{Value: string(s), Label: p.T("status." + string(s))})
	}
	p.Form = &web.Form{Values: url.Values{"stato": {string(st)}}}
	p.Data = planList{Plans: ps, Total: total, Status: string(st), Filter: opts}
	return pg.web.Render(c, "plan/plans", p)
}

// planNewPage is the page of the new-plan form.
func (pg *pages) planNewPage(c echo.Context) *web.Page {
	p := pg.web.NewPage(c, "page.plan_new.title")
	p.Crumbs = []web.Crumb{{Href: "/piani", Label: p.T("nav.plans")}}
	return p
}

func (pg *pages) planNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/plan_new", web.NoContext(pg.planNewPage), nil)
}

func (pg *pages) planCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/plan_new", web.NoContext(pg.planNewPage), func(_ struct{}, v url.Values) (string, string, error) {
		in := PlanInput{Title: v.Get("title")}
		var err error
		if in.StartYear, in.EndYear, err = planYearsOf(v); err != nil {
			return "", "", formCheck(err, in.validate, planFields)
		}
		created, err := pg.svc.CreatePlan(c.Request().Context(), pg.actor(c), in)
		return fmt.Sprintf("/piani/%d", created.ID), "plan_created", err
	})
}

// areaGroup is a macro-area with its objectives, as the plan page lists them.
type areaGroup struct {
	Code, Name string
	Objectives []ObjectiveDetail
}

// planView is the plan page.
type planView struct {
	glance
	Groups     []areaGroup
	AreaFilter string
	AreaOpts   []web.Option
	History    History
	Amendment  *Amendment // the one in progress (aperta or proposta)
	Editable   bool       // content may change now (draft, or an open amendment)
	Monitoring bool       // measurements, evaluations, spending may be recorded now
	Downloads  bool
	// PendingBudget states the allocation approved and the one the amendment in progress
	// proposes, when it changes a budget; nil otherwise.
	PendingBudget *pendingBudget
}

type pendingBudget struct{ Approved, Proposed int64 }

func (v planView) Plan() Plan { return v.Dossier.Plan }

// contentEditable tells whether a plan's content may change now.
func contentEditable(pl Plan, a *Amendment) bool {
	return pl.Status == Draft || (pl.Status == Approved && a != nil && a.Status == AmendmentOpen)
}

// planView loads everything the plan page shows.
func (pg *pages) planView(c echo.Context, p *web.Page, id int64) (planView, error) {
	ctx := c.Request().Context()
	d, h, err := pg.svc.PlanPage(ctx, pg.actor(c), id)
	if err != nil {
		return planView{}, err
	}
	v := planView{glance: pg.glance(p, d), History: h, Downloads: p.Can("exports", "read")}
	for i := range h.Amendments {
		if h.Amendments[i].Status != AmendmentApproved {
			v.Amendment = &h.Amendments[i]
		}
	}
	if v.Amendment != nil {
		if ap, pr, touched := v.Amendment.PendingBudget(); touched {
			cur := d.Budget.StanziatoCents
			v.PendingBudget = &pendingBudget{Approved: cur - pr + ap, Proposed: cur}
		}
	}
	v.Editable = contentEditable(d.Plan, v.Amendment)
	v.Monitoring = d.Plan.Status != Proposed
	v.AreaFilter = c.QueryParam("area")
	v.AreaOpts = []web.Option{{Value: "", Label: p.T("plan.filter.all_areas")}}
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
			v.AreaOpts = append(v.AreaOpts, web.Option{Value: o.AreaCode, Label: o.AreaCode + " · " + name})
		}
		if v.AreaFilter == "" || v.AreaFilter == o.AreaCode {
			v.Groups[i].Objectives = append(v.Groups[i].Objectives, o)
		}
	}
	return v, nil
}

// planPage prepares the plan page (also to show it again after a refused action).
func (pg *pages) planPage(c echo.Context, id int64) (*web.Page, error) {
	p := pg.web.NewPage(c, "page.plan.title")
	v, err := pg.planView(c, p, id)
	if err != nil {
		return nil, err
	}
	p.Title = v.Dossier.Plan.Title
	p.Crumbs = []web.Crumb{{Href: "/piani", Label: p.T("nav.plans")}}
	p.Data = v
	p.Form = &web.Form{Values: url.Values{"area": {v.AreaFilter}}}
	return p, nil
}

func (pg *pages) planShow(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	p, err := pg.planPage(c, id)
	if err != nil {
		return err
	}
	return pg.web.Render(c, "plan/plan", p)
}

// renamed gives an error the name of the form field it belongs to on a page where several
// forms have a field of the same name.
func renamed(err error, from, to string) error {
	return mapFields(err, func(field string) string {
		if field == from {
			return to
		}
		return field
	})
}

// back is where a workflow action returns to: the approvals page when it came from there.
func back(v url.Values, planID int64) string {
	if v.Get("from") == "approvazioni" {
		return "/approvazioni"
	}
	return fmt.Sprintf("/piani/%d", planID)
}

func (pg *pages) planMove(step Step) echo.HandlerFunc {
	// Each step's form has its own note field, so that a refusal shows next to its button.
	field := map[Step]string{StepPropose: "note", StepApprove: "approve_note", StepReturn: "return_note", StepClose: "note"}[step]
	return pg.workflowStep("plan_"+string(step), func(c echo.Context, id int64, v url.Values) error {
		if step == StepApprove {
			return pg.approvePlan(c, id, v)
		}
		if err := pg.askFirst(c, step, id, v); err != nil {
			return err
		}
		_, err := pg.svc.MovePlan(c.Request().Context(), pg.actor(c), id, step, v.Get(field))
		return renamed(err, "note", field)
	})
}

// workflowStep is a workflow button of the plan page: it reads the form, calls move, and goes
// back to the plan (or to the approvals page it came from), or shows the plan again with the
// refusal next to the form that caused it.
func (pg *pages) workflowStep(done string, move func(c echo.Context, planID int64, v url.Values) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		v, err := web.FormValues(c)
		if err == nil {
			err = move(c, id, v)
		}
		if ask, ok := err.(needsConfirm); ok {
			return pg.confirm(c, id, v, confirmData(ask))
		}
		if err != nil {
			return pg.failPlanAction(c, id, v, err)
		}
		return web.SeeOther(c, back(v, id), done)
	}
}

// failPlanAction shows the plan page again with the refusal next to the form that caused it.
func (pg *pages) failPlanAction(c echo.Context, id int64, v url.Values, err error) error {
	if e, ok := apperr.As(err); !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	p, perr := pg.planPage(c, id)
	if perr != nil {
		return perr
	}
	return pg.web.FailForm(c, "plan/plan", p, v, err)
}

// planYearsOf reads the start and end years of a plan form (new plan, copy of a plan).
func planYearsOf(v url.Values) (start, end int, err error) {
	return planYears(func() (int, error) {
		return web.RequiredInt(v, "start_year", "Indicare l'anno di inizio (es. 2024)", "Enter the start year (e.g. 2024)")
	}, func() (int, error) {
		return web.RequiredInt(v, "end_year", "Indicare l'anno di fine (es. 2026)", "Enter the end year (e.g. 2026)")
	})
}
