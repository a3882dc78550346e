package plan

import (
	"html/template"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/web"
)

// areaRow is one macro-area of the plan at a glance.
type areaRow struct {
	Code, Name     string
	Objectives     int
	OnTarget       int
	AvgAchievement *float64
	Assessed       int // objectives there is anything to judge on target by (coverage.go)
	Evaluated      int // objectives with a grado di raggiungimento: the base of AvgAchievement
}

// latestRow is a recent measurement.
type latestRow struct {
	ObjectiveID    int64
	ObjectiveTitle string
	Indicator      Indicator
}

// glance is the plan at a glance, as the district home and the plan page show it.
type glance struct {
	Dossier     Dossier
	Areas       []areaRow
	Indicators  int
	OnTarget    int
	Assessed    int // the base of OnTarget: "3 su 37 obiettivi valutabili"
	Evaluated   int
	Threshold   int // the grado di raggiungimento that counts as on target
	AreaChart   web.BarChart
	BudgetChart web.BarChart
	Latest      []latestRow
}

func (pg *pages) glance(p *web.Page, d Dossier) glance {
	g := glance{Dossier: d, Threshold: OnTargetThreshold}
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
		if o.Assessed() {
			g.Areas[i].Assessed++
			g.Assessed++
		}
		if ach != nil {
			sums[o.AreaCode] = append(sums[o.AreaCode], *ach)
			g.Areas[i].Evaluated++
			g.Evaluated++
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
	f := p.Format()
	count := func(v float64) string { return f.Number(v) }
	g.AreaChart = web.BarChart{ID: "chart-areas", Title: p.T("chart.areas.title"), Desc: p.T("chart.areas.desc"),
		CategoryLabel: p.T("chart.areas.category"), Format: count}
	objectives := web.Series{Name: p.T("chart.areas.objectives"), Colour: web.ColourCount}
	hits := web.Series{Name: p.T("chart.areas.on_target"), Colour: web.ColourOnTarget}
	for _, a := range g.Areas {
		g.AreaChart.Categories = append(g.AreaChart.Categories, a.Code+" · "+a.Name)
		objectives.Values = append(objectives.Values, float64(a.Objectives))
		hits.Values = append(hits.Values, float64(a.OnTarget))
	}
	g.AreaChart.Series = []web.Series{objectives, hits}
	g.BudgetChart = budgetChart(p, "chart-budget", d.BudgetBySource)
	return g
}

// budgetChart draws the money per funding source.
func budgetChart(p *web.Page, id string, by []SourceTotals) web.BarChart {
	bars := make([]web.BudgetBar, len(by))
	for i, s := range by {
		bars[i] = web.BudgetBar{Source: s.Source.Name, Stanziato: s.StanziatoCents, Impegnato: s.ImpegnatoCents, Liquidato: s.LiquidatoCents}
	}
	return web.BudgetChart(p, id, bars)
}

type districtHome struct {
	Glance      template.HTML // the current plan at a glance (home_glance), kept per data version
	Plans       []Plan
	Waiting     []pending
	Assignments []Assignment
	Returned    []returned // sent back by the Assemblea, with its note (for the Ufficio di Piano)
}

func (pg *pages) districtHome(c echo.Context) error {
	p := pg.web.NewPage(c, "page.home.title")
	ctx := c.Request().Context()
	var d districtHome
	if p.User != nil && p.Can("plan", "read") {
		h, err := pg.svc.Home(ctx, pg.actor(c), p.Can("plan", "propose"))
		if err != nil {
			return err
		}
		d.Plans, d.Waiting = h.Plans, pendingOf(h.Waiting)
		if h.Current != nil {
			if d.Glance, err = pg.homeGlance(p, h); err != nil {
				return err
			}
		}
		if p.Can("plan", "propose") {
			d.Returned = returnedOf(h.Plans, h.Reopened)
		}
	}
	if p.User != nil && !p.Can("plan", "read") && p.Can("assignments", "read") {
		as, _, err := pg.svc.Assignments(ctx, pg.actor(c), 0, Page{Limit: 50})
		if err != nil {
			return err
		}
		d.Assignments = as
	}
	p.Data = d
	return pg.web.Render(c, "plan/home", p)
}

// glanceKey names a kept glance: a district's, in a language.
type glanceKey struct{ slug, lang string }

// homeGlance is the current plan at a glance as HTML, rendered once per district, language and
// data version: with the Home's data kept too, a home page at the same version reads one
// small row and renders little more than the layout.
func (pg *pages) homeGlance(p *web.Page, h Home) (template.HTML, error) {
	key := glanceKey{slug: h.Current.District.Slug, lang: p.Lang}
	if html, ok := pg.glances.at(key, h.Version); ok {
		return html, nil
	}
	html, err := pg.web.Fragment(p, "plan/home", "home_glance", pg.glance(p, *h.Current))
	if err != nil {
		return "", err
	}
	pg.glances.put(key, h.Version, html)
	return html, nil
}
