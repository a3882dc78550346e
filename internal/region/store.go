package region

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Store keeps and reads the facts. Reads cross districts, so they run on the platform schema
// and touch only the facts table: no district schema, no personal data.
type Store struct {
	db *db.DB
}

// NewStore returns the store.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Sink is a plan.FactsSink: it records the facts of the context's district inside the
// transaction that changed them (tx's search_path is the district; platform is qualified).
func (s *Store) Sink(ctx context.Context, tx *gorm.DB, f plan.Facts) error {
	t, ok := tenancy.FromContext(ctx)
	if !ok {
		return apperr.New(apperr.Internal, "distretto mancante per i dati regionali", "no district for the regional facts")
	}
	return writeFacts(tx, t.Slug, f)
}

func writeFacts(tx *gorm.DB, slug string, f plan.Facts) error {
	summary, err := json.Marshal(summarise(f))
	if err != nil {
		return err
	}
	detail, err := json.Marshal(f)
	if err != nil {
		return err
	}
	err = tx.Exec(`INSERT INTO platform.district_facts (tenant_slug, summary, detail, updated_at) VALUES (?, ?, ?, now())
		ON CONFLICT (tenant_slug) DO UPDATE SET summary = excluded.summary, detail = excluded.detail, updated_at = now()`,
		slug, string(summary), string(detail)).Error
	if err != nil {
		return fmt.Errorf("region: record facts of %s: %w", slug, err)
	}
	return nil
}

// Rebuild recomputes every district's facts from its own data (after a migration or a restore).
func (s *Store) Rebuild(ctx context.Context, tenants []tenancy.Tenant, facts func(context.Context) (plan.Facts, error)) error {
	for _, t := range tenants {
		tctx := tenancy.WithTenant(ctx, t)
		f, err := facts(tctx)
		if err != nil {
			return fmt.Errorf("region: facts of %s: %w", t.Slug, err)
		}
		if err := s.db.Platform(ctx, func(tx *gorm.DB) error { return writeFacts(tx, t.Slug, f) }); err != nil {
			return err
		}
	}
	return nil
}

// stored is the headline of a district as kept in the summary column (counts not suppressed).
type stored struct {
	Plan           *Headline                 `json:"plan"`
	Objectives     int                       `json:"objectives"`
	OnTarget       int                       `json:"objectives_on_target"`
	AvgAchievement *float64                  `json:"avg_achievement_pct"`
	Areas          []plan.AreaFacts          `json:"areas"`
	Budget         plan.BudgetTotals         `json:"budget"`
	BudgetBySource []plan.SourceTotals       `json:"budget_by_source"`
	Participation  plan.ParticipationSummary `json:"participation"`
}

// current is the plan a region looks at: the approved one in force (newest), else the newest.
func current(f plan.Facts) *plan.PlanFacts {
	for i := range f.Plans {
		if f.Plans[i].Status == plan.Approved {
			return &f.Plans[i]
		}
	}
	if len(f.Plans) > 0 {
		return &f.Plans[0]
	}
	return nil
}

func summarise(f plan.Facts) stored {
	p := current(f)
	if p == nil {
		return stored{Areas: []plan.AreaFacts{}, BudgetBySource: []plan.SourceTotals{}, Participation: plan.ParticipationSummary{ByType: map[string]int{}}}
	}
	return stored{
		Plan:       &Headline{Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Status: p.Status, Version: p.Version},
		Objectives: p.Objectives, OnTarget: p.OnTarget, AvgAchievement: p.AvgAchievement, Areas: p.Areas,
		Budget: p.Budget, BudgetBySource: p.BudgetBySource, Participation: p.Participation,
	}
}

func (st stored) public(slug, name, short, region string, updated time.Time) Summary {
	s := Summary{ID: slug, Slug: slug, Name: name, ShortName: short, Region: region, Plan: st.Plan,
		Objectives: st.Objectives, OnTarget: st.OnTarget, AvgAchievement: st.AvgAchievement, Areas: st.Areas,
		Budget: st.Budget, BudgetBySource: st.BudgetBySource, UpdatedAt: updated,
		Participation: Participation{Meetings: st.Participation.Meetings, Participants: single(st.Participation.Participants),
			ByType: suppress(st.Participation.ByType)},
		Pathways: map[string]Count{},
	}
	if s.Areas == nil {
		s.Areas = []plan.AreaFacts{}
	}
	if s.BudgetBySource == nil {
		s.BudgetBySource = []plan.SourceTotals{}
	}
	s.OnTargetShare = plan.Percent(int64(st.OnTarget), int64(st.Objectives))
	return s
}

