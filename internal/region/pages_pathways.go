package region

import (
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/web"
)

// programmeView is one programme's tables on the region's page.
type programmeView struct {
	Code, Name            string
	Open, Closed, Started tableView
}

// tableView is a districts × columns table as the template draws it, totals last.
type tableView struct {
	ID      string
	Caption string
	Columns []facts.Label
	Rows    []tableRow
	Totals  []facts.Count
	Total   facts.Count
}

type tableRow struct {
	Label facts.Label
	Href  string
	Cells []facts.Count
	Total facts.Count
}

// pathwayViews lays the region's pathways out for its page: each district's row links to
// its drill-down.
func pathwayViews(p *web.Page, region string, pw Pathways) []programmeView {
	out := make([]programmeView, 0, len(pw.Programmes))
	table := func(id, caption string, t LabelledTable) tableView {
		v := tableView{ID: id, Caption: caption, Columns: t.Columns, Totals: t.ColTotals, Total: t.Total}
		for i, d := range pw.Districts {
			v.Rows = append(v.Rows, tableRow{Label: d, Href: "/regioni/" + region + "/distretti/" + d.Code, Cells: t.Cells[i], Total: t.RowTotals[i]})
		}
		return v
	}
	for _, pt := range pw.Programmes {
		out = append(out, programmeView{Code: pt.Code, Name: pt.Name,
			Open:    table("pw-"+pt.Code+"-open", p.T("region.pathways.open", pt.Name), pt.Open),
			Closed:  table("pw-"+pt.Code+"-closed", p.T("region.pathways.closed", pt.Name), pt.Closed),
			Started: table("pw-"+pt.Code+"-started", p.T("region.pathways.started", pt.Name), pt.Started)})
	}
	return out
}

// districtProgrammeView is one programme's row of the regional tables on a district's page.
type districtProgrammeView struct {
	Code, Name            string
	Open, Closed, Started rowView
}

type rowView struct {
	Title string
	Cells []RowCount
	Total facts.Count
}

func districtProgrammeViews(p *web.Page, ps []DistrictProgramme) []districtProgrammeView {
	out := make([]districtProgrammeView, len(ps))
	for i, d := range ps {
		out[i] = districtProgrammeView{Code: d.Code, Name: d.Name,
			Open:    rowView{Title: p.T("region_district.pathways.open"), Cells: d.Open, Total: d.OpenTotal},
			Closed:  rowView{Title: p.T("region_district.pathways.closed"), Cells: d.Closed, Total: d.ClosedTotal},
			Started: rowView{Title: p.T("region_district.pathways.started"), Cells: d.Started, Total: d.StartedTotal}}
	}
	return out
}
