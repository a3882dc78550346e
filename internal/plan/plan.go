// Package plan is the Piano di Zona of a district: triennial plans with their workflow
// (bozza → proposto → approvato → chiuso, amendments after approval), objectives, indicators
// and measurements, budget by funding source, the yearly evaluation sheet, partners with their
// assignments and reports, and participation. It holds no personal data.
package plan

import "time"

// Status is where a plan stands in its approval workflow.
type Status string

// The statuses of a plan.
const (
	Draft    Status = "bozza"     // the Ufficio di Piano writes it
	Proposed Status = "proposto"  // waiting for the Assemblea dei Sindaci
	Approved Status = "approvato" // in force; changes only through an amendment
	Closed   Status = "chiuso"    // the triennium is over; evaluations may still be filed
)

// Statuses are all the statuses of a plan, in workflow order: what the API, the importer and
// the pages accept and list.
var Statuses = []Status{Draft, Proposed, Approved, Closed}

// Plan is a triennial Piano di Zona.
type Plan struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	StartYear  int        `json:"start_year"`
	EndYear    int        `json:"end_year"`
	Status     Status     `json:"status"`
	Version    int        `json:"version"`
	ReturnNote string     `json:"return_note"`
	ApprovedAt *time.Time `json:"approved_at"`
	// DeliberaNumber and DeliberaDate are the Assemblea's act that approved the plan.
	DeliberaNumber string     `json:"delibera_number"`
	DeliberaDate   *time.Time `json:"delibera_date"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Transition is one change of a plan's (or an amendment's) status.
type Transition struct {
	ID          int64     `json:"id"`
	PlanID      int64     `json:"plan_id"`
	AmendmentID *int64    `json:"amendment_id"`
	FromStatus  string    `json:"from_status"`
	ToStatus    string    `json:"to_status"`
	ActorID     string    `json:"actor_id"`
	ActorName   string    `json:"actor_name"`
	Note        string    `json:"note"`
	At          time.Time `json:"at" gorm:"default:now()"`
}

// AmendmentStatus is where an amendment (variazione) stands.
type AmendmentStatus string

// The statuses of an amendment.
const (
	AmendmentOpen     AmendmentStatus = "aperta"    // changes are being made and recorded
	AmendmentProposed AmendmentStatus = "proposta"  // waiting for the Assemblea
	AmendmentApproved AmendmentStatus = "approvata" // the plan's version went up by one
)

// Amendment is a recorded change of an approved plan: who, when, why, what.
type Amendment struct {
	ID           int64           `json:"id"`
	PlanID       int64           `json:"plan_id"`
	Reason       string          `json:"reason"`
	Status       AmendmentStatus `json:"status"`
	OpenedBy     string          `json:"opened_by"`
	OpenedByName string          `json:"opened_by_name"`
	ReturnNote   string          `json:"return_note"`
	OpenedAt     time.Time       `json:"opened_at"`
	DecidedAt    *time.Time      `json:"decided_at"`
	// DeliberaNumber and DeliberaDate are the Assemblea's act that approved the amendment.
	DeliberaNumber string     `json:"delibera_number"`
	DeliberaDate   *time.Time `json:"delibera_date"`
	Changes        []Change   `json:"changes" gorm:"-"`
}

// Change is one recorded change inside an amendment.
type Change struct {
	ID          int64          `json:"id"`
	AmendmentID int64          `json:"-"`
	Entity      string         `json:"entity"`
	EntityID    int64          `json:"entity_id"`
	Operation   string         `json:"operation"` // create, update, delete
	Before      map[string]any `json:"before" gorm:"serializer:json"`
	After       map[string]any `json:"after" gorm:"serializer:json"`
	ActorID     string         `json:"actor_id"`
	At          time.Time      `json:"at" gorm:"default:now()"`
}

// Marker tells an innovative objective from one continuing the previous plan.
const (
	Innovative = "innovativo"
	Continuing = "continuita"
)

// Objective is an objective of the plan, with the fields of the 2021-2023 objective sheets.
type Objective struct {
	ID                 int64     `json:"id"`
	PlanID             int64     `json:"plan_id"`
	Position           int       `json:"position"`
	Title              string    `json:"title"`
	Description        string    `json:"description"`
	AreaCode           string    `json:"area_code"`           // macro-area / area of the region's catalogue
	ItemCode           *string   `json:"item_code"`           // optional finer entry (scheda regionale)
	Marker             string    `json:"marker"`              // innovativo | continuita | ""
	Target             string    `json:"target"`              // TARGET
	EconomicResources  string    `json:"economic_resources"`  // RISORSE ECONOMICHE PREVENTIVATE, as written
	StaffResources     string    `json:"staff_resources"`     // RISORSE DI PERSONALE DEDICATE
	Transversal        bool      `json:"transversal"`         // trasversale ed integrato con altre aree di policy
	TransversalAreas   string    `json:"transversal_areas"`   //
	SocioSanitary      bool      `json:"socio_sanitary"`      // aspetti di integrazione sociosanitaria
	ContinuityPrevious bool      `json:"continuity_previous"` // in continuità con la programmazione precedente
	CoDesigned         bool      `json:"co_designed"`         // co-progettato con altri attori della rete
	CoDesignPartners   string    `json:"co_design_partners"`  //
	Needs              string    `json:"needs"`               // a quale/i bisogno/i risponde
	ProcessModalities  string    `json:"process_modalities"`  // modalità organizzative, operative e di erogazione
	ExpectedResults    string    `json:"expected_results"`    // quali risultati vuole raggiungere
	Impact             string    `json:"impact"`              // quale impatto ha avuto l'intervento
	Timing             string    `json:"timing"`              // tempi
	Premialita         bool      `json:"premialita"`          // obiettivo premiale
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`

	// RipropostoDa is the objective of the previous plan this one was proposed again from
	// ("riproposto nella prossima programmazione"); nil for a new one. Set only by CopyPlan.
	RipropostoDa *int64 `json:"riproposto_da"`
}

