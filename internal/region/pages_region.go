package region

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

var errNoRegion = apperr.New(apperr.NotFound, "regione non trovata", "no such region")

// regionOf returns the region of the path, which the guard has already let the person read.
func (pg *pages) regionOf(c echo.Context) (Region, error) {
	rs, err := pg.store.Regions(c.Request().Context(), []string{c.Param("region")})
	if err != nil {
		return Region{}, err
	}
	if len(rs) != 1 {
		return Region{}, errNoRegion
	}
	return rs[0], nil
}

type regionView struct {
	Region      Region
	Totals      Totals
	Districts   []Summary // a page of the table
	Prev, Next  string    // the neighbouring pages' addresses, when there are
	From, To    int       // the page's districts, counted from 1
	Programmes  []programmeView
	SpendChart  web.BarChart
	TargetChart web.BarChart
}

func (pg *pages) regionShow(c echo.Context) error {
	r, err := pg.regionOf(c)
	if err != nil {
		return err
	}
	// The table and its charts are a page of the districts with the region's totals (one
	// query, flat in the number of districts); the pathways' tables have every district as a
	// row, suppressed across them, and read the pathways section of each.
	page, perPage, err := paging(c)
	if err != nil {
		return err
	}
	tp, err := pg.store.Page(c.Request().Context(), r.Slug, page, perPage)
	if err != nil {
		return err
	}
	pw, err := pg.store.Pathways(c.Request().Context(), r.Slug)
	if err != nil {
		return err
	}
	ds := tp.Districts
	p := pg.web.NewPage(c, "page.region.title")
	p.Title = r.Name
	f := p.Format()
	pctLabel := func(v *float64) string {
		if v == nil {
			return p.T("kpi.nd") // nothing to count: not 0%
		}
		return f.Pct(v)
	}
	v := regionView{Region: r, Totals: tp.Totals, Districts: ds, Programmes: pathwayViews(p, r.Slug, pw)}
	v.From, v.To = (tp.Page-1)*tp.PerPage+1, (tp.Page-1)*tp.PerPage+len(ds)
	pageURL := func(n int) string {
		u := fmt.Sprintf("/regioni/%s?page=%d", r.Slug, n)
		if tp.PerPage != DefaultPerPage {
			u += fmt.Sprintf("&per_page=%d", tp.PerPage)
		}
		return u
	}
	if tp.Page > 1 {
		v.Prev = pageURL(tp.Page - 1)
	}
	if tp.Page*tp.PerPage < tp.Totals.Districts {
		v.Next = pageURL(tp.Page + 1)
	}
	v.SpendChart = web.BarChart{ID: "chart-spend", Title: p.T("chart.spend.title"), Desc: p.T("chart.spend.desc"),
		CategoryLabel: p.T("chart.spend.category"), Max: 100}
	im := web.Series{Name: p.T("budget.impegnato_pct"), Colour: web.ColourImpegnato}
	li := web.Series{Name: p.T("budget.liquidato_pct"), Colour: web.ColourLiquidato}
	v.TargetChart = web.BarChart{ID: "chart-target", Title: p.T("chart.target.title"), Desc: p.T("chart.target.desc"),
		CategoryLabel: p.T("chart.target.category"), Max: 100}
	ot := web.Series{Name: p.T("region.on_target_pct"), Colour: web.ColourOnTarget}
	av := web.Series{Name: p.T("region.avg_achievement"), Colour: web.ColourCount}
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
	v.SpendChart.Series = []web.Series{im, li}
	v.SpendChart.Labels = func(s, i int) string {
		if s == 0 {
			return pctLabel(ds[i].Budget.ImpegnatoPct)
		}
		return pctLabel(ds[i].Budget.LiquidatoPct)
	}
	v.TargetChart.Series = []web.Series{ot, av}
	v.TargetChart.Labels = func(s, i int) string {
		if s == 0 {
			return pctLabel(ds[i].OnTargetShare)
		}
		return pctLabel(ds[i].AvgAchievement)
	}
	p.Data = v
	return pg.web.Render(c, "region/region", p)
}

type districtView struct {
	Region      Region
	Detail      Detail
	BudgetChart web.BarChart
	Types       []string
	Programmes  []districtProgrammeView
}

func (pg *pages) regionDistrict(c echo.Context) error {
	r, err := pg.regionOf(c)
	if err != nil {
		return err
	}
	d, err := pg.store.District(c.Request().Context(), r.Slug, c.Param("slug"))
	if err != nil {
		return err
	}
	p := pg.web.NewPage(c, "page.region_district.title")
	p.Title = d.Name
	p.Crumbs = []web.Crumb{{Href: "/regioni/" + r.Slug, Label: r.Name}}
	v := districtView{Region: r, Detail: d, Types: d.ParticipantTypes}
	bars := make([]web.BudgetBar, len(d.BudgetBySource))
	for i, s := range d.BudgetBySource {
		bars[i] = web.BudgetBar{Source: s.Source.Name, Stanziato: s.StanziatoCents, Impegnato: s.ImpegnatoCents, Liquidato: s.LiquidatoCents}
	}
	v.BudgetChart = web.BudgetChart(p, "chart-district-budget", bars)
	v.Programmes = districtProgrammeViews(p, d.Programmes)
	p.Data = v
	return pg.web.Render(c, "region/region_district", p)
}
