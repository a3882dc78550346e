package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
)

// Every KPI says over how many objectives it counts (issue 19: "Grado medio 75%" from 1
// evaluated objective of 37): an objective with a grado di raggiungimento, or with an
// indicator measured against its target, is assessed; one with neither is not, and a plan
// with none assessed has nothing to show but "n.d.".
func TestKPIsCountTheirCoverage(t *testing.T) {
	ctx, svc, f := withFacts(t)
	ach := func(n int) *int { return &n }
	target := func(v float64) *float64 { return &v }
	p := plan.ImportPlan{Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023, Status: plan.Approved,
		Objectives: []plan.ImportObjective{
			{Title: "Valutato", AreaCode: "A", Evaluations: []plan.ImportEvaluation{{Year: 2022, AchievementPct: ach(75)}}},
			{Title: "Misurato", AreaCode: "A", Indicators: []plan.ImportIndicator{{Kind: plan.Process, Name: "Bando entro 30 giorni", Unit: "giorni",
				Direction: plan.Lower, Target: target(30), Measurements: []plan.MeasurementImport{{Period: "2022", Value: 25}}}}},
			{Title: "Senza misure", AreaCode: "A", Indicators: []plan.ImportIndicator{{Kind: plan.Result, Name: "Utenti", Unit: "n.", Target: target(10)}}},
			{Title: "Nulla", AreaCode: "B"},
		}}
	if _, err := svc.Import(ctx, plan.Actor{ID: "test"}, plan.ImportFile{Plans: []plan.ImportPlan{p}}); err != nil {
		t.Fatal(err)
	}
	dd, ok, err := f.District(ctx, "lombardia", "valle-trompia")
	if err != nil || !ok {
		t.Fatalf("valle-trompia: %v %v", ok, err)
	}
	var sum facts.PlanSummary
	if ok, err := dd.Sections[facts.PlanSection].Decode(facts.PlanVersion, &sum, nil); !ok || err != nil {
		t.Fatalf("no plan section: %v %v", ok, err)
	}
	// On target: "Misurato" (25 giorni, entro 30). Assessed: "Valutato" and "Misurato".
	if sum.Objectives != 4 || sum.OnTarget != 1 || sum.Assessed != 2 || sum.Evaluated != 1 || sum.AvgAchievement == nil || *sum.AvgAchievement != 75 {
		t.Errorf("headline = objectives %d, on target %d, assessed %d, evaluated %d, avg %v", sum.Objectives, sum.OnTarget, sum.Assessed, sum.Evaluated, sum.AvgAchievement)
	}
	for _, a := range sum.Areas {
		want := map[string][2]int{"A": {2, 1}, "B": {0, 0}}[a.Code]
		if a.Objectives > 0 && (a.Assessed != want[0] || a.Evaluated != want[1]) {
			t.Errorf("area %s: assessed %d evaluated %d, want %v", a.Code, a.Assessed, a.Evaluated, want)
		}
		if a.Code == "B" && a.AvgAchievement != nil {
			t.Errorf("area B has an average over nothing: %v", *a.AvgAchievement)
		}
	}
}
