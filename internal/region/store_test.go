package region_test

import (
	"context"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// The regional views show the plan section with counts of people suppressed, and carry no raw
// count along: the section's own participation is emptied once it has been suppressed.
func TestRegionalViewsShowOnlySuppressedCounts(t *testing.T) {
	ctx := context.Background()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	raw := facts.ParticipationSummary{Meetings: 1, Participants: 104, ByType: map[string]int{"terzo_settore": 52, "enti_pubblici": 49, "cittadini": 3}}
	p := facts.PlanFacts{ID: 1, Title: "Piano di Zona 2021-2023", Status: "approvato", Objectives: 1, Participation: raw}
	// A plan section as the plan writes it, without the plan.
	section := facts.Section{Name: facts.PlanSection, Version: facts.PlanVersion, Compute: func(context.Context, *tenancy.Tx) (any, any, error) {
		return facts.PlanSummary{Plan: &facts.Headline{Title: p.Title, Status: p.Status}, Objectives: 1, Participation: raw},
			facts.PlanDetail{Plans: []facts.PlanFacts{p}, ParticipantTypes: []string{"enti_pubblici", "terzo_settore", "cittadini"}}, nil
	}}
	f := facts.NewStore(d, section)
	vt, err := tenancy.NewRegistry(d, time.Hour).Lookup(ctx, "valle-trompia")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Rebuild(ctx, []tenancy.Tenant{vt}); err != nil {
		t.Fatal(err)
	}
	s := region.NewStore(f)

	ds, err := s.Districts(ctx, "lombardia")
	if err != nil || len(ds) != 1 {
		t.Fatalf("lombardia: %+v, %v", ds, err)
	}
	sm := ds[0]
	if sm.ID != "valle-trompia" || sm.Region != "lombardia" || sm.Plan == nil || sm.Plan.Title != p.Title || sm.Objectives != 1 || sm.UpdatedAt.IsZero() {
		t.Errorf("summary: %+v", sm)
	}
	part := sm.Participation
	if part.Participants.String() != "104" || part.ByType["cittadini"].String() != "<5" || part.ByType["enti_pubblici"].String() != "<5" ||
		part.ByType["terzo_settore"].String() != "52" || sm.PlanSummary.Participation.ByType != nil || sm.PlanSummary.Participation.Participants != 0 {
		t.Errorf("participation: %+v, raw %+v", part, sm.PlanSummary.Participation)
	}

	dt, err := s.District(ctx, "lombardia", "valle-trompia")
	if err != nil || len(dt.Plans) != 1 || len(dt.ParticipantTypes) != 3 {
		t.Fatalf("detail: %+v, %v", dt, err)
	}
	if pd := dt.Plans[0]; pd.Participation.ByType["cittadini"].String() != "<5" || pd.PlanFacts.Participation.ByType != nil {
		t.Errorf("plan of the detail: %+v, raw %+v", pd.Participation, pd.PlanFacts.Participation)
	}
	if _, err := s.District(ctx, "lombardia", "trento"); err == nil {
		t.Error("a district of another region was found")
	}

	// A district whose plan never wrote its section shows as one without a plan, with empty
	// lists rather than null ones.
	ds, err = s.Districts(ctx, "trento")
	if err != nil || len(ds) != 1 || ds[0].Plan != nil || ds[0].Areas == nil || ds[0].BudgetBySource == nil || !ds[0].UpdatedAt.IsZero() {
		t.Errorf("trento: %+v, %v", ds, err)
	}
	rs, err := s.Regions(ctx, []string{"lombardia"})
	if err != nil || len(rs) != 1 || rs[0].ID != "lombardia" || rs[0].Slug != "lombardia" || rs[0].Districts != 1 {
		t.Errorf("regions: %+v, %v", rs, err)
	}
}
