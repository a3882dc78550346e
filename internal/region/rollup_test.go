package region_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// planOf is a plan summary of the tests: objectives, on target, budget and participants.
func planOf(objectives, onTarget int, stanziato int64, participants int) facts.PlanSummary {
	return facts.PlanSummary{Plan: &facts.Headline{Title: "Piano", Status: "approvato"}, Objectives: objectives, OnTarget: onTarget,
		Assessed: objectives, Evaluated: onTarget, Areas: []facts.AreaFacts{{Code: "A", Objectives: objectives}}, Budget: facts.BudgetTotals{StanziatoCents: stanziato, ImpegnatoCents: stanziato / 2},
		Participation: facts.ParticipationSummary{Meetings: 1, Participants: participants, ByType: map[string]int{"cittadini": participants}}}
}

// rollupFixture holds the plan summary each district's section computes, changed by the tests.
type rollupFixture struct {
	d     *db.DB
	f     *facts.Store
	s     *region.Store
	ts    map[string]tenancy.Tenant
	plans map[string]facts.PlanSummary
}

func newRollupFixture(t *testing.T) *rollupFixture {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	x := &rollupFixture{d: d, ts: map[string]tenancy.Tenant{}, plans: map[string]facts.PlanSummary{}}
	section := facts.Section{Name: facts.PlanSection, Version: facts.PlanVersion, Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
		return x.plans[tx.District.Slug], facts.PlanDetail{}, nil
	}}
	x.f = facts.NewStore(d, section)
	x.s = region.NewStore(x.f)
	ts, err := tenancy.NewRegistry(d, time.Hour).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range ts {
		x.ts[tn.Slug] = tn
	}
	return x
}

// write rewrites the plan facts of the named districts (as a feature's write, or `facts rebuild`).
func (x *rollupFixture) write(t *testing.T, slugs ...string) {
	t.Helper()
	var ts []tenancy.Tenant
	for _, s := range slugs {
		ts = append(ts, x.ts[s])
	}
	if err := x.f.Rebuild(context.Background(), ts); err != nil {
		t.Fatal(err)
	}
}

func (x *rollupFixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if err := x.d.Platform(context.Background(), func(tx *gorm.DB) error { return tx.Exec(q, args...).Error }); err != nil {
		t.Fatal(err)
	}
}