// IndicatorKind classifies an indicator as the plans do (§7 of the Valle Trompia plan).
type IndicatorKind string

// The kinds of indicator.
const (
	Process IndicatorKind = "processo"
	Result  IndicatorKind = "risultato"
	Outcome IndicatorKind = "outcome"
	Impact  IndicatorKind = "impatto"
)

// IndicatorKinds are all the kinds of indicator, in the plans' order.
var IndicatorKinds = []IndicatorKind{Process, Result, Outcome, Impact}

// Indicator measures an objective.
type Indicator struct {
	ID           int64         `json:"id"`
	ObjectiveID  int64         `json:"objective_id"`
	Position     int           `json:"position"`
	Kind         IndicatorKind `json:"kind"`
	Name         string        `json:"name"`
	Unit         string        `json:"unit"`
	Baseline     *float64      `json:"baseline"`
	BaselineNote string        `json:"baseline_note"`
	Target       *float64      `json:"target"`
	// Direction says which values are better; TargetMin..TargetMax is the target range of an
	// "intervallo" indicator (direction.go).
	Direction Direction `json:"direction"`
	TargetMin *float64  `json:"target_min"`
	TargetMax *float64  `json:"target_max"`
	// Binding ties the indicator to a figure of the district's pathways (binding.go).
	Binding Binding `json:"binding" gorm:"embedded;embeddedPrefix:bound_"`
	// Latest and Progress are computed: the newest measurement and how far it has gone from
	// the baseline (or 0) towards the target, in percent (may exceed 100). For a bound
	// indicator, Latest is the whole period's value and Bound the values year by year.
	Latest   *Measurement `json:"latest,omitempty" gorm:"-"`
	Progress *float64     `json:"progress_pct,omitempty" gorm:"-"`
	Bound    *BoundValues `json:"bound_values,omitempty" gorm:"-"`
	// Series is every measurement of the indicator, oldest period first (series.go).
	Series []Measurement `json:"series,omitempty" gorm:"-"`
}

