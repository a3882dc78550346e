// Package pathway is the room of people's pathways (percorsi, presa in carico): the COPE
// social-prescribing pathway of the link workers and the Valle Trompia multidimensional
// assessment → Progetto Individualizzato, each a programme defined by a file shipped with the
// product (programmes/). It holds special-category personal data: every read and write goes
// through a district transaction that records the access in the audit trail (tenancy.Tx.Audit),
// and sensitive fields are encrypted with the person's data key (internal/keyring).
//
// Who sees what: Casbin says which kind of action a role may take (object "pathways"); the rows
// come from the queries here (access.go): a link worker's own caseload, every pathway for the
// coordinator, the socio-sanitary pathways for health staff (a COPE one only with the person's
// consent to share it with the health authority). The Ufficio di Piano reads aggregates only.
package pathway

import "time"

// The permissions the room asks the actor for (policies/policy.csv, object "pathways").
const (
	object        = "pathways"
	actRead       = "read"        // the pathways assigned to the actor
	actReadHealth = "read_health" // the socio-sanitary pathways (VMD; COPE with consent to share)
	actReadAll    = "read_all"    // every pathway of the district
	actWrite      = "write"       // work the pathways one reads: meetings, assessments, outcomes
	actAssign     = "assign"      // open pathways for anyone, assign and reassign them
	actStats      = "stats"       // aggregates only, no personal data
)

// Date is a calendar day, "2026-11-27" in JSON.
type Date = string

// Person is someone the district follows, decrypted for the reader.
type Person struct {
	ID           string    `json:"id"`
	GivenName    string    `json:"given_name"`
	FamilyName   string    `json:"family_name"`
	CodiceFisc   string    `json:"codice_fiscale,omitempty"`
	BirthDate    Date      `json:"birth_date,omitempty"`
	Sex          string    `json:"sex,omitempty"` // F, M, X or ""
	Municipality string    `json:"municipality,omitempty"`
	Language     string    `json:"language,omitempty"` // ISO 639 code, "it", "pt", …
	Contacts     Contacts  `json:"contacts"`
	CreatedAt    time.Time `json:"created_at"`
	Erased       bool      `json:"erased,omitempty"`
}

// Contacts are how to reach a person.
type Contacts struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// PersonInput is a new person or a person's new details.
type PersonInput struct {
	GivenName    string   `json:"given_name"`
	FamilyName   string   `json:"family_name"`
	CodiceFisc   string   `json:"codice_fiscale"`
	BirthDate    Date     `json:"birth_date"`
	Sex          string   `json:"sex"`
	Municipality string   `json:"municipality"`
	Language     string   `json:"language"`
	Contacts     Contacts `json:"contacts"`
}

// Pathway is one pathway of one person in one programme.
type Pathway struct {
	ID            string `json:"id"`
	PersonID      string `json:"person_id"`
	Programme     string `json:"programme"`
	Stage         string `json:"stage"`
	Source        string `json:"source,omitempty"`
	EngagedOn     Date   `json:"engaged_on"`
	AssignedTo    string `json:"assigned_to,omitempty"`
	AssignedName  string `json:"assigned_name,omitempty"`
	NEETStart     string `json:"neet_start,omitempty"`
	NEETClose     string `json:"neet_close,omitempty"`
	NextFollowUp  Date   `json:"next_follow_up,omitempty"`
	ClosedOn      Date   `json:"closed_on,omitempty"`
	ClosureReason string `json:"closure_reason,omitempty"`
	Version       int    `json:"version"`
}

// CaseloadItem is one line of a caseload or of the coordinator's board.
type CaseloadItem struct {
	Pathway
	PersonName  string `json:"person_name"`
	Age         int    `json:"age,omitempty"`
	DueThisWeek bool   `json:"due_this_week"` // a follow-up falls due within 7 days (or is overdue)
}

// OpenInput opens a pathway: for an existing person (PersonID) or a new one (Person).
type OpenInput struct {
	PersonID  string       `json:"person_id,omitempty"`
	Person    *PersonInput `json:"person,omitempty"`
	Programme string       `json:"programme"`
	Source    string       `json:"source"`
	EngagedOn Date         `json:"engaged_on"`
	AssignTo  string       `json:"assign_to,omitempty"` // identity id; default: the actor, if a link worker
	NEETStart string       `json:"neet_start,omitempty"`
	// Consent to the pathway itself (trattamento) is needed to open it.
	NoticeVersion string `json:"notice_version"`
}

