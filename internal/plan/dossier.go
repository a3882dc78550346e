package plan

import "github.com/ambiti/ambiti/internal/facts"

// Dossier is a whole plan as one read model: what the exports, the district home and the
// Assemblea read. Built by Service.Dossier in one tenant transaction.
type Dossier struct {
	District       DistrictInfo         `json:"district"`
	Plan           Plan                 `json:"plan"`
	Objectives     []ObjectiveDetail    `json:"objectives"`
	FundingSources []FundingSource      `json:"funding_sources"`
	Budget         BudgetTotals         `json:"budget"`           // the whole plan
	BudgetBySource []SourceTotals       `json:"budget_by_source"` // the whole plan, per funding source
	Participation  ParticipationSummary `json:"participation"`
}

// DistrictInfo names the district on documents.
type DistrictInfo struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	LeadBody string `json:"lead_body"`
	Region   string `json:"region"`
}

// ObjectiveDetail is an objective with everything hanging from it.
type ObjectiveDetail struct {
	Objective
	AreaName    string       `json:"area_name"`
	ItemName    string       `json:"item_name,omitempty"`
	Indicators  []Indicator  `json:"indicators"` // each with Latest and Progress filled
	Budget      []BudgetLine `json:"budget"`     // by year, then funding source order
	BudgetTotal BudgetTotals `json:"budget_total"`
	Evaluations []Evaluation `json:"evaluations"` // by year
	Assignments []Assignment `json:"assignments"`
}

// ParticipationSummary counts a plan's participatory process: meetings, and people by type
// (the facts' plan section's type: regional readers see it, suppressed).
type ParticipationSummary = facts.ParticipationSummary
