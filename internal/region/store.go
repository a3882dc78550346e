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
// plan section is missing (or of another version) shows as one without a plan. Its pathways
// are filled from the region's tables (withPathways): their suppression depends on the other
// districts.
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
	out, _, err := s.districts(ctx, region)
	return out, err
}

// Pathways returns the region's pathways per programme, districts × stages, closure reasons
// and years, suppressed across the districts. It reads the pathways section only.
func (s *Store) Pathways(ctx context.Context, region string) (Pathways, error) {
	ds, err := s.facts.DistrictsWith(ctx, region, facts.PathwaysSection)
	if err != nil {
		return Pathways{}, err
	}
	pw, err := pathwayFacts(ds)
	if err != nil {
		return Pathways{}, err
	}
	return regionPathways(ds, pw), nil
}

// Overview returns both, from one read: the districts side by side and the pathways' tables.
func (s *Store) Overview(ctx context.Context, region string) ([]Summary, Pathways, error) {
	return s.districts(ctx, region)
}

// districts reads the region's districts and builds their summaries and the pathways' tables,
// whose suppression the summaries' pathway counts follow.
func (s *Store) districts(ctx context.Context, region string) ([]Summary, Pathways, error) {
	ds, err := s.facts.Districts(ctx, region)
	if err != nil {
		return nil, Pathways{}, err
	}
	pw, err := pathwayFacts(ds)
	if err != nil {
		return nil, Pathways{}, err
	}
	p := regionPathways(ds, pw)
	out := make([]Summary, 0, len(ds))
	for i, d := range ds {
		sm, _, err := summary(d, region)
		if err != nil {
			return nil, Pathways{}, err
		}
		sm.Pathways, sm.PathwaysClosed = districtMaps(p, i, pw[i])
		out = append(out, sm)
	}
	return out, p, nil
}

var errNoDistrict = apperr.New(apperr.NotFound, "distretto non trovato in questa regione", "no such district in this region")

// District returns one district of the region in detail; a district of another region is not
// found. Its pathways are its row of the region's tables, so it reads the whole region's
// summaries too (one more query): suppressed alone, they could give away a count the regional
// table hides.
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
	all, p, err := s.districts(ctx, region)
	if err != nil {
		return Detail{}, err
	}
	out.Programmes = []DistrictProgramme{}
	for i, o := range all {
		if o.Slug == slug {
			sm.Pathways, sm.PathwaysClosed = o.Pathways, o.PathwaysClosed
			out.Programmes = districtRow(p, i)
		}
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