// Event is one line of a pathway's history: who did what, when.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Kind      string    `json:"kind"`
	FromStage string    `json:"from_stage,omitempty"`
	ToStage   string    `json:"to_stage,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// The consent purposes.
const (
	PurposeProcessing = "trattamento"  // the pathway itself
	PurposeSharing    = "condivisione" // sharing with a named body (Party)
	PurposeResearch   = "ricerca"      // anonymous use for evaluation and research
)

// PartyHealth is the health authority (ASST / APSS) as a party of a consent to share.
const PartyHealth = "sanita"

// Consent is one recorded decision of a person on one purpose.
type Consent struct {
	ID             string    `json:"id"`
	PersonID       string    `json:"person_id"`
	Purpose        string    `json:"purpose"`
	Party          string    `json:"party,omitempty"`
	Given          bool      `json:"given"`
	NoticeVersion  string    `json:"notice_version"`
	RecordedAt     time.Time `json:"recorded_at"`
	RecordedBy     string    `json:"recorded_by"`
	RecordedByName string    `json:"recorded_by_name"`
}

// ConsentInput records a consent given or withdrawn.
type ConsentInput struct {
	Purpose       string `json:"purpose"`
	Party         string `json:"party,omitempty"`
	Given         bool   `json:"given"`
	NoticeVersion string `json:"notice_version"`
}

// Assessment is the assessment of one domain.
type Assessment struct {
	ID           string    `json:"id"`
	PathwayID    string    `json:"pathway_id"`
	Domain       string    `json:"domain"`
	AssessorKind string    `json:"assessor_kind"` // sociale | sanitaria
	AssessedOn   Date      `json:"assessed_on"`
	Level        int       `json:"level"` // 0 no need … 3 severe need
	Needs        []string  `json:"needs,omitempty"`
	Notes        string    `json:"notes,omitempty"`
	AssessorName string    `json:"assessor_name"`
	CreatedAt    time.Time `json:"created_at"`
}

// Goal is one goal of the individual action plan.
type Goal struct {
	ID        string `json:"id"`
	PathwayID string `json:"pathway_id"`
	Domain    string `json:"domain,omitempty"`
	Text      string `json:"text"`
	Status    string `json:"status"` // aperto, in_corso, raggiunto, abbandonato
	StartedOn Date   `json:"started_on"`
	TargetOn  Date   `json:"target_on,omitempty"`
	EndedOn   Date   `json:"ended_on,omitempty"`
}

// Activity is an activity or a referral to a community resource.
type Activity struct {
	ID          string `json:"id"`
	PathwayID   string `json:"pathway_id"`
	Kind        string `json:"kind"` // attivita | invio
	ServiceID   string `json:"service_id,omitempty"`
	ServiceName string `json:"service_name,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status"` // proposta, in_corso, conclusa, rifiutata
	StartedOn   Date   `json:"started_on"`
	EndedOn     Date   `json:"ended_on,omitempty"`
}

// Meeting is a meeting or follow-up contact.
type Meeting struct {
	ID             string `json:"id"`
	PathwayID      string `json:"pathway_id"`
	HeldOn         Date   `json:"held_on"`
	Kind           string `json:"kind"` // incontro, telefonata, follow_up, visita
	Notes          string `json:"notes,omitempty"`
	RecordedByName string `json:"recorded_by_name"`
	NextFollowUp   Date   `json:"next_follow_up,omitempty"` // input only: moves the pathway's next follow-up
}

// ONS4 is one measurement of the four ONS personal well-being items, each 0–10, kept apart and
// never summed. Anxiety is nil when a minor skips it.
type ONS4 struct {
	ID               string `json:"id"`
	PathwayID        string `json:"pathway_id"`
	Occasion         string `json:"occasion"` // baseline, follow_up, chiusura
	MeasuredOn       Date   `json:"measured_on"`
	LifeSatisfaction *int   `json:"life_satisfaction"`
	Worthwhile       *int   `json:"worthwhile"`
	Happiness        *int   `json:"happiness"`
	Anxiety          *int   `json:"anxiety"`
}

// Project is one version of a Progetto Individualizzato.
type Project struct {
	ID          string      `json:"id"`
	PathwayID   string      `json:"pathway_id"`
	Version     int         `json:"version"`
	Status      string      `json:"status"` // bozza, firmato, superato
	Supports    []Support   `json:"supports"`
	Commitments Commitments `json:"commitments"`
	Signatures  []Signature `json:"signatures"`
	CreatedAt   time.Time   `json:"created_at"`
	SignedAt    *time.Time  `json:"signed_at,omitempty"`
}

// Support is one support of a project.
type Support struct {
	Kind      string `json:"kind"`      // e.g. assistenza domiciliare, centro diurno
	Provider  string `json:"provider"`  // who provides it
	Frequency string `json:"frequency"` // e.g. "3 ore a settimana"
	Funding   string `json:"funding"`   // e.g. FNA, Comune, ASST
}

// Commitments are what each party commits to.
type Commitments struct {
	Person string `json:"persona"`
	Family string `json:"famiglia,omitempty"`
	Comune string `json:"comune"`
	ASST   string `json:"asst"`
}

// Signature is one party's signature of a project version.
type Signature struct {
	Party      string    `json:"party"`
	SignerName string    `json:"signer_name"`
	SignedAt   time.Time `json:"signed_at"`
}

// Detail is a pathway on one page: what the reader may see of it.
type Detail struct {
	Pathway     Pathway      `json:"pathway"`
	Person      Person       `json:"person"`
	Consents    []Consent    `json:"consents"` // the current state per purpose
	Assessments []Assessment `json:"assessments"`
	Goals       []Goal       `json:"goals,omitempty"`
	Activities  []Activity   `json:"activities,omitempty"`
	Meetings    []Meeting    `json:"meetings,omitempty"`
	Outcomes    []ONS4       `json:"outcomes,omitempty"`
	Projects    []Project    `json:"projects,omitempty"`
	Referrals   []Referral   `json:"referrals,omitempty"` // to the directory's services, with their steps
	Overrides   []Override   `json:"overrides,omitempty"` // the person's urgent overrides (for who may grant them)
	History     []Event      `json:"history"`
	// HealthView is true when the reader sees the pathway as health staff: the socio-sanitary
	// records only (assessments, projects), not the meetings' notes or the outcomes.
	HealthView bool `json:"health_view"`
}
