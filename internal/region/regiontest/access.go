// Package regiontest holds the region room's test support: who may call each of its routes.
package regiontest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// Access says who may call each route of the regional views, on the platform host (where
// regional bodies log in); the matrix test in cmd/ambiti checks it.
func Access() authztest.Table {
	regione := authztest.Only(roles.Regione)
	return authztest.Table{
		"GET /api/v1/regions":                         authztest.Anyone(),
		"GET /api/v1/regions/:region/districts":       regione,
		"GET /api/v1/regions/:region/districts/:slug": regione,
		"GET /api/v1/regions/:region/districts.xlsx":  regione,
		"GET /api/v1/regions/:region/districts.csv":   regione,
		"GET /api/v1/regions/:region/pathways":        regione,
		"GET /api/v1/regions/:region/pathways.csv":    regione,
		"GET /regioni/:region":                        regione,
		"GET /regioni/:region/distretti/:slug":        regione,
	}
}
