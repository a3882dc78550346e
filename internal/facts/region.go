package facts

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// RegionTotals are a region's figures added up over its active districts: the rollup that
// platform migration 00007 keeps in platform.region_facts, changed by triggers in the very
// transaction that changes a district's plan facts, its region or its status. Reading them is
// one row, whatever the number of districts (issue 21).
type RegionTotals struct {
	Districts         int   `json:"districts"`
	DistrictsWithPlan int   `json:"districts_with_plan"`
	Objectives        int   `json:"objectives"`
	OnTarget          int   `json:"objectives_on_target"`
	Assessed          int   `json:"objectives_assessed"`
	Evaluated         int   `json:"objectives_evaluated"`
	StanziatoCents    int64 `json:"stanziato_cents"`
	ImpegnatoCents    int64 `json:"impegnato_cents"`
	LiquidatoCents    int64 `json:"liquidato_cents"`
	Meetings          int   `json:"meetings"`
	// Participants is the raw sum of the districts' participants; ParticipantsSmall how many of
	// those districts show theirs as "<5". Show it through Participants().
	Participants      int   `json:"-"`
	ParticipantsSmall int   `json:"-"`
	Version           int64 `json:"-"` // bumped by every change of the totals
}

// ParticipantsCount is the region's participants as they may leave the platform. The regional
// table shows each district's participants suppressed alone (SuppressOne), so the region's
// total is the total of that column: with exactly one district hidden, the total minus the
// others shown would give it away, and the total is hidden too (two hidden counts in the
// column, as SuppressTable's line rule). With none, or two or more, hidden, no single district's
// count follows from the total; a small total is hidden like any count.
func (t RegionTotals) ParticipantsCount() Count {
	c := SuppressOne(t.Participants)
	if t.ParticipantsSmall == 1 && t.Participants > 0 {
		c.Suppressed = true
	}
	return c
}

// PageDistrict is one district of a page of a region's table: only the plan section's
// headline figures, which are what the table shows. The summary's lists by area and by funding
// source (two thirds of it, and most of the time spent decoding a page) are left out in the
// query, as are the details and the other sections: they are in the district's drill-down.
type PageDistrict struct {
	Slug, Name, ShortName string
	Plan                  Record // the plan section's summary without areas and budget_by_source; zero when never written
}

// RegionPage is a region's totals and one page of its active districts by name, read in one
// query: the totals from the rollup, the page's rows through the index of the active districts
// by region and name, so a page costs the same with 10 districts or 1,000. ok is false when the
// region does not exist.
func (s *Store) RegionPage(ctx context.Context, region string, limit, offset int) (totals RegionTotals, page []PageDistrict, ok bool, err error) {
	// The region's row is joined to the page's rows (LEFT JOIN LATERAL): a page past the end,
	// or a region without districts, still returns the totals. The page's districts are taken
	// first (the index tenants_region_name_idx, LIMIT/OFFSET), then each one's plan facts by
	// its primary key: the LIMIT 1 keeps the planner from joining the facts table as a whole,
	// which it does when its statistics predate the facts (a freshly written region) and which
	// costs every district's row for every row of the page. One statement in a read batch: one
	// round trip (a transaction would add BEGIN and COMMIT).
	const q = `SELECT coalesce(f.districts, 0), coalesce(f.districts_with_plan, 0),
			coalesce(f.objectives, 0), coalesce(f.on_target, 0), coalesce(f.assessed, 0),
			coalesce(f.evaluated, 0), coalesce(f.stanziato_cents, 0),
			coalesce(f.impegnato_cents, 0), coalesce(f.liquidato_cents, 0),
			coalesce(f.meetings, 0), coalesce(f.participants, 0),
			coalesce(f.participants_small, 0), coalesce(f.version, 0),
			d.slug, d.name, d.short_name, d.version, d.summary, d.updated_at
		FROM platform.regions r
		LEFT JOIN platform.region_facts f ON f.region_slug = r.slug
		LEFT JOIN LATERAL (
			SELECT t.slug, t.name, t.short_name, pf.version, (pf.summary - 'areas' - 'budget_by_source')::text AS summary, pf.updated_at
			FROM (SELECT t.slug, t.name, t.short_name FROM platform.tenants t
				WHERE t.region_slug = r.slug AND t.status = 'active'
				ORDER BY t.name, t.slug LIMIT $1 OFFSET $2) t
			LEFT JOIN LATERAL (SELECT pf.version, pf.summary, pf.updated_at FROM platform.district_facts pf
				WHERE pf.tenant_slug = t.slug AND pf.section = 'plan' LIMIT 1) pf ON true) d ON true
		WHERE r.slug = $3
		ORDER BY d.name, d.slug`
	b := &pgx.Batch{}
	b.Queue(q, int64(limit), int64(offset), region).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var t RegionTotals
			var slug, name, short, summary *string
			var version *int
			var updated *time.Time
			if err := rows.Scan(&t.Districts, &t.DistrictsWithPlan, &t.Objectives, &t.OnTarget, &t.Assessed, &t.Evaluated,
				&t.StanziatoCents, &t.ImpegnatoCents, &t.LiquidatoCents, &t.Meetings, &t.Participants, &t.ParticipantsSmall,
				&t.Version, &slug, &name, &short, &version, &summary, &updated); err != nil {
				return err
			}
			totals, ok = t, true
			if slug == nil {
				continue // no district on this page
			}
			d := PageDistrict{Slug: *slug, Name: deref(name), ShortName: deref(short)}
			if summary != nil {
				d.Plan = Record{Summary: raw(summary)}
				if version != nil {
					d.Plan.Version = *version
				}
				if updated != nil {
					d.Plan.UpdatedAt = *updated
				}
			}
			page = append(page, d)
		}
		return rows.Err()
	})
	if err := s.db.PlatformBatch(ctx, b); err != nil {
		return RegionTotals{}, nil, false, fmt.Errorf("facts: read a page of region %s: %w", region, err)
	}
	if !ok {
		return RegionTotals{}, nil, false, nil
	}
	return totals, page, true, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
