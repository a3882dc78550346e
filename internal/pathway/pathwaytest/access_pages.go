package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// pages are the room's pages for case work, each with the permission of the API operation it
// calls: the case roles read and record (the rows are the service's: a link worker's own, all
// for the coordinator, the health view for health staff); a link worker or the coordinator
// opens a pathway; the coordinator alone assigns; the Ufficio di Piano and the coordinator
// read the aggregates. Assemblea, coop and dpo: 403 everywhere here.
func pages() authztest.Table {
	var (
		caseRoles = authztest.Only(roles.LinkWorker, roles.Coordinatore, roles.ASST)
		openers   = authztest.Only(roles.LinkWorker, roles.Coordinatore)
		onlyCoord = authztest.Only(roles.Coordinatore)
		stats     = authztest.Only(roles.UdP, roles.Coordinatore)
	)
	const p = "/percorsi/:id"
	return authztest.Table{
		"GET /percorsi":                      caseRoles,
		"GET /percorsi/nuovo":                openers,
		"POST /percorsi/nuovo":               openers,
		"GET " + p:                           caseRoles,
		"POST " + p + "/fase":                caseRoles,
		"POST " + p + "/chiusura":            caseRoles,
		"POST " + p + "/consensi":            caseRoles,
		"POST " + p + "/incontri":            caseRoles,
		"POST " + p + "/obiettivi":           caseRoles,
		"POST " + p + "/attivita":            caseRoles,
		"POST " + p + "/valutazioni":         caseRoles,
		"POST " + p + "/progetto":            caseRoles,
		"POST " + p + "/progetto/:pid/firma": caseRoles,
		"GET " + p + "/ons4":                 caseRoles,
		"POST " + p + "/ons4":                caseRoles,
		"GET /percorsi/assegnazioni":         onlyCoord,
		"POST " + p + "/assegna":             onlyCoord,
		"GET /percorsi/statistiche":          stats,
	}
}
