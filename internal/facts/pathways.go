package facts

// The pathways' section: what internal/pathway writes (pathway.FactsSection) and
// internal/region reads. Counts of pathways, never people's data; raw here, suppressed with
// Count by whoever shows them.
const (
	PathwaysSection = "pathways"
	PathwaysVersion = 1
)

// PathwaysSummary counts the district's pathways (of people who did not withdraw their consent
// to research use): open ones by "programme:stage", closed ones by "programme:reason".
type PathwaysSummary struct {
	Open   map[string]int `json:"open"`
	Closed map[string]int `json:"closed"`
}
