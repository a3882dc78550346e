package region_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// BenchmarkRegionalSummary measures the regional summary at 10 districts and at
// AMBITI_BENCH_DISTRICTS (default 500), so the ratio of the two is visible in one run (issue 21:
// at 1,000 districts within 1.5× of 10). Each size is a database of its own with the districts
// in one region, each with a plan of 12 objectives (benchRegion). For each size:
//
//   - default-page: what /api/v1/regions/{region}/districts answers by default — the region's totals
//     from the rollup and the first page (DefaultPerPage) of the table, in one query;
//   - page10: the same with 10 districts a page, so the page is the same size at both sizes;
//   - all: every district's facts decoded and suppressed (Store.Districts), as the summary was
//     served before the rollup, and as the exports and the pathways' tables still read.
//
// The log ends with the ratios of each measure at the large size to the small.
func BenchmarkRegionalSummary(b *testing.B) {
	n := 500
	if v := os.Getenv("AMBITI_BENCH_DISTRICTS"); v != "" {
		fmt.Sscan(v, &n)
	}
	ctx := context.Background()
	perOp := map[string]map[int]time.Duration{}
	for _, size := range []int{10, n} {
		store := benchRegion(b, size)
		cases := []struct {
			name string
			run  func() (int, error)
			want int
		}{
			{"default-page", func() (int, error) {
				p, err := store.Page(ctx, "lombardia", 1, region.DefaultPerPage)
				return p.Totals.Districts, err
			}, size},
			{"page10", func() (int, error) {
				p, err := store.Page(ctx, "lombardia", 1, 10)
				return len(p.Districts), err
			}, 10},
			{"all", func() (int, error) {
				ds, err := store.Districts(ctx, "lombardia")
				return len(ds), err
			}, size},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("districts=%d/%s", size, c.name), func(b *testing.B) {
				for b.Loop() {
					if got, err := c.run(); err != nil || got != c.want {
						b.Fatalf("%d, want %d: %v", got, c.want, err)
					}
				}
				b.ReportMetric(float64(size), "districts")
				if perOp[c.name] == nil {
					perOp[c.name] = map[int]time.Duration{}
				}
				perOp[c.name][size] = b.Elapsed() / time.Duration(b.N)
			})
		}
	}
	for _, name := range []string{"default-page", "page10", "all"} {
		if small, large := perOp[name][10], perOp[name][n]; small > 0 && large > 0 {
			b.Logf("%s: %v at 10 districts, %v at %d: %.2f×", name, small, large, n, float64(large)/float64(small))
		}
	}
}

// benchRegion makes a region of n districts in a database of its own and returns the regional
// store reading it. One district is real — provisioned (schema, migrations) and its plan
// imported through the plan service, so its facts are written as in production — and the
// other n-1 are copies of its platform rows (tenants, district_facts), inserted in SQL: the
// regional reads touch the platform schema only, and the rollup's triggers add every copy to
// the region's totals as they would a district's own write. Provisioning 500 real schemas took
// 5 minutes on the shared 2-core machine, and dropping them timed out.
func benchRegion(b *testing.B, n int) *region.Store {
	b.Helper()
	ctx := context.Background()
	d, _ := dbtest.Open(b, db.Config{})
	defs := tenancytest.Synthetic(b, 1)
	if _, err := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).Sync(ctx, defs); err != nil {
		b.Fatal(err)
	}
	f := facts.NewStore(d, plan.FactsSection())
	svc := plan.NewService(tenancy.NewScope(d), f)
	first := defs.Districts[0].Slug
	t, err := tenancy.NewRegistry(d, time.Hour).Lookup(ctx, first)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Import(tenancy.WithTenant(ctx, t), plan.Actor{ID: "bench"}, syntheticPlan()); err != nil {
		b.Fatal(err)
	}
	err = d.Platform(ctx, func(tx *gorm.DB) error {
		for _, q := range []string{
			`INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, definition, definition_hash)
				SELECT 'ambito-c' || lpad(i::text, 4, '0'), 't_ambito_c' || lpad(i::text, 4, '0'), 'Ambito sintetico c' || i,
					short_name, region_slug, definition, definition_hash
				FROM platform.tenants, generate_series(1, ? - 1) i WHERE slug = ?`,
			`INSERT INTO platform.district_facts (tenant_slug, section, version, summary, detail, updated_at)
				SELECT t.slug, f.section, f.version, f.summary, f.detail, f.updated_at
				FROM platform.tenants t, platform.district_facts f WHERE t.slug LIKE 'ambito-c%' AND f.tenant_slug = ?`,
			// Statistics as autovacuum would have them in production, for both ways of reading.
			`ANALYZE platform.tenants, platform.district_facts, platform.region_facts`,
		} {
			var args []any
			switch {
			case strings.Contains(q, "generate_series"):
				args = []any{n, first}
			case strings.Contains(q, "district_facts f"):
				args = []any{first}
			}
			if err := tx.Exec(q, args...).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return region.NewStore(f)
}

func syntheticPlan() plan.ImportFile {
	p := plan.ImportPlan{Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023, Status: plan.Approved}
	areas := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"}
	for i := range 12 {
		ach := 60 + (i*7)%41
		target := 100.0
		p.Objectives = append(p.Objectives, plan.ImportObjective{
			Title: fmt.Sprintf("Obiettivo %d", i+1), AreaCode: areas[i%len(areas)],
			Indicators: []plan.ImportIndicator{{Kind: plan.Result, Name: "N. persone raggiunte", Target: &target,
				Measurements: []plan.MeasurementImport{{Period: "2022", Value: float64(40 + i*5)}}}},
			Budget: []plan.ImportBudgetLine{{Year: 2022, SourceCode: "FNPS", StanziatoEUR: 100000, ImpegnatoEUR: 80000, LiquidatoEUR: 50000},
				{Year: 2022, SourceCode: "FONDO_POVERTA", StanziatoEUR: 25000.5}},
			Evaluations: []plan.ImportEvaluation{{Year: 2022, AchievementPct: &ach}},
		})
	}
	return plan.ImportFile{Plans: []plan.ImportPlan{p},
		Meetings: []plan.ImportMeeting{{Plan: p.Title, HeldOn: "2021-05-10", Kind: "focus_group", Theme: "Tavolo",
			Participants: map[string]int{"terzo_settore": 20, "cittadini": 3}}}}
}
