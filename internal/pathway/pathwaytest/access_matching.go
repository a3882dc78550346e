package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// matching are the coordinator's matching routes, API and pages: the link workers' profiles
// and the ranking of the link workers for a pathway. Only the coordinator (action match);
// every other role 403. The one-click assignment posts to the board's route (pages()).
func matching() authztest.Table {
	onlyCoord := authztest.Only(roles.Coordinatore)
	const v = "/api/v1"
	return authztest.Table{
		"GET " + v + "/link-workers":             onlyCoord,
		"PUT " + v + "/link-workers/:id/profile": onlyCoord,
		"GET " + v + "/pathways/:id/matches":     onlyCoord,
		"GET /percorsi/:id/abbinamento":          onlyCoord,
		"GET /percorsi/link-worker":              onlyCoord,
		"GET /percorsi/link-worker/:id":          onlyCoord,
		"POST /percorsi/link-worker/:id":         onlyCoord,
	}
}
