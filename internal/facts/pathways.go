package facts

// The pathways' section: what internal/pathway writes (pathway.FactsSection) and
// internal/region and internal/plan read. Counts of pathways, never people's data; raw here,
// suppressed with Count (SuppressTable for a table) by whoever shows them outside the district.
const (
	PathwaysSection = "pathways"
	PathwaysVersion = 2
)

// PathwaysSummary counts the district's pathways (of people who did not withdraw their consent
// to research use): open ones by "programme:stage", closed ones by "programme:reason"; and, per
// programme, its labels and its figures per calendar year.
type PathwaysSummary struct {
	Open       map[string]int            `json:"open"`
	Closed     map[string]int            `json:"closed"`
	Programmes map[string]ProgrammeFacts `json:"programmes"` // by programme code (cope, vmd)
}

// ProgrammeFacts is what a reader outside the pathway room needs to show a programme's counts
// (its name, stages and closure reasons in the programme's order, Italian labels) and its
// figures per year ("2025" → that calendar year's).
type ProgrammeFacts struct {
	Name    string                 `json:"name"`
	Stages  []Label                `json:"stages"`
	Reasons []Label                `json:"reasons"`
	Years   map[string]PathwayYear `json:"years"`
}

// Label is a code with its Italian name.
type Label struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// PathwayYear is a programme's figures over one calendar year, each counted by the date of
// what it counts.
type PathwayYear struct {
	Engaged            int             `json:"engaged"`             // distinct people whose pathway was engaged (engaged_on) in the year
	Started            int             `json:"started"`             // pathways engaged in the year
	Closed             map[string]int  `json:"closed"`              // pathways closed in the year, by closure reason
	ReferralsSent      int             `json:"referrals_sent"`      // referrals sent in the year
	ReferralsAccepted  int             `json:"referrals_accepted"`  // referrals accepted in the year
	ReferralsConcluded int             `json:"referrals_concluded"` // referrals concluded in the year (any outcome)
	ONS4Change         map[string]Mean `json:"ons4_change"`         // by ONS4 item: last follow-up minus baseline, by the year of the last follow-up
	NEETAtStart        int             `json:"neet_at_start"`       // pathways closed in the year that started NEET
	NEETLeft           int             `json:"neet_left"`           // of those, the ones closed in study, work or training
}

// Mean is a sum and how many values it adds up, so means can be combined.
type Mean struct {
	Sum float64 `json:"sum"`
	N   int     `json:"n"`
}
