package facts

// The plan's section: what internal/plan writes (plan.FactsSection) and internal/region reads.
// The shape is declared here, once, so that the reader decodes it without importing the plan;
// the plan fills it from its own types. BudgetTotals and ParticipationSummary are the plan's
// own types too (plan declares them as aliases of these), so they cannot drift apart.
const (
	PlanSection = "plan"
	PlanVersion = 1
)

// PlanSummary is the plan section's summary: the headline figures of the district's current
// plan (the newest approved one, else the newest), what a region's table shows.
type PlanSummary struct {
	Plan           *Headline            `json:"plan"` // nil: no plan yet
	Objectives     int                  `json:"objectives"`
	OnTarget       int                  `json:"objectives_on_target"`
	OnTargetShare  *float64             `json:"on_target_pct"`
	AvgAchievement *float64             `json:"avg_achievement_pct"`
	Areas          []AreaFacts          `json:"areas"`
	Budget         BudgetTotals         `json:"budget"`
	BudgetBySource []SourceTotals       `json:"budget_by_source"`
	Participation  ParticipationSummary `json:"participation"` // raw counts: suppress them
	// Coverage (issue 19): the objectives there is anything to judge on target by, and those
	// with a grado di raggiungimento (the base of AvgAchievement). Both 0 in facts written
	// before they existed, until the district's next write.
	Assessed  int `json:"objectives_assessed"`
	Evaluated int `json:"objectives_evaluated"`
}

// PlanDetail is the plan section's detail: every plan of the district, newest first.
type PlanDetail struct {
	Plans []PlanFacts `json:"plans"`
	// ParticipantTypes are the keys of Participation.ByType in the order pages list them.
	ParticipantTypes []string `json:"participant_types"`
}

// Headline names the plan a summary is about.
type Headline struct {
	Title     string `json:"title"`
	StartYear int    `json:"start_year"`
	EndYear   int    `json:"end_year"`
	Status    string `json:"status"`
	Version   int    `json:"version"`
}

// PlanFacts summarise one plan.
type PlanFacts struct {
	ID                 int64                `json:"id"`
	Title              string               `json:"title"`
	StartYear          int                  `json:"start_year"`
	EndYear            int                  `json:"end_year"`
	Status             string               `json:"status"`
	Version            int                  `json:"version"`
	Objectives         int                  `json:"objectives"`
	OnTarget           int                  `json:"objectives_on_target"`
	AvgAchievement     *float64             `json:"avg_achievement_pct"` // mean of the latest grado di raggiungimento
	Areas              []AreaFacts          `json:"areas"`
	Budget             BudgetTotals         `json:"budget"`
	BudgetBySource     []SourceTotals       `json:"budget_by_source"`
	Participation      ParticipationSummary `json:"participation"` // raw counts: suppress them
	ObjectiveSummaries []ObjectiveSummary   `json:"objective_summaries"`
	Assessed           int                  `json:"objectives_assessed"`  // with anything to judge on target by
	Evaluated          int                  `json:"objectives_evaluated"` // with a grado di raggiungimento
}

// AreaFacts count a plan's objectives in one area of the catalogue.
type AreaFacts struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Objectives     int      `json:"objectives"`
	OnTarget       int      `json:"objectives_on_target"`
	AvgAchievement *float64 `json:"avg_achievement_pct"`
	Assessed       int      `json:"objectives_assessed"`
	Evaluated      int      `json:"objectives_evaluated"`
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
	Kind     string   `json:"kind"`
	Name     string   `json:"name"`
	Target   *float64 `json:"target"`
	Latest   *float64 `json:"latest"`
	Period   string   `json:"period,omitempty"`
	Progress *float64 `json:"progress_pct"`
}

// BudgetTotals are allocated (stanziato), committed (impegnato) and paid (liquidato) euro
// cents, with the execution ratios in percent (nil when the base is zero).
type BudgetTotals struct {
	StanziatoCents       int64    `json:"stanziato_cents"`
	ImpegnatoCents       int64    `json:"impegnato_cents"`
	LiquidatoCents       int64    `json:"liquidato_cents"`
	ImpegnatoPct         *float64 `json:"impegnato_pct"`
	LiquidatoPct         *float64 `json:"liquidato_pct"`
	LiquidatoSuImpegnato *float64 `json:"liquidato_su_impegnato_pct"`
}

// SourceTotals are the budget totals of one funding source.
type SourceTotals struct {
	Source FundingSource `json:"source"`
	BudgetTotals
}

// FundingSource names a funding source of the district's catalogue.
type FundingSource struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ParticipationSummary counts a plan's participatory process: meetings, and people by type.
type ParticipationSummary struct {
	Meetings     int            `json:"meetings"`
	Participants int            `json:"participants"`
	ByType       map[string]int `json:"by_type"`
}
