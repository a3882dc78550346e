package region_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// BenchmarkRegionalSummary provisions AMBITI_BENCH_DISTRICTS synthetic districts (default 500)
// in one region — real schemas, real migrations, a plan of 12 objectives each imported through
// the plan service so the facts are written as in production — and measures the regional
// summary the platform page and /api/v1/regions/{region}/districts read.
func BenchmarkRegionalSummary(b *testing.B) {
	n := 500
	if v := os.Getenv("AMBITI_BENCH_DISTRICTS"); v != "" {
		fmt.Sscan(v, &n)
	}
	ctx := context.Background()
	d, _ := dbtest.Open(b, db.Config{})
	defs := tenancytest.Synthetic(b, n)
	start := time.Now()
	if _, err := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).Sync(ctx, defs); err != nil {
		b.Fatal(err)
	}
	provisioned := time.Since(start)
	f := facts.NewStore(d, plan.FactsSection())
	store := region.NewStore(f)
	svc := plan.NewService(tenancy.NewScope(d), f)
	reg := tenancy.NewRegistry(d, time.Hour)
	start = time.Now()
	for _, dd := range defs.Districts {
		t, err := reg.Lookup(ctx, dd.Slug)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Import(tenancy.WithTenant(ctx, t), plan.Actor{ID: "bench"}, syntheticPlan()); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d districts: provisioned in %v, plans and facts written in %v", n, provisioned.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	b.ResetTimer()
	for b.Loop() {
		ds, err := store.Districts(ctx, "lombardia")
		if err != nil || len(ds) != n {
			b.Fatalf("%d districts, %v", len(ds), err)
		}
	}
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
