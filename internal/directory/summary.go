package directory

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Free reports whether the service is free of charge, as the search's filter decides it: a
// cost option of amount 0, or no priced option and fees described as free ("Gratuito").
func (r ServiceRecord) Free() bool {
	priced := false
	for _, c := range r.CostOptions {
		if c.Amount != nil && *c.Amount == 0 {
			return true
		}
		priced = priced || (c.Amount != nil && *c.Amount > 0)
	}
	fees := strings.NewReplacer("à", "a", "é", "e").Replace(strings.ToLower(strings.TrimSpace(r.FeesDescription)))
	return !priced && strings.HasPrefix(fees, "gratuit")
}

// Comuni are the municipalities where the service is delivered, by name, each once.
func (r ServiceRecord) Comuni() []string {
	var out []string
	for _, sal := range r.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		for _, a := range sal.Location.Addresses {
			if a.City != "" && !slices.Contains(out, a.City) {
				out = append(out, a.City)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Needs are the codes of the needs the service answers (taxonomy terms), as its attributes
// list them.
func (r ServiceRecord) Needs() []string {
	var out []string
	for _, a := range r.Attributes {
		if a.TaxonomyTerm != nil && !slices.Contains(out, a.TaxonomyTerm.Code) {
			out = append(out, a.TaxonomyTerm.Code)
		}
	}
	return out
}

// Cents is the amount in euro cents, for the pages' money formatter (0 without an amount).
func (c CostOption) Cents() int64 {
	if c.Amount == nil {
		return 0
	}
	return int64(math.Round(*c.Amount * 100))
}

// Comuni lists the district's municipalities by name: what a search's comune may be.
func (s *Service) Comuni(ctx context.Context, a actor.Actor) ([]string, error) {
	var out []string
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		return storeError(tx.Raw("SELECT name FROM municipalities ORDER BY name").Scan(&out).Error, "comuni")
	})
	return out, err
}
