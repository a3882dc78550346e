package plan

import (
	"fmt"

	"github.com/ambiti/ambiti/internal/web"
)

// seriesCharts draws each measured indicator's series (bound ones show their own years), for
// the objective sheet: the chart, with the table of the same figures beside it.
func seriesCharts(p *web.Page, inds []Indicator) map[int64]web.LineChart {
	f := p.Format()
	out := map[int64]web.LineChart{}
	for _, in := range inds {
		if len(in.Series) == 0 {
			continue
		}
		c := web.LineChart{ID: fmt.Sprintf("chart-series-%d", in.ID), Title: p.T("series.chart_title", in.Name),
			Target: in.Target, TargetLabel: p.T("indicator.target"), Format: f.Number}
		for _, m := range in.Series {
			c.Labels = append(c.Labels, m.Period)
			c.Values = append(c.Values, m.Value)
		}
		first, last := in.Series[0], in.Series[len(in.Series)-1]
		c.Desc = p.T("series.chart_desc", len(in.Series), first.Period, f.Number(first.Value), last.Period, f.Number(last.Value))
		if in.Target != nil {
			c.Desc += " " + p.T("series.chart_desc_target", f.Number(*in.Target))
		}
		out[in.ID] = c
	}
	return out
}
