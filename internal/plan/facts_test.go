package plan_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// Every write of the plan refreshes its section of the district facts: the summary is the
// plan in force (approved, though a newer draft exists), the detail every plan, newest first.
func TestTheWritesOfThePlanKeepItsSectionOfTheFacts(t *testing.T) {
	ctx, svc, f := withFacts(t)
	ach := func(n int) *int { return &n }
	inForce := plan.ImportPlan{Title: "Piano di Zona 2021-2023", StartYear: 2021, EndYear: 2023, Status: plan.Approved,
		Objectives: []plan.ImportObjective{
			{Title: "Reddito", AreaCode: "A", Evaluations: []plan.ImportEvaluation{{Year: 2022, AchievementPct: ach(90)}},
				Budget: []plan.ImportBudgetLine{{Year: 2022, SourceCode: "FNPS", StanziatoEUR: 1000, ImpegnatoEUR: 500}}},
			{Title: "Minori", AreaCode: "I", Evaluations: []plan.ImportEvaluation{{Year: 2022, AchievementPct: ach(60)}}},
		}}
	draft := plan.ImportPlan{Title: "Piano di Zona 2025-2027", StartYear: 2025, EndYear: 2027, Status: plan.Draft}
	file := plan.ImportFile{Plans: []plan.ImportPlan{inForce, draft}, Meetings: []plan.ImportMeeting{{Plan: inForce.Title,
		HeldOn: "2021-05-10", Kind: "focus_group", Theme: "Tavolo", Participants: map[string]int{"terzo_settore": 20, "cittadini": 3}}}}
	if _, err := svc.Import(ctx, plan.Actor{ID: "test"}, file); err != nil {
		t.Fatal(err)
	}

	dd, ok, err := f.District(ctx, "lombardia", "valle-trompia")
	if err != nil || !ok {
		t.Fatalf("valle-trompia: %v %v", ok, err)
	}
	var sum facts.PlanSummary
	var det facts.PlanDetail
	if ok, err := dd.Sections[facts.PlanSection].Decode(facts.PlanVersion, &sum, &det); !ok || err != nil {
		t.Fatalf("no plan section: %v %v %+v", ok, err, dd.Sections)
	}
	if sum.Plan == nil || sum.Plan.Title != inForce.Title || sum.Plan.Status != string(plan.Approved) {
		t.Errorf("the summary is about %+v, want the plan in force", sum.Plan)
	}
	if sum.Objectives != 2 || sum.OnTarget != 1 || sum.OnTargetShare == nil || *sum.OnTargetShare != 50 ||
		sum.AvgAchievement == nil || *sum.AvgAchievement != 75 {
		t.Errorf("headline figures: %+v", sum)
	}
	if sum.Budget.StanziatoCents != 100_000 || sum.Budget.ImpegnatoPct == nil || *sum.Budget.ImpegnatoPct != 50 ||
		len(sum.BudgetBySource) != 1 || sum.BudgetBySource[0].Source.Code != "FNPS" || sum.BudgetBySource[0].Source.Name == "" {
		t.Errorf("budget: %+v %+v", sum.Budget, sum.BudgetBySource)
	}
	// The section keeps raw counts: suppressing them is the reader's job (facts.Count).
	if sum.Participation.Participants != 23 || sum.Participation.ByType["cittadini"] != 3 {
		t.Errorf("participation: %+v", sum.Participation)
	}
	if len(det.Plans) != 2 || det.Plans[0].Title != draft.Title || len(det.Plans[1].ObjectiveSummaries) != 2 ||
		!slices.Equal(det.ParticipantTypes, plan.ParticipantTypes) {
		t.Errorf("detail: %+v", det)
	}
}

// withFacts is valle-trompia on a fresh database: a context carrying the district, the plan
// service writing the district facts as the server's does, and the store to read them back.
func withFacts(t *testing.T) (context.Context, *plan.Service, *facts.Store) {
	t.Helper()
	ctx := context.Background()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	f := facts.NewStore(d, plan.FactsSection())
	vt, err := tenancy.NewRegistry(d, time.Hour).Lookup(ctx, "valle-trompia")
	if err != nil {
		t.Fatal(err)
	}
	return tenancy.WithTenant(ctx, vt), plan.NewService(tenancy.NewScope(d), f), f
}
