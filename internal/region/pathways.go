package region

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ambiti/ambiti/internal/facts"
)

// Pathways are a region's pathways per programme, every table with the region's districts as
// rows (in Districts' order) and suppressed across them (facts.SuppressTable): what the page,
// the exports and /api/v1/regions/{region}/pathways show.
type Pathways struct {
	Districts  []facts.Label     `json:"districts"` // code: the district's slug
	Programmes []ProgrammeTables `json:"programmes"`
}

// ProgrammeTables are one programme's tables across the region's districts.
type ProgrammeTables struct {
	Code    string        `json:"code"`
	Name    string        `json:"name"`
	Open    LabelledTable `json:"open"`    // open pathways by stage
	Closed  LabelledTable `json:"closed"`  // closed pathways by closure reason
	Started LabelledTable `json:"started"` // pathways started (engaged) by calendar year
}

// LabelledTable is a suppressed table with its columns' labels; its rows are the districts.
type LabelledTable struct {
	Columns []facts.Label `json:"columns"`
	facts.Table
}

// DistrictProgramme is one district's row of a programme's tables, for the drill-down.
type DistrictProgramme struct {
	Code    string     `json:"code"`
	Name    string     `json:"name"`
	Open    []RowCount `json:"open"`
	Closed  []RowCount `json:"closed"`
	Started []RowCount `json:"started"`
	// The row's totals, as the regional table shows them.
	OpenTotal    facts.Count `json:"open_total"`
	ClosedTotal  facts.Count `json:"closed_total"`
	StartedTotal facts.Count `json:"started_total"`
}

// RowCount is one cell of a district's row, with its column's label.
type RowCount struct {
	facts.Label
	Count facts.Count `json:"count"`
}

// pathwayFacts decodes the pathways section of each district (a district without it, or with
// it in another version, counts nothing).
func pathwayFacts(ds []facts.District) ([]facts.PathwaysSummary, error) {
	out := make([]facts.PathwaysSummary, len(ds))
	for i, d := range ds {
		if _, err := d.Sections[facts.PathwaysSection].Decode(facts.PathwaysVersion, &out[i], nil); err != nil {
			return nil, fmt.Errorf("region: pathway facts of %s: %w", d.Slug, err)
		}
	}
	return out, nil
}

// split parses a "programme:code" key.
func split(key string) (programme, code string) {
	p, c, _ := strings.Cut(key, ":")
	return p, c
}

// regionPathways builds the region's tables from its districts' facts. Labels come from the
// facts' Programmes (the first district that has them; the programme definitions are the
// platform's, the same everywhere); a code the labels miss — or every code, in facts written
// before the labels were — shows as itself.
func regionPathways(ds []facts.District, pw []facts.PathwaysSummary) Pathways {
	out := Pathways{Districts: make([]facts.Label, len(ds)), Programmes: []ProgrammeTables{}}
	for i, d := range ds {
		out.Districts[i] = facts.Label{Code: d.Slug, Name: d.Name}
	}
	codes := map[string]bool{}
	for _, s := range pw {
		for p := range s.Programmes {
			codes[p] = true
		}
		for _, m := range []map[string]int{s.Open, s.Closed} {
			for k := range m {
				p, _ := split(k)
				codes[p] = true
			}
		}
	}
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		out.Programmes = append(out.Programmes, programmeTables(code, pw))
	}
	return out
}

