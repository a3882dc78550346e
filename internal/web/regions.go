package web

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/region"
)

var errNoRegion = apperr.New(apperr.NotFound, "regione non trovata", "no such region")

// regionOf returns the region of the path, which the guard has already let the person read.
func (w *Web) regionOf(c echo.Context) (region.Region, error) {
	rs, err := w.Regions.Regions(c.Request().Context(), []string{c.Param("region")})
	if err != nil {
		return region.Region{}, err
	}
	if len(rs) != 1 {
		return region.Region{}, errNoRegion
	}
	return rs[0], nil
}

type regionView struct {
	Region      region.Region
	Districts   []region.Summary
	SpendChart  BarChart
	TargetChart BarChart
}

func (w *Web) regionShow(c echo.Context) error {
	r, err := w.regionOf(c)
	if err != nil {
		return err
	}
	ds, err := w.Regions.Districts(c.Request().Context(), r.Slug)
	if err != nil {
		return err
	}
	p := w.NewPage(c, "page.region.title")
	p.Title = r.Name
	f := Formatter{p.Lang}
	pctLabel := func(v *float64) string { return f.Pct(v) }
	v := regionView{Region: r, Districts: ds}
	v.SpendChart = BarChart{ID: "chart-spend", Title: p.T("chart.spend.title"), Desc: p.T("chart.spend.desc"),
		CategoryLabel: p.T("chart.spend.category"), Max: 100}
	im := Series{Name: p.T("budget.impegnato_pct"), Colour: ColourImpegnato}
	li := Series{Name: p.T("budget.liquidato_pct"), Colour: ColourLiquidato}
	v.TargetChart = BarChart{ID: "chart-target", Title: p.T("chart.target.title"), Desc: p.T("chart.target.desc"),
		CategoryLabel: p.T("chart.target.category"), Max: 100}
	ot := Series{Name: p.T("region.on_target_pct"), Colour: ColourOnTarget}
	av := Series{Name: p.T("region.avg_achievement"), Colour: ColourCount}
	val := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	for _, d := range ds {
		v.SpendChart.Categories = append(v.SpendChart.Categories, d.Name)
		im.Values = append(im.Values, val(d.Budget.ImpegnatoPct))
		li.Values = append(li.Values, val(d.Budget.LiquidatoPct))
		v.TargetChart.Categories = append(v.TargetChart.Categories, d.Name)
		ot.Values = append(ot.Values, val(d.OnTargetShare))
		av.Values = append(av.Values, val(d.AvgAchievement))
	}
	v.SpendChart.Series = []Series{im, li}
	v.SpendChart.Labels = func(s, i int) string {
		if s == 0 {
			return pctLabel(ds[i].Budget.ImpegnatoPct)
		}
		return pctLabel(ds[i].Budget.LiquidatoPct)
	}
	v.TargetChart.Series = []Series{ot, av}
	v.TargetChart.Labels = func(s, i int) string {
		if s == 0 {
			return pctLabel(ds[i].OnTargetShare)
		}
		return pctLabel(ds[i].AvgAchievement)
	}
	p.Data = v
	return w.Render(c, "region", p)
}

type districtView struct {
	Region      region.Region
	Detail      region.Detail
	BudgetChart BarChart
	Types       []string
}

func (w *Web) regionDistrict(c echo.Context) error {
	r, err := w.regionOf(c)
	if err != nil {
		return err
	}
	d, err := w.Regions.District(c.Request().Context(), r.Slug, c.Param("slug"))
	if err != nil {
		return err
	}
	p := w.NewPage(c, "page.region_district.title")
	p.Title = d.Name
	p.Crumbs = []Crumb{{"/regioni/" + r.Slug, r.Name}}
	v := districtView{Region: r, Detail: d, Types: plan.ParticipantTypes}
	v.BudgetChart = budgetChart(p, "chart-district-budget", d.BudgetBySource)
	p.Data = v
	return w.Render(c, "region_district", p)
}
