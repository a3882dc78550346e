package plan

import (
	"context"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"

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
// facts.PlanSummary and facts.PlanDetail, refreshed by every write of the plan service. A
// write inside one plan recomputes that plan only (splice, facts_splice.go).
func FactsSection() facts.Section {
	return facts.Section{Name: facts.PlanSection, Version: facts.PlanVersion,
		Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
			d, err := computeFacts(tx)
			if err != nil {
				return nil, nil, err
			}
			return summarise(d.Plans), d, nil
		},
		Splice: func(_ context.Context, tx *tenancy.Tx, stored []byte, part any) (any, any, bool, error) {
			id, ok := part.(int64)
			if !ok {
				return nil, nil, false, nil
			}
			summary, detail, ok, err := splice(tx, stored, id)
			if err != nil || !ok {
				return nil, nil, ok, err
			}
			return summary, detail, true, nil
		}}
}

// planSet names some plans as a condition on a column holding a plan's id, with one
// parameter, $1, so that the reads of the facts join to them.
type planSet struct {
	of  func(column string) string
	arg any
}

// everyPlan is every plan of the district (the whole section).
var everyPlan = planSet{func(string) string { return `$1::boolean` }, true}

// boundOrPlan is the plan id with every plan holding an indicator bound to the pathways: those
// plans' facts change with the pathways' own, which a plan write does not see change.
func boundOrPlan(id int64) planSet {
	return planSet{func(column string) string {
		return column + ` IN (SELECT $1::bigint UNION SELECT bo.plan_id FROM objectives bo JOIN indicators bi ON bi.objective_id = bo.id
			WHERE bi.bound_programme <> '' OR bi.bound_figure <> '')`
	}, id}
}

// computeFacts reads the district's plans and reduces them to what regional bodies may read:
// figures and plan content, never people. tx's search_path is the district.
func computeFacts(tx *tenancy.Tx) (facts.PlanDetail, error) {
	f := facts.PlanDetail{ParticipantTypes: ParticipantTypes}
	plans, _, err := factsOf(tx, everyPlan)
	if err != nil {
		return f, err
	}
	f.Plans = plans
	if f.Plans == nil {
		f.Plans = []facts.PlanFacts{}
	}
	return f, nil
}

// factsOf computes the facts of the plans of set, newest first, with the catalogue they were
// computed against. The reads are the same, whatever the number of plans: the plans, the
// catalogue, the objectives with everything hanging from them, the participation by plan.
func factsOf(tx *tenancy.Tx, set planSet) ([]facts.PlanFacts, catalogue, error) {
	var (
		plans   []Plan
		cat     catalogue
		all     []ObjectiveDetail
		partics map[int64]*ParticipationSummary
	)
	err := readInTx(tx, func(r *reads) {
		r.queue(`SELECT `+planColumns+` FROM plans p WHERE `+set.of("p.id")+` ORDER BY p.start_year DESC, p.id DESC`, set.arg).
			Query(collect(&plans, scanPlan))
		queueCatalogue(r, &cat)
		queueDetails(r, objectiveSet{where: set.of("o.plan_id"), arg: set.arg, forFacts: true}, &all)
		queueParticipationByPlan(r, set, &partics)
	})
	if err != nil {
		return nil, cat, err
	}
	byPlan := map[int64][]ObjectiveDetail{}
	for _, d := range all {
		byPlan[d.PlanID] = append(byPlan[d.PlanID], d)
	}
	out := make([]facts.PlanFacts, 0, len(plans))
	for _, p := range plans {
		part := ParticipationSummary{ByType: map[string]int{}}
		if ps := partics[p.ID]; ps != nil {
			part = *ps
		}
		out = append(out, planFacts(p, byPlan[p.ID], cat, part))
	}
	// The plans arrive newest first; a stable sort keeps the order the section always had.
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartYear > out[j].StartYear })
	return out, cat, nil
}

// catalogue is what the facts of every plan name from the district's catalogue.
type catalogue struct {
	sources []FundingSource
	areas   []Area // without their items, which the facts do not name
}

// queueCatalogue reads the areas and the funding sources, each in its order, in one statement.
func queueCatalogue(r *reads, out *catalogue) {
	r.queue(`SELECT kind, code, name, position FROM (SELECT 'a' AS kind, code, name, position FROM policy_areas
		UNION ALL SELECT 's', code, name, position FROM funding_sources) c ORDER BY kind, position`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var kind, code, name string
			var position int
			if err := rows.Scan(&kind, &code, &name, &position); err != nil {
				return err
			}
			if kind == "a" {
				out.areas = append(out.areas, Area{Code: code, Name: name})
			} else {
				out.sources = append(out.sources, FundingSource{Code: code, Name: name, Position: position})
			}
		}
		return rows.Err()
	})
}

// planFacts reduces one plan, its objectives in detail and its participation, to its facts.
func planFacts(p Plan, details []ObjectiveDetail, cat catalogue, part ParticipationSummary) facts.PlanFacts {
	pf := facts.PlanFacts{ID: p.ID, Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Status: string(p.Status),
		Version: p.Version, Objectives: len(details), Areas: []facts.AreaFacts{}, ObjectiveSummaries: []facts.ObjectiveSummary{},
		Participation: part}
	byArea := map[string]*facts.AreaFacts{}
	achievements := map[string][]int{}
	var all []int
	var lines []BudgetLine
	for _, a := range cat.areas {
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
	for _, a := range cat.areas {
		af := byArea[a.Code]
		af.AvgAchievement = mean(achievements[a.Code])
		pf.Areas = append(pf.Areas, *af)
	}
	pf.AvgAchievement = mean(all)
	pf.Budget = Totals(lines)
	pf.BudgetBySource = []facts.SourceTotals{}
	for _, st := range TotalsBySource(lines, cat.sources) {
		pf.BudgetBySource = append(pf.BudgetBySource, facts.SourceTotals{Source: facts.FundingSource{Code: st.Source.Code, Name: st.Source.Name},
			BudgetTotals: st.BudgetTotals})
	}
	return pf
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
