package web

import (
	"context"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
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
	AreaChart   BarChart
	BudgetChart BarChart
	Latest      []latestRow
}

func (w *Web) glance(p *Page, d plan.Dossier) glance {
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
	f := Formatter{p.Lang}
	count := func(v float64) string { return f.Number(v) }
	g.AreaChart = BarChart{ID: "chart-areas", Title: p.T("chart.areas.title"), Desc: p.T("chart.areas.desc"),
		CategoryLabel: p.T("chart.areas.category"), Format: count}
	objectives := Series{Name: p.T("chart.areas.objectives"), Colour: ColourCount}
	hits := Series{Name: p.T("chart.areas.on_target"), Colour: ColourOnTarget}
	for _, a := range g.Areas {
		g.AreaChart.Categories = append(g.AreaChart.Categories, a.Code+" · "+a.Name)
		objectives.Values = append(objectives.Values, float64(a.Objectives))
		hits.Values = append(hits.Values, float64(a.OnTarget))
	}
	g.AreaChart.Series = []Series{objectives, hits}
	g.BudgetChart = budgetChart(p, "chart-budget", d.BudgetBySource)
	return g
}

// budgetChart draws the money per funding source.
func budgetChart(p *Page, id string, by []plan.SourceTotals) BarChart {
	bars := make([]BudgetBar, len(by))
	for i, s := range by {
		bars[i] = BudgetBar{Source: s.Source.Name, Stanziato: s.StanziatoCents, Impegnato: s.ImpegnatoCents, Liquidato: s.LiquidatoCents}
	}
	return BudgetChart(p, id, bars)
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
	p := w.NewPage(c, "page.home.title")
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
	return w.Render(c, "home", p)
}

type platformHome struct {
	Regions []region.Region
}

func (w *Web) platformHome(c echo.Context) error {
	p := w.NewPage(c, "page.platform.title")
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
	return w.Render(c, "platform", p)
}

// regionsOf lists the regions the person oversees, as the request's actor says.
func (w *Web) regionsOf(c echo.Context) []string { return actor.From(c.Request().Context()).Regions }