func programmeTables(code string, pw []facts.PathwaysSummary) ProgrammeTables {
	pt := ProgrammeTables{Code: code, Name: code}
	var stages, reasons []facts.Label
	years := map[string]bool{}
	for _, s := range pw {
		pf, ok := s.Programmes[code]
		if !ok {
			continue
		}
		if pt.Name == code && pf.Name != "" {
			pt.Name = pf.Name
		}
		if stages == nil && len(pf.Stages) > 0 {
			stages = pf.Stages
		}
		if reasons == nil && len(pf.Reasons) > 0 {
			reasons = pf.Reasons
		}
		for y := range pf.Years {
			years[y] = true
		}
	}
	stages = withSeen(stages, code, pw, func(s facts.PathwaysSummary) map[string]int { return s.Open })
	reasons = withSeen(reasons, code, pw, func(s facts.PathwaysSummary) map[string]int { return s.Closed })
	var yearCols []facts.Label
	for _, y := range slices.Sorted(maps.Keys(years)) {
		yearCols = append(yearCols, facts.Label{Code: y, Name: y})
	}
	pt.Open = countTable(stages, pw, func(s facts.PathwaysSummary, col string) int { return s.Open[code+":"+col] })
	pt.Closed = countTable(reasons, pw, func(s facts.PathwaysSummary, col string) int { return s.Closed[code+":"+col] })
	pt.Started = countTable(yearCols, pw, func(s facts.PathwaysSummary, col string) int {
		return s.Programmes[code].Years[col].Started
	})
	return pt
}

// withSeen appends to labels the codes of programme found in the counts but not among them,
// sorted, labelled by their code.
func withSeen(labels []facts.Label, programme string, pw []facts.PathwaysSummary, counts func(facts.PathwaysSummary) map[string]int) []facts.Label {
	out := append([]facts.Label{}, labels...)
	known := map[string]bool{}
	for _, l := range labels {
		known[l.Code] = true
	}
	extra := map[string]bool{}
	for _, s := range pw {
		for k := range counts(s) {
			if p, c := split(k); p == programme && !known[c] {
				extra[c] = true
			}
		}
	}
	for _, c := range slices.Sorted(maps.Keys(extra)) {
		out = append(out, facts.Label{Code: c, Name: c})
	}
	return out
}

// countTable fills a districts × columns table with count and suppresses it.
func countTable(cols []facts.Label, pw []facts.PathwaysSummary, count func(facts.PathwaysSummary, string) int) LabelledTable {
	cells := make([][]int, len(pw))
	for r, s := range pw {
		cells[r] = make([]int, len(cols))
		for c, l := range cols {
			cells[r][c] = count(s, l.Code)
		}
	}
	t := facts.SuppressTable(cells)
	if cols == nil {
		cols = []facts.Label{}
	}
	return LabelledTable{Columns: cols, Table: t}
}

// districtMaps are district i's counts keyed as its facts key them ("programme:stage",
// "programme:reason"), suppressed as the region's tables are: the keys the district's facts
// hold, nothing more.
func districtMaps(p Pathways, i int, own facts.PathwaysSummary) (open, closed map[string]facts.Count) {
	open, closed = map[string]facts.Count{}, map[string]facts.Count{}
	for _, pt := range p.Programmes {
		for c, l := range pt.Open.Columns {
			if _, ok := own.Open[pt.Code+":"+l.Code]; ok {
				open[pt.Code+":"+l.Code] = pt.Open.Cells[i][c]
			}
		}
		for c, l := range pt.Closed.Columns {
			if _, ok := own.Closed[pt.Code+":"+l.Code]; ok {
				closed[pt.Code+":"+l.Code] = pt.Closed.Cells[i][c]
			}
		}
	}
	return open, closed
}

// districtRow is district i's row of every programme's tables.
func districtRow(p Pathways, i int) []DistrictProgramme {
	out := make([]DistrictProgramme, 0, len(p.Programmes))
	row := func(t LabelledTable) []RowCount {
		rc := make([]RowCount, len(t.Columns))
		for c, l := range t.Columns {
			rc[c] = RowCount{Label: l, Count: t.Cells[i][c]}
		}
		return rc
	}
	for _, pt := range p.Programmes {
		out = append(out, DistrictProgramme{Code: pt.Code, Name: pt.Name, Open: row(pt.Open), Closed: row(pt.Closed), Started: row(pt.Started),
			OpenTotal: pt.Open.RowTotals[i], ClosedTotal: pt.Closed.RowTotals[i], StartedTotal: pt.Started.RowTotals[i]})
	}
	return out
}
