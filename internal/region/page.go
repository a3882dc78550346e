package region

import (
	"context"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
)

// Totals are a region's figures added up over its active districts, as they may be shown: the
// rollup kept in the write transactions (facts.RegionTotals), its ratios computed, its count of
// people suppressed as the column total of the districts' own (facts.RegionTotals.ParticipantsCount).
type Totals struct {
	Districts         int                `json:"districts"`
	DistrictsWithPlan int                `json:"districts_with_plan"`
	Objectives        int                `json:"objectives"`
	OnTarget          int                `json:"objectives_on_target"`
	OnTargetShare     *float64           `json:"on_target_pct"`
	Assessed          int                `json:"objectives_assessed"`
	Evaluated         int                `json:"objectives_evaluated"`
	Budget            facts.BudgetTotals `json:"budget"`
	Meetings          int                `json:"meetings"`
	Participants      facts.Count        `json:"participants"`
}

func totalsOf(t facts.RegionTotals) Totals {
	b := facts.BudgetTotals{StanziatoCents: t.StanziatoCents, ImpegnatoCents: t.ImpegnatoCents, LiquidatoCents: t.LiquidatoCents,
		ImpegnatoPct: percent(t.ImpegnatoCents, t.StanziatoCents), LiquidatoPct: percent(t.LiquidatoCents, t.StanziatoCents),
		LiquidatoSuImpegnato: percent(t.LiquidatoCents, t.ImpegnatoCents)}
	return Totals{Districts: t.Districts, DistrictsWithPlan: t.DistrictsWithPlan, Objectives: t.Objectives, OnTarget: t.OnTarget,
		OnTargetShare: percent(int64(t.OnTarget), int64(t.Objectives)), Assessed: t.Assessed, Evaluated: t.Evaluated,
		Budget: b, Meetings: t.Meetings, Participants: t.ParticipantsCount()}
}

// percent is part/whole in percent rounded half away from zero to one decimal, in integers,
// as the plan computes its own ratios (plan.Percent); nil when whole is zero.
func percent(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	v := float64((part*1000*2+whole)/(2*whole)) / 10
	return &v
}

// Paging of a region's table: ?page= from 1, ?per_page= up to MaxPerPage.
const (
	DefaultPerPage = 25 // a page costs the same at 10 or 1,000 districts; one of 100 at 1,000 cost 4× one at 10
	MaxPerPage     = 500
)

// Page is a region's totals and one page of its districts side by side.
type Page struct {
	Totals    Totals
	Districts []Summary
	Page      int
	PerPage   int
}

var errNoRegionFacts = apperr.New(apperr.NotFound, "regione non trovata", "no such region")

// Page returns the region's totals and the page-th page (from 1) of its districts by name,
// perPage of them: one query, and only the plan section of the page's districts decoded, so a
// page costs the same whatever the number of districts in the region.
//
// A page's districts have no figures by area or by funding source (empty lists): they are most
// of a plan summary's size and of the time decoding it, the table does not show them, and the
// district's drill-down (District) has them.
//
// The districts' pathway counts are not on a page either: a district's row of the region's pathway
// tables is suppressed together with every other district's (SuppressTable hides a second
// count wherever one alone could be derived), so it cannot be shown without reading the whole
// region. They are in Pathways and in the district's drill-down, suppressed as there.
func (s *Store) Page(ctx context.Context, region string, page, perPage int) (Page, error) {
	if page < 1 {
		page = 1
	}
	if perPage < 1 || perPage > MaxPerPage {
		perPage = DefaultPerPage
	}
	tot, rows, ok, err := s.facts.RegionPage(ctx, region, perPage, (page-1)*perPage)
	if err != nil {
		return Page{}, err
	}
	if !ok {
		return Page{}, errNoRegionFacts
	}
	out := Page{Totals: totalsOf(tot), Districts: make([]Summary, 0, len(rows)), Page: page, PerPage: perPage}
	for _, r := range rows {
		sm, _, err := summary(facts.District{Slug: r.Slug, Name: r.Name, ShortName: r.ShortName,
			Sections: map[string]facts.Record{facts.PlanSection: r.Plan}}, region)
		if err != nil {
			return Page{}, err
		}
		out.Districts = append(out.Districts, sm)
	}
	return out, nil
}