// factsRow is a district with its stored facts, as the regional queries read it.
type factsRow struct {
	Slug, Name, ShortName string
	Summary               *string
	Detail                *string
	UpdatedAt             *time.Time
}

// query reads the active districts of region (one of them, when slug is not empty) with their
// facts; detail is read only when asked, since it is the large column.
func (s *Store) query(ctx context.Context, region, slug string, detail bool) ([]factsRow, error) {
	cols := `t.slug, t.name, t.short_name, f.summary::text AS summary, f.updated_at`
	if detail {
		cols += `, f.detail::text AS detail`
	}
	q := `SELECT ` + cols + ` FROM platform.tenants t LEFT JOIN platform.district_facts f ON f.tenant_slug = t.slug
		WHERE t.region_slug = ? AND t.status = 'active'`
	args := []any{region}
	if slug != "" {
		q += ` AND t.slug = ?`
		args = append(args, slug)
	}
	var rows []factsRow
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(q+` ORDER BY t.name`, args...).Scan(&rows).Error
	})
	return rows, err
}

// summary decodes a row's headline figures, suppressing small counts.
func (r factsRow) summary(region string) (Summary, error) {
	var st stored
	if r.Summary != nil {
		if err := json.Unmarshal([]byte(*r.Summary), &st); err != nil {
			return Summary{}, fmt.Errorf("region: facts of %s: %w", r.Slug, err)
		}
	}
	var updated time.Time
	if r.UpdatedAt != nil {
		updated = *r.UpdatedAt
	}
	return st.public(r.Slug, r.Name, r.ShortName, region, updated), nil
}

// Districts returns the districts of a region side by side, by name: one query, whatever the
// number of districts on the platform.
func (s *Store) Districts(ctx context.Context, region string) ([]Summary, error) {
	rows, err := s.query(ctx, region, "", false)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(rows))
	for _, r := range rows {
		sm, err := r.summary(region)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

// Detail is the drill-down into one district: its plans with objective summaries.
type Detail struct {
	Summary
	Plans []PlanDetail `json:"plans"`
}

// PlanDetail is a plan of the drill-down, its participation suppressed like the summary's.
type PlanDetail struct {
	plan.PlanFacts
	Participation Participation `json:"participation"`
}

var errNoDistrict = apperr.New(apperr.NotFound, "distretto non trovato in questa regione", "no such district in this region")

// District returns one district of the region in detail; a district of another region is not
// found.
func (s *Store) District(ctx context.Context, region, slug string) (Detail, error) {
	rows, err := s.query(ctx, region, slug, true)
	if err != nil {
		return Detail{}, err
	}
	if len(rows) != 1 {
		return Detail{}, errNoDistrict
	}
	var d Detail
	if d.Summary, err = rows[0].summary(region); err != nil {
		return Detail{}, err
	}
	var f plan.Facts
	if rows[0].Detail != nil {
		if err := json.Unmarshal([]byte(*rows[0].Detail), &f); err != nil {
			return Detail{}, fmt.Errorf("region: facts of %s: %w", slug, err)
		}
	}
	d.Plans = make([]PlanDetail, len(f.Plans))
	for i, p := range f.Plans {
		d.Plans[i] = PlanDetail{PlanFacts: p, Participation: Participation{Meetings: p.Participation.Meetings,
			Participants: single(p.Participation.Participants), ByType: suppress(p.Participation.ByType)}}
	}
	return d, nil
}

// Region is a regional body's record.
type Region struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Districts int    `json:"districts"`
}

// Regions lists the regions with the number of districts in each.
func (s *Store) Regions(ctx context.Context, slugs []string) ([]Region, error) {
	var out []Region
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT r.slug AS id, r.slug, r.name, r.kind, count(t.slug) AS districts
			FROM platform.regions r LEFT JOIN platform.tenants t ON t.region_slug = r.slug AND t.status = 'active'
			WHERE r.slug IN ? GROUP BY r.slug ORDER BY r.name`, slugs).Scan(&out).Error
	})
	return out, err
}
