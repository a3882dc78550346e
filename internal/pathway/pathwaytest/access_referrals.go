package pathwaytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// referrals: link workers and the coordinator send and cancel referrals (their own caseload,
// every pathway for the coordinator) and read a pathway's; a partner's users (coop) read the
// referrals addressed to their organisation and answer them; accepting, refusing and
// concluding are open to both sides (the sender's for an organisation with no users here: the
// service decides per referral); the coordinator alone grants and revokes an urgent override
// of the consent to share; the DPO alone lists the overrides.
func referrals() authztest.Table {
	var (
		senders   = authztest.Only(roles.LinkWorker, roles.Coordinatore)
		caseRoles = authztest.Only(roles.LinkWorker, roles.Coordinatore, roles.ASST)
		inbox     = authztest.Only(roles.Coop)
		bothSides = authztest.Only(roles.LinkWorker, roles.Coordinatore, roles.Coop)
		onlyCoord = authztest.Only(roles.Coordinatore)
		onlyDPO   = authztest.Only(roles.DPO)
	)
	const v, r = "/api/v1", "/api/v1/referrals/:id"
	return authztest.Table{
		"POST " + v + "/pathways/:id/referrals":        senders,
		"GET " + v + "/pathways/:id/referrals":         caseRoles,
		"GET " + v + "/referrals/inbox":                inbox,
		"GET " + r:                                     inbox,
		"POST " + r + "/accept":                        bothSides,
		"POST " + r + "/refuse":                        bothSides,
		"POST " + r + "/conclude":                      bothSides,
		"POST " + r + "/cancel":                        senders,
		"POST " + v + "/persons/:id/consent-overrides": onlyCoord,
		"POST " + v + "/consent-overrides/:id/revoke":  onlyCoord,
		"GET " + v + "/dpo/consent-overrides":          onlyDPO,
	}
}

// referralPages are the pages of the same operations, with the same permissions: the partners'
// inbox (coop), the pathway page's forms (send, cancel, the steps of an organisation with no
// users here; the coordinator's override), the DPO's list of overrides.
func referralPages() authztest.Table {
	var (
		senders   = authztest.Only(roles.LinkWorker, roles.Coordinatore)
		inbox     = authztest.Only(roles.Coop)
		onlyCoord = authztest.Only(roles.Coordinatore)
		onlyDPO   = authztest.Only(roles.DPO)
	)
	const p = "/percorsi/:id"
	return authztest.Table{
		"GET /invii":                         inbox,
		"GET /invii/:id":                     inbox,
		"POST /invii/:id/accetta":            inbox,
		"POST /invii/:id/rifiuta":            inbox,
		"POST /invii/:id/concludi":           inbox,
		"POST " + p + "/invii":               senders,
		"POST " + p + "/invii/:rid/annulla":  senders,
		"POST " + p + "/invii/:rid/esito":    senders,
		"POST " + p + "/deroga":              onlyCoord,
		"POST " + p + "/deroghe/:oid/revoca": onlyCoord,
		"GET /dpo/deroghe":                   onlyDPO,
	}
}
