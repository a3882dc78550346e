package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// people are the routes of people and pathways. Case roles read (their rows only: a link
// worker's own, everything for the coordinator, the health view for health staff) and write;
// only the coordinator assigns; only a link worker (for themselves) or the coordinator opens a
// pathway; the Ufficio di Piano and the coordinator read the aggregates. Assemblea, coop and
// dpo: 403 everywhere here.
func people() authztest.Table {
	var (
		caseRoles = authztest.Only(roles.LinkWorker, roles.Coordinatore, roles.ASST)
		openers   = authztest.Only(roles.LinkWorker, roles.Coordinatore)
		onlyCoord = authztest.Only(roles.Coordinatore)
		stats     = authztest.Only(roles.UdP, roles.Coordinatore)
	)
	const v = "/api/v1"
	return authztest.Table{
		"GET " + v + "/programmes":            caseRoles,
		"GET " + v + "/pathways":              caseRoles,
		"POST " + v + "/pathways":             openers,
		"GET " + v + "/pathways/:id":          caseRoles,
		"POST " + v + "/pathways/:id/stage":   caseRoles,
		"POST " + v + "/pathways/:id/close":   caseRoles,
		"POST " + v + "/pathways/:id/assign":  onlyCoord,
		"GET " + v + "/workers":               onlyCoord,
		"GET " + v + "/persons/:id":           caseRoles,
		"PATCH " + v + "/persons/:id":         caseRoles,
		"GET " + v + "/persons/:id/consents":  caseRoles,
		"POST " + v + "/persons/:id/consents": caseRoles,
		"GET " + v + "/pathways-stats":        stats,
	}
}
