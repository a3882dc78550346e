// Package region serves the regional bodies — Regione Lombardia / ATS, Regione
// Emilia-Romagna, Provincia autonoma di Trento — with aggregate views of the districts they
// oversee. It reads only platform.district_facts: figures kept current by each district's own
// write transactions (plan.FactsSink), never a district schema and never personal data.
// Counts of people under five are suppressed ("<5") everywhere they leave this package.
package region

import (
	"encoding/json"
	"time"

	"github.com/ambiti/ambiti/internal/plan"
)

// Summary is one district in its region's table: the headline figures of its current plan.
type Summary struct {
	ID             string              `json:"id"` // = slug
	Slug           string              `json:"slug"`
	Name           string              `json:"name"`
	ShortName      string              `json:"short_name"`
	Region         string              `json:"region"`
	Plan           *Headline           `json:"plan"` // nil: no plan yet
	Objectives     int                 `json:"objectives"`
	OnTarget       int                 `json:"objectives_on_target"`
	OnTargetShare  *float64            `json:"on_target_pct"`
	AvgAchievement *float64            `json:"avg_achievement_pct"`
	Areas          []plan.AreaFacts    `json:"areas"`
	Budget         plan.BudgetTotals   `json:"budget"`
	BudgetBySource []plan.SourceTotals `json:"budget_by_source"`
	Participation  Participation       `json:"participation"`
	// Pathways are the social-prescribing pathways by stage, when the district runs them.
	Pathways  map[string]Count `json:"pathways"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// Headline names the plan a summary is about.
type Headline struct {
	Title     string      `json:"title"`
	StartYear int         `json:"start_year"`
	EndYear   int         `json:"end_year"`
	Status    plan.Status `json:"status"`
	Version   int         `json:"version"`
}

// Participation counts a plan's participatory process, with small counts of people suppressed.
type Participation struct {
	Meetings     int              `json:"meetings"`
	Participants Count            `json:"participants"`
	ByType       map[string]Count `json:"by_type"`
}

// Count is a number of people. Under five (and above zero) it is shown as "<5" — in the API,
// the exports and the pages alike — because in a comune of 128 residents it may point at one.
type Count struct {
	N          int
	Suppressed bool
}

// SmallCount is the threshold under which counts of people are suppressed.
const SmallCount = 5

// MarshalJSON writes the number, or the string "<5".
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte(`"<5"`), nil
	}
	return json.Marshal(c.N)
}

// String renders the count for documents and pages.
func (c Count) String() string {
	if c.Suppressed {
		return "<5"
	}
	return itoa(c.N)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// suppress turns counts of people into Counts, hiding those between 1 and 4. When exactly one
// cell of a group would be hidden, the next smallest is hidden too, so the total cannot give
// it away by subtraction (a zero stays zero: it points at nobody).
func suppress(cells map[string]int) map[string]Count {
	out := make(map[string]Count, len(cells))
	hidden := 0
	for k, n := range cells {
		small := n > 0 && n < SmallCount
		out[k] = Count{N: n, Suppressed: small}
		if small {
			hidden++
		}
	}
	if hidden == 1 && len(cells) > 1 {
		next := ""
		for k, c := range out {
			if !c.Suppressed && c.N > 0 && (next == "" || c.N < out[next].N || c.N == out[next].N && k < next) {
				next = k
			}
		}
		if next != "" {
			c := out[next]
			c.Suppressed = true
			out[next] = c
		}
	}
	return out
}

// single suppresses one standalone count.
func single(n int) Count { return Count{N: n, Suppressed: n > 0 && n < SmallCount} }
