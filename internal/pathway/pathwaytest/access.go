// Package pathwaytest holds the pathway room's test support: who may call each route.
package pathwaytest

import "github.com/ambiti/ambiti/internal/authz/authztest"

// Access says who may call each route of the room on their own district; policies/policy.csv
// grants it and the matrix test in cmd/ambiti checks it. Row-level rules (a link worker's own
// caseload, health staff's shared pathways) are checked by the room's own tests. The table is
// kept in parts, as the API's files are: people and pathways, records, the case pages, DPO.
func Access() authztest.Table {
	t, err := authztest.Merge(people(), records(), pages(), dpo(), referrals(), referralPages(), matching())
	if err != nil {
		panic(err) // a route in two parts: a mistake in this package, caught by any test using it
	}
	return t
}
