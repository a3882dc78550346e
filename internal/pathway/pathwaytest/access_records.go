package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// records: the records of a pathway are written by who works it: the link worker (own
// caseload), the coordinator (any), health staff (the health view: health assessments and
// the ASST's signature; the service refuses the rest). A signature is a "write" route too: the
// service checks the party's own action (sign_asst, sign_comune, sign_process_manager).
func records() authztest.Table {
	workers := authztest.Only(roles.LinkWorker, roles.Coordinatore, roles.ASST)
	const p = "/api/v1/pathways/:id"
	return authztest.Table{
		"POST " + p + "/assessments":        workers,
		"POST " + p + "/goals":              workers,
		"PATCH " + p + "/goals/:gid":        workers,
		"POST " + p + "/activities":         workers,
		"PATCH " + p + "/activities/:aid":   workers,
		"POST " + p + "/meetings":           workers,
		"POST " + p + "/outcomes":           workers,
		"POST " + p + "/projects":           workers,
		"POST " + p + "/projects/:pid/sign": workers,
	}
}
