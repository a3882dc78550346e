package plan_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// BenchmarkObjectiveEdit is `PATCH /api/v1/objectives/{id}` as the service runs it: one field
// of one objective of a draft plan, in a district of three plans of 37 objectives each (two
// indicators with four measurements, three budget lines and an evaluation apiece), the plan
// section of the district facts refreshed in the same transaction. It reports the round trips
// of each write.
func BenchmarkObjectiveEdit(b *testing.B) {
	d, ctx, who := benchDistrict(b)
	svc := plan.NewService(tenancy.NewScope(d), facts.NewStore(d, plan.FactsSection()))
	file := plan.ImportFile{}
	for n, st := range []plan.Status{plan.Closed, plan.Approved, plan.Draft} {
		start := 2018 + 3*n
		p := plan.ImportPlan{Title: fmt.Sprintf("Piano di Zona %d-%d", start, start+2), StartYear: start, EndYear: start + 2, Status: st}
		for i := range 37 {
			p.Objectives = append(p.Objectives, benchObjective(i, start))
		}
		file.Plans = append(file.Plans, p)
		file.Meetings = append(file.Meetings, plan.ImportMeeting{Plan: p.Title, HeldOn: fmt.Sprintf("%d-05-10", start), Kind: "focus_group",
			Theme: "Tavolo", Participants: map[string]int{"terzo_settore": 20, "cittadini": 3}})
	}
	if _, err := svc.Import(ctx, who, file); err != nil {
		b.Fatal(err)
	}
	ps, _, err := svc.Plans(ctx, who, plan.PlanFilter{Status: plan.Draft})
	if err != nil || len(ps) != 1 {
		b.Fatalf("the draft: %v %v", ps, err)
	}
	os, _, err := svc.Objectives(ctx, who, ps[0].ID, plan.ObjectiveFilter{Page: plan.Page{Limit: 1}})
	if err != nil || len(os) != 1 {
		b.Fatalf("an objective of the draft: %v", err)
	}
	id := os[0].ID
	before, cpu := d.RoundTrips(), cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		title := fmt.Sprintf("Obiettivo modificato %d", n)
		if _, err := svc.UpdateObjective(ctx, who, id, func(o *plan.Objective) error { o.Title = title; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(d.RoundTrips()-before)/float64(b.N), "round-trips/op")
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// cpuTime is the CPU this process has used, user and system: on a shared machine the time of
// a write is mostly waiting, its CPU is what it costs.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func benchObjective(i, year int) plan.ImportObjective {
	f := func(v float64) *float64 { return &v }
	ach := 50 + i
	o := plan.ImportObjective{Title: fmt.Sprintf("Obiettivo %d", i+1), AreaCode: "A", Description: "Un testo lungo quanto una scheda.",
		Needs: "Bisogni rilevati nel territorio", ExpectedResults: "Più persone raggiunte", Target: "Famiglie",
		Evaluations: []plan.ImportEvaluation{{Year: year, AchievementPct: &ach}}}
	for k := range 2 {
		in := plan.ImportIndicator{Kind: plan.Process, Name: fmt.Sprintf("Indicatore %d", k+1), Unit: "persone", Baseline: f(10), Target: f(100)}
		for q := range 4 {
			in.Measurements = append(in.Measurements, plan.MeasurementImport{Period: fmt.Sprintf("%d-Q%d", year, q+1), Value: float64(20 * (q + 1))})
		}
		o.Indicators = append(o.Indicators, in)
	}
	for y := range 3 {
		o.Budget = append(o.Budget, plan.ImportBudgetLine{Year: year + y, SourceCode: "FNPS", StanziatoEUR: 1000, ImpegnatoEUR: 500, LiquidatoEUR: 200})
	}
	return o
}
