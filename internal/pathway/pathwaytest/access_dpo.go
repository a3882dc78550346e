package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// dpo: the data protection officer alone searches the audit trail and handles subject requests
// (lookup, export, erasure); nobody else, not even the coordinator, and the DPO no case page.
func dpo() authztest.Table {
	only := authztest.Only(roles.DPO)
	const v = "/api/v1"
	return authztest.Table{
		"GET " + v + "/audit":                    only,
		"GET " + v + "/subjects":                 only,
		"GET " + v + "/subjects/:id/export.json": only,
		"GET " + v + "/subjects/:id/export.pdf":  only,
		"POST " + v + "/subjects/:id/erase":      only,
		"GET /dpo/registro":                      only,
		"GET /dpo/interessati":                   only,
		"POST /dpo/interessati/:id/cancella":     only,
	}
}
