package plan

import (
	"context"
	"sort"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Facts are a district's plans reduced to what regional bodies may read: figures and plan
// content, never people. They are recomputed inside every write transaction of the plan
// (see Service.write), so whoever stores them is never behind the district's own data.
type Facts struct {
	Plans []PlanFacts `json:"plans"`
}

// PlanFacts summarise one plan.
type PlanFacts struct {
	ID                 int64                `json:"id"`
	Title              string               `json:"title"`
	StartYear          int                  `json:"start_year"`
	EndYear            int                  `json:"end_year"`
	Status             Status               `json:"status"`
	Version            int                  `json:"version"`
	Objectives         int                  `json:"objectives"`
	OnTarget           int                  `json:"objectives_on_target"`
	AvgAchievement     *float64             `json:"avg_achievement_pct"` // mean of the latest grado di raggiungimento
	Areas              []AreaFacts          `json:"areas"`
	Budget             BudgetTotals         `json:"budget"`
	BudgetBySource     []SourceTotals       `json:"budget_by_source"`
	Participation      ParticipationSummary `json:"participation"`
	ObjectiveSummaries []ObjectiveSummary   `json:"objective_summaries"`
}

// AreaFacts count a plan's objectives in one area of the catalogue.
type AreaFacts struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Objectives     int      `json:"objectives"`
	OnTarget       int      `json:"objectives_on_target"`
	AvgAchievement *float64 `json:"avg_achievement_pct"`
}

// ObjectiveSummary is what a regional drill-down shows of an objective.
type ObjectiveSummary struct {
	Title          string             `json:"title"`
	AreaCode       string             `json:"area_code"`
	SocioSanitary  bool               `json:"socio_sanitary"`
	OnTarget       bool               `json:"on_target"`
	Achievement    *int               `json:"achievement_pct"` // latest evaluation
	EvaluationYear int                `json:"evaluation_year,omitempty"`
	Budget         BudgetTotals       `json:"budget"`
	Indicators     []IndicatorSummary `json:"indicators"`
}

// IndicatorSummary is an indicator's latest state.
type IndicatorSummary struct {
	Kind     IndicatorKind `json:"kind"`
	Name     string        `json:"name"`
	Target   *float64      `json:"target"`
	Latest   *float64      `json:"latest"`
	Period   string        `json:"period,omitempty"`
	Progress *float64      `json:"progress_pct"`
}

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
		if in.Target == nil {
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

// computeFacts reads the district's plans and reduces them. tx's search_path is the district.
func computeFacts(tx *tenancy.Tx) (Facts, error) {
	var f Facts
	var plans []Plan
	if err := tx.Order("start_year DESC, id DESC").Find(&plans).Error; err != nil {
		return f, err
	}
	var sources []FundingSource
	if err := tx.Order("position").Find(&sources).Error; err != nil {
		return f, err
	}
	var areas []Area
	if err := tx.Raw(`SELECT code, name FROM policy_areas ORDER BY position`).Scan(&areas).Error; err != nil {
		return f, err
	}
	// Every objective of the district in one pass: this runs inside every plan write.
	var objs []Objective
	if err := tx.Order("plan_id, position, id").Find(&objs).Error; err != nil {
		return f, err
	}
	all, err := loadDetails(tx, objs)
	if err != nil {
		return f, err
	}
	byPlan := map[int64][]ObjectiveDetail{}
	for _, d := range all {
		byPlan[d.PlanID] = append(byPlan[d.PlanID], d)
	}
	for _, p := range plans {
		details := byPlan[p.ID]
		pf := PlanFacts{ID: p.ID, Title: p.Title, StartYear: p.StartYear, EndYear: p.EndYear, Status: p.Status, Version: p.Version,
			Objectives: len(details), Areas: []AreaFacts{}, ObjectiveSummaries: []ObjectiveSummary{}}
		byArea := map[string]*AreaFacts{}
		achievements := map[string][]int{}
		var all []int
		var lines []BudgetLine
		for _, a := range areas {
			byArea[a.Code] = &AreaFacts{Code: a.Code, Name: a.Name}
		}
		for _, d := range details {
			ok, ach, year := d.OnTarget()
			af := byArea[d.AreaCode]
			af.Objectives++
			if ok {
				af.OnTarget++
				pf.OnTarget++
			}
			if ach != nil {
				achievements[d.AreaCode] = append(achievements[d.AreaCode], *ach)
				all = append(all, *ach)
			}
			lines = append(lines, d.Budget...)
			s := ObjectiveSummary{Title: d.Title, AreaCode: d.AreaCode, SocioSanitary: d.SocioSanitary, OnTarget: ok,
				Achievement: ach, EvaluationYear: year, Budget: d.BudgetTotal, Indicators: []IndicatorSummary{}}
			for _, in := range d.Indicators {
				is := IndicatorSummary{Kind: in.Kind, Name: in.Name, Target: in.Target, Progress: in.Progress}
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
		pf.BudgetBySource = TotalsBySource(lines, sources)
		if pf.BudgetBySource == nil {
			pf.BudgetBySource = []SourceTotals{}
		}
		id := p.ID
		if pf.Participation, err = participation(tx, &id); err != nil {
			return f, err
		}
		f.Plans = append(f.Plans, pf)
	}
	sort.SliceStable(f.Plans, func(i, j int) bool { return f.Plans[i].StartYear > f.Plans[j].StartYear })
	if f.Plans == nil {
		f.Plans = []PlanFacts{}
	}
	return f, nil
}

// FactsSink receives a district's facts inside the transaction that changed them.
type FactsSink func(ctx context.Context, tx *gorm.DB, facts Facts) error

// CurrentFacts computes the district's facts now (for a full rebuild).
func (s *Service) CurrentFacts(ctx context.Context, actor Actor) (Facts, error) {
	var f Facts
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		f, err = computeFacts(tx)
		return err
	})
	return f, err
}
