package plan

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The next triennium from the last: a form on a plan that starts a new draft as its copy
// (CopyPlan), with the objectives to propose again chosen as the evaluation sheets say.

func (pg *pages) copyRoutes() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/piani/:id/riproponi", route.OnDistrict, "plan", "write",
			"Nuovo piano dal precedente (modulo) / New plan from the previous one (form)", pg.planCopyForm),
		web.PageRoute(http.MethodPost, "/piani/:id/riproponi", route.OnDistrict, "plan", "write",
			"Nuovo piano dal precedente / New plan from the previous one", pg.planCopy),
	}
}

// copyView is the form of a new plan from a previous one.
type copyView struct {
	From       Plan
	Objectives []ObjectiveDetail
	Default    map[int64]bool // proposed again unless the latest evaluation says no
}

// Checked says whether an objective's box is ticked: as submitted, or by default.
func (v copyView) Checked(f *web.Form, id int64) bool {
	if f != nil && f.Values.Has("submitted") {
		return slices.Contains(f.Values["objectives"], strconv.FormatInt(id, 10))
	}
	return v.Default[id]
}

func (pg *pages) copyPage(c echo.Context) (*web.Page, Plan, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return nil, Plan{}, err
	}
	d, err := pg.svc.Dossier(c.Request().Context(), pg.actor(c), id)
	if err != nil {
		return nil, Plan{}, err
	}
	p := pg.web.NewPage(c, "page.plan_copy.title")
	p.Crumbs = []web.Crumb{{Href: "/piani", Label: p.T("nav.plans")}, {Href: fmt.Sprintf("/piani/%d", d.Plan.ID), Label: d.Plan.Title}}
	v := copyView{From: d.Plan, Objectives: d.Objectives, Default: map[int64]bool{}}
	for _, o := range d.Objectives {
		v.Default[o.ID] = ProposedAgainByDefault(o.Evaluations)
	}
	p.Data = v
	return p, d.Plan, nil
}

func (pg *pages) planCopyForm(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/plan_copy", pg.copyPage, func(from Plan) url.Values {
		span := from.EndYear - from.StartYear
		start := from.EndYear + 1
		return url.Values{"title": {fmt.Sprintf("Piano di Zona %d-%d", start, start+span)},
			"start_year": {strconv.Itoa(start)}, "end_year": {strconv.Itoa(start + span)}}
	})
}

func (pg *pages) planCopy(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/plan_copy", pg.copyPage, func(from Plan, v url.Values) (string, string, error) {
		in := CopyInput{PlanInput: PlanInput{Title: v.Get("title")}, Objectives: []int64{}}
		var ps problems
		var err error
		in.StartYear, in.EndYear, err = planYearsOf(v)
		ps.add(err)
		for _, s := range v["objectives"] {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				ps.add(apperr.Invalidf("objectives", "Scegliere gli obiettivi dall'elenco", "Choose the objectives from the list"))
			}
			in.Objectives = append(in.Objectives, id)
		}
		if err := ps.err(); err != nil {
			return "", "", formCheck(err, in.validate, append(planFields, "objectives"))
		}
		created, err := pg.svc.CopyPlan(c.Request().Context(), pg.actor(c), from.ID, in)
		return fmt.Sprintf("/piani/%d", created.ID), "plan_copied", err
	})
}
