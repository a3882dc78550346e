package web

import (
	"context"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/region"
)

// pending is something waiting for the Assemblea: a proposed plan, or a proposed amendment of
// an approved plan.
type pending struct {
	Plan      plan.Plan
	Amendment *plan.Amendment
}

// waiting lists what waits for the Assemblea's decision.
func (w *Web) waiting(ctx context.Context, actor plan.Actor) ([]pending, error) {
	var out []pending
	proposed, _, err := w.Plans.Plans(ctx, actor, plan.PlanFilter{Status: plan.Proposed, Page: plan.Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	for _, p := range proposed {
		out = append(out, pending{Plan: p})
	}
	approved, _, err := w.Plans.Plans(ctx, actor, plan.PlanFilter{Status: plan.Approved, Page: plan.Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	for _, p := range approved {
		as, err := w.Plans.Amendments(ctx, actor, p.ID)
		if err != nil {
			return nil, err
		}
		for i := range as {
			if as[i].Status == plan.AmendmentProposed {
				out = append(out, pending{Plan: p, Amendment: &as[i]})
			}
		}
	}
	return out, nil
}

// areaRow is one macro-area of the plan at a glance.
type areaRow struct {
	Code, Name     string
	Objectives     int
	OnTarget       int
	AvgAchievement *float64
}

// latestRow is a recent measurement.
type latestRow struct {
	ObjectiveID    int64
	ObjectiveTitle string
	Indicator      plan.Indicator
}

// glance is the plan at a glance, as the district home and the plan page show it.
type glance struct {
	Dossier     plan.Dossier
	Areas       []areaRow
	Indicators  int
	OnTarget    int
	AreaChart   barChart
	BudgetChart barChart
	Latest      []latestRow
}

func (w *Web) glance(p *page, d plan.Dossier) glance {
	g := glance{Dossier: d}
	idx := map[string]int{}
	sums := map[string][]int{}
	for _, o := range d.Objectives {
		i, ok := idx[o.AreaCode]
		if !ok {
			i = len(g.Areas)
			idx[o.AreaCode] = i
			name := o.AreaName
			if name == "" {
				name = o.AreaCode
			}
			g.Areas = append(g.Areas, areaRow{Code: o.AreaCode, Name: name})
		}
		g.Areas[i].Objectives++
		hit, ach, _ := o.OnTarget()
		if hit {
			g.Areas[i].OnTarget++
			g.OnTarget++
		}
		if ach != nil {
			sums[o.AreaCode] = append(sums[o.AreaCode], *ach)
		}
		g.Indicators += len(o.Indicators)
		for _, in := range o.Indicators {
			if in.Latest != nil {
				g.Latest = append(g.Latest, latestRow{ObjectiveID: o.ID, ObjectiveTitle: o.Title, Indicator: in})
			}
		}
	}
	sort.SliceStable(g.Areas, func(i, j int) bool { return g.Areas[i].Code < g.Areas[j].Code })
	for i := range g.Areas {
		if xs := sums[g.Areas[i].Code]; len(xs) > 0 {
			t := 0
			for _, x := range xs {
				t += x
			}
			v := float64(t) / float64(len(xs))
			g.Areas[i].AvgAchievement = &v
		}
	}
	sort.SliceStable(g.Latest, func(i, j int) bool {
		return g.Latest[i].Indicator.Latest.RecordedAt.After(g.Latest[j].Indicator.Latest.RecordedAt)
	})
	if len(g.Latest) > 8 {
		g.Latest = g.Latest[:8]
	}
	f := formatter{p.Lang}
	count := func(v float64) string { return f.number(v) }
	g.AreaChart = barChart{ID: "chart-areas", Title: p.T("chart.areas.title"), Desc: p.T("chart.areas.desc"),
		CategoryLabel: p.T("chart.areas.category"), Format: count}
	objectives := series{Name: p.T("chart.areas.objectives"), Colour: colourCount}
	hits := series{Name: p.T("chart.areas.on_target"), Colour: colourOnTarget}
	for _, a := range g.Areas {
		g.AreaChart.Categories = append(g.AreaChart.Categories, a.Code+" · "+a.Name)
		objectives.Values = append(objectives.Values, float64(a.Objectives))
		hits.Values = append(hits.Values, float64(a.OnTarget))
	}
	g.AreaChart.Series = []series{objectives, hits}
	g.BudgetChart = budgetChart(p, "chart-budget", d.BudgetBySource)
	return g
}

// budgetChart draws stanziato, impegnato and liquidato per funding source.
func budgetChart(p *page, id string, by []plan.SourceTotals) barChart {
	f := formatter{p.Lang}
	c := barChart{ID: id, Title: p.T("chart.budget.title"), Desc: p.T("chart.budget.desc"), CategoryLabel: p.T("chart.budget.category"),
		Format: func(v float64) string { return f.cents(int64(v)) }}
	st := series{Name: p.T("budget.stanziato"), Colour: colourStanziato}
	im := series{Name: p.T("budget.impegnato"), Colour: colourImpegnato}
	li := series{Name: p.T("budget.liquidato"), Colour: colourLiquidato}
	for _, s := range by {
		c.Categories = append(c.Categories, s.Source.Name)
		st.Values = append(st.Values, float64(s.StanziatoCents))
		im.Values = append(im.Values, float64(s.ImpegnatoCents))
		li.Values = append(li.Values, float64(s.LiquidatoCents))
	}
	c.Series = []series{st, im, li}
	return c
}

// currentPlan is the plan a district works on: the one in force, else the newest.
func currentPlan(ps []plan.Plan) *plan.Plan {
	for i := range ps {
		if ps[i].Status == plan.Approved {
			return &ps[i]
		}
	}
	if len(ps) > 0 {
		return &ps[0]
	}
	return nil
}

type districtHome struct {
	Glance      *glance
	Plans       []plan.Plan
	Waiting     []pending
	Assignments []plan.Assignment
}

func (w *Web) districtHome(c echo.Context) error {
	p := w.newPage(c, "page.home.title")
	ctx := c.Request().Context()
	var d districtHome
	if p.User != nil && p.Can("plan", "read") {
		ps, _, err := w.Plans.Plans(ctx, w.Actor(c), plan.PlanFilter{Page: plan.Page{Limit: 50}})
		if err != nil {
			return err
		}
		d.Plans = ps
		if cur := currentPlan(ps); cur != nil {
			dos, err := w.Plans.Dossier(ctx, w.Actor(c), cur.ID)
			if err != nil {
				return err
			}
			g := w.glance(p, dos)
			d.Glance = &g
		}
		if d.Waiting, err = w.waiting(ctx, w.Actor(c)); err != nil {
			return err
		}
	}
	if p.User != nil && !p.Can("plan", "read") && p.Can("assignments", "read") {
		as, _, err := w.Plans.Assignments(ctx, w.Actor(c), 0, plan.Page{Limit: 50})
		if err != nil {
			return err
		}
		d.Assignments = as
	}
	p.Data = d
	return w.render(c, "home", p)
}

type platformHome struct {
	Regions []region.Region
}

func (w *Web) platformHome(c echo.Context) error {
	p := w.newPage(c, "page.platform.title")
	var d platformHome
	if p.User != nil && w.Regions != nil {
		if slugs := w.regionsOf(c); len(slugs) > 0 {
			rs, err := w.Regions.Regions(c.Request().Context(), slugs)
			if err != nil {
				return err
			}
			d.Regions = rs
		}
	}
	p.Data = d
	return w.render(c, "platform", p)
}

type profileData struct {
	Roles       []string
	Permissions []authz.Permission
	Domains     map[string][]string
}

func (w *Web) profile(c echo.Context) error {
	p := w.newPage(c, "page.profile.title")
	d := profileData{}
	if p.User != nil && w.Authz != nil {
		dom := domain(c)
		d.Roles = w.Authz.Roles(p.User.IdentityID, dom)
		d.Permissions = w.Authz.Permissions(p.User.IdentityID, dom)
		if p.District == nil {
			d.Domains = w.Authz.Domains(p.User.IdentityID)
		}
	}
	p.Data = d
	return w.render(c, "profile", p)
}
