package pathway

import (
	"context"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// FactsSection is the pathways' section of the district facts (internal/facts): counts of
// open pathways by programme and stage and of closed ones by programme and reason, for the
// regional views; no person's data. The Service refreshes it at the end of every transaction
// that wrote (one that recorded a pathway event).
func FactsSection() facts.Section {
	return facts.Section{Name: facts.PathwaysSection, Version: facts.PathwaysVersion,
		Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
			s, err := computeFacts(tx)
			return s, nil, err
		}}
}

func computeFacts(tx *tenancy.Tx) (facts.PathwaysSummary, error) {
	out := facts.PathwaysSummary{Open: map[string]int{}, Closed: map[string]int{}}
	var rows []struct {
		Key    string
		Closed bool
		N      int
	}
	err := tx.Raw(`SELECT programme || ':' || CASE WHEN closed_on IS NULL THEN stage ELSE closure_reason END AS key,
			closed_on IS NOT NULL AS closed, count(*) AS n
		FROM pathways WHERE anonymised_at IS NULL AND ` + counted + ` GROUP BY 1, 2`).Scan(&rows).Error
	for _, r := range rows {
		if r.Closed {
			out.Closed[r.Key] = r.N
		} else {
			out.Open[r.Key] = r.N
		}
	}
	return out, err
}
