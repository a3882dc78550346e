package plan

import (
	"context"
	"slices"
	"sort"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// OnTargetThreshold is the grado di raggiungimento from which an objective counts as on target.
const OnTargetThreshold = 80

// OnTarget says whether an objective is on target: its latest evaluation reached the
// threshold; or, not yet evaluated, every indicator with a target has reached it (and there
// is at least one). achievement and year are those of the latest evaluation when it gave the
// answer, else nil and 0. The regional facts and the district's home page both count by it.
func (d ObjectiveDetail) OnTarget() (ok bool, achievement *int, year int) {
	if n := len(d.Evaluations); n > 0 {
		last := d.Evaluations[n-1]
		if last.AchievementPct != nil {
			return *last.AchievementPct >= OnTargetThreshold, last.AchievementPct, last.Year
		}
	}
	targeted, reached := 0, 0
	for _, in := range d.Indicators {
		if !in.hasTarget() {
			continue
		}
		targeted++
		if in.Progress != nil && *in.Progress >= 100 {
			reached++
		}
	}
	return targeted > 0 && reached == targeted, nil, 0
}

func mean(xs []int) *float64 {
	if len(xs) == 0 {
		return nil
	}
	sum := 0
	for _, x := range xs {
		sum += x
	}
	v := float64(int64(float64(sum)*10/float64(len(xs))+0.5)) / 10
	return &v
}

// FactsSection is the plan's section of the district facts (internal/facts): its shape is
// facts.PlanSummary and facts.PlanDetail, refreshed by every write of the plan service.
func FactsSection() facts.Section {
	return facts.Section{Name: facts.PlanSection, Version: facts.PlanVersion,
		Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
			d, err := computeFacts(tx)
			if err != nil {
				return nil, nil, err
			}
			return summarise(d.Plans), d, nil
		}}
}

// computeFacts reads the district's plans and reduces them to what regional bodies may read:
// figures and plan content, never people. tx's search_path is the district.
func computeFacts(tx *tenancy.Tx) (facts.PlanDetail, error) {
	f := facts.PlanDetail{ParticipantTypes: ParticipantTypes}
	var (
		plans   []Plan
		total   int64
		sources []FundingSource
		areas   []Area
		all     []ObjectiveDetail // every objective of the district in one pass: this runs inside every plan write
	)
	err := readInTx(tx, func(r *reads) {
		queuePlans(r, PlanFilter{}, &plans, &total)
		queueFundingSources(r, &sources)
		queueAreas(r, &areas)
		queueDetails(r, everyObjective, &all)
	})
	if err != nil {
		return f, err
	}
	byPlan := map[int64][]ObjectiveDetail{}
	for _, d := range all {
		byPlan[d.PlanID] = append(byPlan[d.PlanID], d)
	}
	for _, p := range plans {
		details := byPlan[p.ID]
		pf := facts.PlanFacts{ID: p.ID, Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Status: string(p.Status),
			Version: p.Version, Objectives: len(details), Areas: []facts.AreaFacts{}, ObjectiveSummaries: []facts.ObjectiveSummary{}}
		byArea := map[string]*facts.AreaFacts{}
		achievements := map[string][]int{}
		var all []int
		var lines []BudgetLine
		for _, a := range areas {
			byArea[a.Code] = &facts.AreaFacts{Code: a.Code, Name: a.Name}
		}
		for _, d := range details {
			ok, ach, year := d.OnTarget()
			af := byArea[d.AreaCode]
			af.Objectives++
			if ok {
				af.OnTarget++
				pf.OnTarget++
			}
			if d.Assessed() {
				af.Assessed++
				pf.Assessed++
			}
			if ach != nil {
				af.Evaluated++
				pf.Evaluated++
				achievements[d.AreaCode] = append(achievements[d.AreaCode], *ach)
				all = append(all, *ach)
			}
			lines = append(lines, d.Budget...)
			s := facts.ObjectiveSummary{Title: d.Title, AreaCode: d.AreaCode, SocioSanitary: d.SocioSanitary, OnTarget: ok,
				Achievement: ach, EvaluationYear: year, Budget: d.BudgetTotal, Indicators: []facts.IndicatorSummary{}}
			for _, in := range d.Indicators {
				is := facts.IndicatorSummary{Kind: string(in.Kind), Name: in.Name, Target: in.Target, Progress: in.Progress}
				if in.Latest != nil {
					v := in.Latest.Value
					is.Latest, is.Period = &v, in.Latest.Period
				}
				s.Indicators = append(s.Indicators, is)
			}
			pf.ObjectiveSummaries = append(pf.ObjectiveSummaries, s)
		}
		for _, a := range areas {
			af := byArea[a.Code]
			af.AvgAchievement = mean(achievements[a.Code])
			pf.Areas = append(pf.Areas, *af)
		}
		pf.AvgAchievement = mean(all)
		pf.Budget = Totals(lines)
		pf.BudgetBySource = []facts.SourceTotals{}
		for _, st := range TotalsBySource(lines, sources) {
			pf.BudgetBySource = append(pf.BudgetBySource, facts.SourceTotals{Source: facts.FundingSource{Code: st.Source.Code, Name: st.Source.Name},
				BudgetTotals: st.BudgetTotals})
		}
		ref := planRef(p.ID)
		if err := readInTx(tx, func(r *reads) { queueParticipation(r, &ref, &pf.Participation) }); err != nil {
			return f, err
		}
		f.Plans = append(f.Plans, pf)
	}
	sort.SliceStable(f.Plans, func(i, j int) bool { return f.Plans[i].StartYear > f.Plans[j].StartYear })
	if f.Plans == nil {
		f.Plans = []facts.PlanFacts{}
	}
	return f, nil
}

// summarise reduces the plans (newest first) to the headline of the one a region looks at:
// the approved one in force, else the newest.
func summarise(plans []facts.PlanFacts) facts.PlanSummary {
	if len(plans) == 0 {
		return facts.PlanSummary{Areas: []facts.AreaFacts{}, BudgetBySource: []facts.SourceTotals{},
			Participation: facts.ParticipationSummary{ByType: map[string]int{}}}
	}
	p := plans[max(slices.IndexFunc(plans, func(p facts.PlanFacts) bool { return p.Status == string(Approved) }), 0)]
	return facts.PlanSummary{
		Plan:       &facts.Headline{Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Status: p.Status, Version: p.Version},
		Objectives: p.Objectives, OnTarget: p.OnTarget, OnTargetShare: Percent(int64(p.OnTarget), int64(p.Objectives)),
		Assessed: p.Assessed, Evaluated: p.Evaluated,
		AvgAchievement: p.AvgAchievement, Areas: p.Areas, Budget: p.Budget, BudgetBySource: p.BudgetBySource, Participation: p.Participation,
	}
}