// totals checks a region's rollup against the figures expected, and against the totals
// recomputed from scratch from the districts' own facts (what the rollup replaces).
func (x *rollupFixture) totals(t *testing.T, reg string, districts, objectives int, stanziato int64, participants string) region.Totals {
	t.Helper()
	p, err := x.s.Page(context.Background(), reg, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Totals
	if got.Districts != districts || got.Objectives != objectives || got.Budget.StanziatoCents != stanziato || got.Participants.String() != participants {
		t.Errorf("%s: totals %+v, want %d districts, %d objectives, %d cents, %s participants", reg, got, districts, objectives, stanziato, participants)
	}
	ds, err := x.s.Districts(context.Background(), reg)
	if err != nil {
		t.Fatal(err)
	}
	var objs int
	var cents int64
	for _, d := range ds {
		objs += d.Objectives
		cents += d.Budget.StanziatoCents
	}
	if len(ds) != got.Districts || objs != got.Objectives || cents != got.Budget.StanziatoCents || len(p.Districts) != len(ds) {
		t.Errorf("%s: rollup %+v (page of %d) differs from its %d districts' facts (%d objectives, %d cents)", reg, got, len(p.Districts), len(ds), objs, cents)
	}
	return got
}

// The region's totals follow every change of a district's facts in the write's transaction: a
// first write, a rewrite, a rebuild, a district moving to another region, suspended and back.
func TestRegionTotalsFollowEveryChange(t *testing.T) {
	x := newRollupFixture(t)
	x.totals(t, "lombardia", 1, 0, 0, "0") // provisioned, no facts yet

	x.plans["valle-trompia"] = planOf(12, 6, 100_000, 104)
	x.plans["terre-dargine"] = planOf(5, 1, 40_000, 3)
	x.write(t, "valle-trompia", "terre-dargine")
	got := x.totals(t, "lombardia", 1, 12, 100_000, "104")
	if got.DistrictsWithPlan != 1 || got.OnTarget != 6 || got.OnTargetShare == nil || *got.OnTargetShare != 50 ||
		got.Budget.ImpegnatoPct == nil || *got.Budget.ImpegnatoPct != 50 || got.Meetings != 1 {
		t.Errorf("lombardia: %+v", got)
	}
	x.totals(t, "emilia-romagna", 1, 5, 40_000, "<5")

	// A rewrite replaces the district's figures, never adds them twice; so does a rebuild.
	x.plans["valle-trompia"] = planOf(10, 5, 90_000, 104)
	x.write(t, "valle-trompia")
	x.write(t, "valle-trompia", "terre-dargine", "trento")
	x.totals(t, "lombardia", 1, 10, 90_000, "104")
	x.totals(t, "trento", 1, 0, 0, "0")

	// A district that moves takes its figures along.
	x.exec(t, `UPDATE platform.tenants SET region_slug = 'emilia-romagna' WHERE slug = 'valle-trompia'`)
	x.totals(t, "lombardia", 0, 0, 0, "0")
	// One district of two hides its participants (3): the region's total would give it away.
	x.totals(t, "emilia-romagna", 2, 15, 130_000, "<5")
	// A suspended district counts nowhere; back, it counts again, with the facts it has now.
	if _, err := tenancy.SetStatus(context.Background(), x.d, "terre-dargine", "suspended"); err != nil {
		t.Fatal(err)
	}
	x.totals(t, "emilia-romagna", 1, 10, 90_000, "104")
	if _, err := tenancy.SetStatus(context.Background(), x.d, "terre-dargine", "active"); err != nil {
		t.Fatal(err)
	}
	x.totals(t, "emilia-romagna", 2, 15, 130_000, "<5")
	x.exec(t, `UPDATE platform.tenants SET region_slug = 'lombardia' WHERE slug = 'valle-trompia'`)
	x.totals(t, "lombardia", 1, 10, 90_000, "104")
	x.totals(t, "emilia-romagna", 1, 5, 40_000, "<5")

	// Facts in a shape the reader does not expect count nothing, as on the table; a deleted
	// section takes its figures away.
	x.exec(t, `UPDATE platform.district_facts SET version = 99 WHERE tenant_slug = 'valle-trompia'`)
	x.totals(t, "lombardia", 1, 0, 0, "0")
	x.exec(t, `UPDATE platform.district_facts SET version = 1 WHERE tenant_slug = 'valle-trompia'`)
	x.totals(t, "lombardia", 1, 10, 90_000, "104")
	x.exec(t, `DELETE FROM platform.district_facts WHERE tenant_slug = 'valle-trompia'`)
	x.totals(t, "lombardia", 1, 0, 0, "0")

	// A district removed from the platform (its facts go by cascade) leaves its region's totals.
	x.exec(t, `INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, definition, definition_hash)
		VALUES ('ambito-x', 't_ambito_x', 'Ambito X', 'X', 'lombardia', '{}', '')`)
	x.exec(t, `INSERT INTO platform.district_facts (tenant_slug, section, version, summary, detail)
		SELECT 'ambito-x', section, version, summary, detail FROM platform.district_facts WHERE tenant_slug = 'terre-dargine'`)
	x.totals(t, "lombardia", 2, 5, 40_000, "<5")
	x.exec(t, `DELETE FROM platform.tenants WHERE slug = 'ambito-x'`)
	x.totals(t, "lombardia", 1, 0, 0, "0")
}

// The region's participants are the total of a column whose cells are suppressed one by one:
// with exactly one district hidden the total is hidden too; with two or more, or none, no
// district follows from it.
func TestTheRegionsParticipantsHideALoneSmallDistrict(t *testing.T) {
	for _, c := range []struct {
		t    facts.RegionTotals
		want string
	}{
		{facts.RegionTotals{Participants: 107, ParticipantsSmall: 1}, "<5"},
		{facts.RegionTotals{Participants: 110, ParticipantsSmall: 2}, "110"},
		{facts.RegionTotals{Participants: 104}, "104"},
		{facts.RegionTotals{Participants: 3, ParticipantsSmall: 1}, "<5"},
		{facts.RegionTotals{}, "0"},
	} {
		if got := c.t.ParticipantsCount().String(); got != c.want {
			t.Errorf("%+v shows %s, want %s", c.t, got, c.want)
		}
	}
}

// A page of the region's table: its districts by name, the region's totals whatever the page,
// and an empty page past the end.
func TestARegionsTableComesInPages(t *testing.T) {
	x := newRollupFixture(t)
	x.plans["valle-trompia"] = planOf(12, 6, 100_000, 104)
	x.write(t, "valle-trompia")
	// Four more districts in Lombardy (rows only: a page reads no district schema).
	for i := range 4 {
		slug := fmt.Sprintf("ambito-%d", i)
		x.exec(t, `INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, definition, definition_hash)
			VALUES (?, ?, ?, ?, 'lombardia', '{}', '')`, slug, "t_ambito_"+fmt.Sprint(i), fmt.Sprintf("Ambito %d", i), slug)
	}
	x.exec(t, `UPDATE platform.tenants SET status = 'suspended' WHERE slug = 'ambito-3'`)
	ctx := context.Background()
	var seen []string
	for page := 1; page <= 3; page++ {
		p, err := x.s.Page(ctx, "lombardia", page, 2)
		if err != nil {
			t.Fatal(err)
		}
		if p.Totals.Districts != 4 || p.Totals.Objectives != 12 || p.Page != page || p.PerPage != 2 {
			t.Errorf("page %d: %+v", page, p)
		}
		for _, d := range p.Districts {
			seen = append(seen, d.Slug)
			if d.Pathways != nil || d.Areas == nil || len(d.Areas) != 0 { // by area: in the drill-down
				t.Errorf("page %d: %+v", page, d)
			}
		}
	}
	want := []string{"ambito-0", "ambito-1", "ambito-2", "valle-trompia"} // by name: "Ambito …" before "Ambito Distrettuale di Valle Trompia"
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("pages hold %v, want %v", seen, want)
	}
	p, err := x.s.Page(ctx, "lombardia", 1, 0) // no size: the default
	if err != nil || p.PerPage != region.DefaultPerPage || len(p.Districts) != 4 || p.Districts[3].Objectives != 12 || p.Districts[3].Participation.Participants.String() != "104" {
		t.Errorf("default page: %+v, %v", p, err)
	}
	if dt, err := x.s.District(ctx, "lombardia", "valle-trompia"); err != nil || len(dt.Areas) != 1 {
		t.Errorf("the drill-down has no areas: %+v, %v", dt.Areas, err)
	}
	// The page shows a page of the table, the region's totals and the way to the next page.
	body := pageWith(t, x.s, "/regioni/:region", "per_page=2&page=2", "lombardia")
	for _, want := range []string{"Distretti della regione: 4.", "Ambito 2", "Totale regione", "con un piano: 1 su 4",
		"Distretti da 3 a 4 su 4.", `href="/regioni/lombardia?page=1&per_page=2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page 2 of the region's page lacks %q", want)
		}
	}
	if strings.Contains(body, "Ambito 1<") || strings.Contains(body, `rel="next"`) {
		t.Error("page 2 of the region's page shows page 1's district or a next page")
	}
	if _, err := x.s.Page(ctx, "atlantide", 1, 10); err == nil {
		t.Error("a region that does not exist has a page")
	}
}

// Districts of one region writing at once each add their own difference: none is lost.
func TestConcurrentWritesInARegionAddUp(t *testing.T) {
	x := newRollupFixture(t)
	x.exec(t, `UPDATE platform.tenants SET region_slug = 'lombardia' WHERE slug IN ('terre-dargine', 'trento')`)
	x.plans["valle-trompia"] = planOf(12, 6, 100_000, 104)
	x.plans["terre-dargine"] = planOf(5, 1, 40_000, 3)
	x.plans["trento"] = planOf(7, 2, 10_000, 20)
	errs := make(chan error, 30)
	for range 10 {
		for _, slug := range []string{"valle-trompia", "terre-dargine", "trento"} {
			go func() { errs <- x.f.Rebuild(context.Background(), []tenancy.Tenant{x.ts[slug]}) }()
		}
	}
	for range 30 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// 3 is hidden, alone among the three: the region's total is hidden too.
	x.totals(t, "lombardia", 3, 24, 150_000, "<5")
}
