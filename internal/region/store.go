package region

import (
	"context"
	"fmt"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
)

// Store reads the regional views from the district facts: the platform schema only, no
// district schema, no personal data.
type Store struct {
	facts *facts.Store
}

// NewStore returns the store.
func NewStore(f *facts.Store) *Store { return &Store{facts: f} }

// summary decodes a district's headline figures, suppressing small counts. A district whose
// plan section is missing (or of another version) shows as one without a plan.
func summary(d facts.District, region string) (Summary, facts.Record, error) {
	rec := d.Sections[facts.PlanSection]
	var ps facts.PlanSummary
	ok, err := rec.Decode(facts.PlanVersion, &ps, nil)
	if err != nil {
		return Summary{}, rec, fmt.Errorf("region: facts of %s: %w", d.Slug, err)
	}
	if !ok {
		rec = facts.Record{}
	}
	s := Summary{ID: d.Slug, Slug: d.Slug, Name: d.Name, ShortName: d.ShortName, Region: region, PlanSummary: ps,
		Participation: suppressed(ps.Participation), UpdatedAt: rec.UpdatedAt}
	var pw facts.PathwaysSummary
	if _, err := d.Sections[facts.PathwaysSection].Decode(facts.PathwaysVersion, &pw, nil); err != nil {
		return Summary{}, rec, fmt.Errorf("region: pathway facts of %s: %w", d.Slug, err)
	}
	s.Pathways, s.PathwaysClosed = facts.Suppress(pw.Open), facts.Suppress(pw.Closed)
	s.PlanSummary.Participation = facts.ParticipationSummary{}
	if s.Areas == nil {
		s.Areas = []facts.AreaFacts{}
	}
	if s.BudgetBySource == nil {
		s.BudgetBySource = []facts.SourceTotals{}
	}
	return s, rec, nil
}

// Districts returns the districts of a region side by side, by name: one query, whatever the
// number of districts on the platform.
func (s *Store) Districts(ctx context.Context, region string) ([]Summary, error) {
	ds, err := s.facts.Districts(ctx, region)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(ds))
	for _, d := range ds {
		sm, _, err := summary(d, region)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

var errNoDistrict = apperr.New(apperr.NotFound, "distretto non trovato in questa regione", "no such district in this region")

// District returns one district of the region in detail; a district of another region is not
// found.
func (s *Store) District(ctx context.Context, region, slug string) (Detail, error) {
	d, ok, err := s.facts.District(ctx, region, slug)
	if err != nil {
		return Detail{}, err
	}
	if !ok {
		return Detail{}, errNoDistrict
	}
	var out Detail
	var pd facts.PlanDetail
	sm, rec, err := summary(d, region)
	if err != nil {
		return Detail{}, err
	}
	if _, err := rec.Decode(facts.PlanVersion, nil, &pd); err != nil {
		return Detail{}, fmt.Errorf("region: facts of %s: %w", slug, err)
	}
	out.Summary, out.ParticipantTypes = sm, pd.ParticipantTypes
	out.Plans = make([]PlanDetail, len(pd.Plans))
	for i, p := range pd.Plans {
		out.Plans[i] = PlanDetail{PlanFacts: p, Participation: suppressed(p.Participation)}
		out.Plans[i].PlanFacts.Participation = facts.ParticipationSummary{}
	}
	return out, nil
}

// Regions lists the regions with the number of districts in each.
func (s *Store) Regions(ctx context.Context, slugs []string) ([]Region, error) {
	rs, err := s.facts.Regions(ctx, slugs)
	if err != nil {
		return nil, err
	}
	out := make([]Region, len(rs))
	for i, r := range rs {
		out[i] = Region{ID: r.Slug, Region: r}
	}
	return out, nil
}