// Measurement is a measured value of an indicator for a period (2022, 2022-S1, 2022-Q3, 2022-06).
type Measurement struct {
	ID          int64     `json:"id"`
	IndicatorID int64     `json:"indicator_id"`
	Period      string    `json:"period"`
	Value       float64   `json:"value"`
	Source      string    `json:"source"`
	Note        string    `json:"note"`
	RecordedBy  string    `json:"recorded_by"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// FundingSource is an entry of the funding catalogue (FNPS, FNA, Fondo Povertà…).
type FundingSource struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Position int    `json:"-"`
}

// BudgetLine is what an objective has allocated (stanziato), committed (impegnato) and paid
// (liquidato) from one funding source in one year, in euro cents.
type BudgetLine struct {
	ID             int64     `json:"id"`
	ObjectiveID    int64     `json:"objective_id"`
	Year           int       `json:"year"`
	SourceCode     string    `json:"source_code"`
	StanziatoCents int64     `json:"stanziato_cents"`
	ImpegnatoCents int64     `json:"impegnato_cents"`
	LiquidatoCents int64     `json:"liquidato_cents"`
	Note           string    `json:"note"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Evaluation is the yearly evaluation sheet of an objective (the "esiti" of the plans).
type Evaluation struct {
	ID                 int64     `json:"id"`
	ObjectiveID        int64     `json:"objective_id"`
	Year               int       `json:"year"`
	AchievementPct     *int      `json:"achievement_pct"`      // grado di raggiungimento dell'obiettivo
	UserEvaluation     string    `json:"user_evaluation"`      // non_pertinente | si | non_attivata | non_effettuata
	UserEvaluationNote string    `json:"user_evaluation_note"` //
	ResourceMatchPct   *int      `json:"resource_match_pct"`   // coincidenza tra risorse stanziate e impegnate/liquidate
	ResourceMatchNote  string    `json:"resource_match_note"`  //
	Issues             string    `json:"issues"`               // criticità rilevate
	NeedMet            string    `json:"need_met"`             // si | no | in_parte | parzialmente
	NeedMetNote        string    `json:"need_met_note"`        //
	ContinuityPrevious *bool     `json:"continuity_previous"`  // in continuità con la programmazione precedente
	ContinuityNote     string    `json:"continuity_note"`      //
	ProposedAgain      *bool     `json:"proposed_again"`       // riproposto nella prossima programmazione
	ProposedAgainNote  string    `json:"proposed_again_note"`  //
	UpdatedBy          string    `json:"updated_by"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// PartnerKind classifies a partner.
var PartnerKinds = []string{"cooperativa", "terzo_settore", "azienda_sanitaria", "ente_pubblico", "scuola", "sindacato", "altro"}

// Partner is an organisation taking part in the plan. Its Code equals the organisation claim
// of its users, which is how a cooperative's people see its assignments and nothing else.
type Partner struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// Assignment is an intervention of an objective entrusted to a partner.
type Assignment struct {
	ID          int64     `json:"id"`
	ObjectiveID int64     `json:"objective_id"`
	PartnerID   int64     `json:"partner_id"`
	Activity    string    `json:"activity"`
	CreatedAt   time.Time `json:"created_at"`
	// AssignedOn is the day the activity was entrusted (nil: not known, e.g. imported without
	// it); BudgetCents what the district set aside for it (nil: not stated).
	AssignedOn  *time.Time `json:"assigned_on" gorm:"type:date"`
	BudgetCents *int64     `json:"budget_cents"`
	// Joined for display.
	ObjectiveTitle string `json:"objective_title" gorm:"->"`
	PartnerName    string `json:"partner_name" gorm:"->"`
	PlanID         int64  `json:"plan_id" gorm:"->"`
}

// Report is what a partner reports on an assignment for a period: aggregates, never people.
type Report struct {
	ID           int64     `json:"id"`
	AssignmentID int64     `json:"assignment_id"`
	Period       string    `json:"period"`
	UsersServed  *int      `json:"users_served"`
	Hours        *float64  `json:"hours"`
	Satisfaction *float64  `json:"satisfaction"` // 1–5
	Note         string    `json:"note"`
	ReportedBy   string    `json:"reported_by"`
	ReportedAt   time.Time `json:"reported_at"`
	// What it spent in the period, against the assignment's budget.
	ExpenditureCents *int64 `json:"expenditure_cents"`
	// A measurement it proposes for one of the objective's indicators, for the same period:
	// it becomes a measurement when the Ufficio di Piano accepts the report.
	IndicatorID   *int64   `json:"indicator_id"`
	ProposedValue *float64 `json:"proposed_value"`
	// The Ufficio di Piano's review: inviata → accettata | da_modificare (with a note).
	Status     ReportStatus `json:"status"`
	ReviewNote string       `json:"review_note"`
	ReviewedBy string       `json:"reviewed_by"`
	ReviewedAt *time.Time   `json:"reviewed_at"`
}

// MeetingKinds and ParticipantTypes are the vocabularies of participation.
var (
	MeetingKinds     = []string{"tavolo_tecnico", "focus_group", "consultazione", "assemblea_pubblica", "laboratorio", "restituzione"}
	ParticipantTypes = []string{"enti_pubblici", "terzo_settore", "sindacati", "cittadini", "sanita", "scuole", "altri"}
)

// Meeting is a participation event: a tavolo tecnico, a focus group, a consultation.
type Meeting struct {
	ID           int64          `json:"id"`
	PlanID       *int64         `json:"plan_id"`
	HeldOn       string         `json:"held_on"` // YYYY-MM-DD
	Kind         string         `json:"kind"`
	Theme        string         `json:"theme"`
	Notes        string         `json:"notes"`
	Participants map[string]int `json:"participants" gorm:"-"` // by participant type
	Total        int            `json:"total" gorm:"-"`
	CreatedAt    time.Time      `json:"created_at"`
}
