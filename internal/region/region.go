// Package region serves the regional bodies — Regione Lombardia / ATS, Regione
// Emilia-Romagna, Provincia autonoma di Trento — with aggregate views of the districts they
// oversee. It reads only the district facts (internal/facts): sections kept current by each
// district's own write transactions, and the region's totals added up in those same
// transactions (platform.region_facts), never a district schema and never personal data. The
// table of a region's districts comes in pages (Store.Page), so that it costs the same with 10
// districts or 1,000; the exports and the pathways' tables still read every district. It
// imports no feature: the sections' shapes are declared in facts. Counts of people are
// suppressed ("<5", facts.Count) everywhere they leave this package.
package region

import (
	"time"

	"github.com/ambiti/ambiti/internal/facts"
)

// Summary is one district in its region's table: the headline figures of its current plan.
type Summary struct {
	ID        string `json:"id"` // = slug
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	Region    string `json:"region"`
	// The plan section's summary; its raw participation is emptied, Participation below
	// is what shows.
	facts.PlanSummary
	Participation Participation `json:"participation"`
	// Pathways are the district's open pathways by "programme:stage" and PathwaysClosed its
	// closed ones by "programme:reason" (no person's data): the district's row of the region's
	// tables (Pathways), suppressed as they are, so that a count hidden there is hidden here.
	// A page of the table (Store.Page) has neither: they depend on every district of the region.
	Pathways       map[string]facts.Count `json:"pathways,omitempty"`
	PathwaysClosed map[string]facts.Count `json:"pathways_closed,omitempty"`
	UpdatedAt      time.Time              `json:"updated_at"`
}

// Participation counts a plan's participatory process, with small counts of people suppressed.
type Participation struct {
	Meetings     int                    `json:"meetings"`
	Participants facts.Count            `json:"participants"`
	ByType       map[string]facts.Count `json:"by_type"`
}

// suppressed is the participation a region may see.
func suppressed(p facts.ParticipationSummary) Participation {
	return Participation{Meetings: p.Meetings, Participants: facts.SuppressOne(p.Participants), ByType: facts.Suppress(p.ByType)}
}

// Detail is the drill-down into one district: its plans with objective summaries.
type Detail struct {
	Summary
	Plans []PlanDetail `json:"plans"`
	// Programmes are the district's row of each programme's regional tables.
	Programmes []DistrictProgramme `json:"programmes"`
	// ParticipantTypes are the keys of the participation counts in the order pages list them.
	ParticipantTypes []string `json:"-"`
}

// PlanDetail is a plan of the drill-down, its participation suppressed like the summary's.
type PlanDetail struct {
	facts.PlanFacts               // its raw participation is emptied
	Participation   Participation `json:"participation"`
}

// Region is a regional body's record.
type Region struct {
	ID string `json:"id"` // = slug
	facts.Region
}
