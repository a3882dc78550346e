// Package plantest holds the plan room's test support: who may call each of its routes.
package plantest

import (
	"maps"

	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// Access says who may call each route of the plan (API, pages, downloads) on their own
// district. policies/policy.csv grants it; the matrix test in cmd/ambiti checks that the server
// does exactly this, as every demo role, on its own district and on another.
func Access() authztest.Table {
	var (
		onlyUdP = authztest.Only(roles.UdP)
		// readers of the plan: never cooperatives or link workers
		planReaders = authztest.Only(roles.UdP, roles.Assemblea, roles.ASST)
		assemblea   = authztest.Only(roles.Assemblea)
		editors     = authztest.Only(roles.UdP, roles.ASST) // health staff: integrated objectives only (row level)
		partnerView = authztest.Only(roles.UdP, roles.Assemblea, roles.ASST, roles.Coop)
		exports     = authztest.Only(roles.UdP, roles.Assemblea)
	)
	t := authztest.Table{
		"GET /api/v1/funding-sources":                    planReaders,
		"GET /api/v1/areas":                              planReaders,
		"GET /api/v1/plans":                              planReaders,
		"POST /api/v1/plans":                             onlyUdP,
		"GET /api/v1/plans/:id":                          planReaders,
		"PATCH /api/v1/plans/:id":                        onlyUdP,
		"GET /api/v1/plans/:id/dossier":                  planReaders,
		"GET /api/v1/plans/:id/history":                  planReaders,
		"POST /api/v1/plans/:id/propose":                 onlyUdP,
		"POST /api/v1/plans/:id/approve":                 assemblea,
		"POST /api/v1/plans/:id/return":                  assemblea,
		"POST /api/v1/plans/:id/close":                   assemblea,
		"GET /api/v1/plans/:id/amendments":               planReaders,
		"POST /api/v1/plans/:id/amendments":              onlyUdP,
		"POST /api/v1/plans/:id/amendments/:aid/propose": onlyUdP,
		"POST /api/v1/plans/:id/amendments/:aid/approve": assemblea,
		"POST /api/v1/plans/:id/amendments/:aid/return":  assemblea,
		"GET /api/v1/plans/:id/objectives":               planReaders,
		"POST /api/v1/plans/:id/objectives":              onlyUdP,
		"GET /api/v1/objectives/:id":                     planReaders,
		"PATCH /api/v1/objectives/:id":                   editors,
		"DELETE /api/v1/objectives/:id":                  onlyUdP,
		"POST /api/v1/objectives/:id/indicators":         editors,
		"PATCH /api/v1/indicators/:id":                   editors,
		"DELETE /api/v1/indicators/:id":                  editors,
		"GET /api/v1/indicators/:id/measurements":        planReaders,
		"POST /api/v1/indicators/:id/measurements":       editors,
		"GET /api/v1/objectives/:id/budget":              planReaders,
		"PUT /api/v1/objectives/:id/budget":              onlyUdP,
		"GET /api/v1/objectives/:id/evaluations":         planReaders,
		"PUT /api/v1/objectives/:id/evaluations/:year":   editors,
		"GET /api/v1/partners":                           planReaders,
		"POST /api/v1/partners":                          onlyUdP,
		"GET /api/v1/assignments":                        partnerView,
		"GET /api/v1/assignments/:id":                    partnerView,
		"POST /api/v1/objectives/:id/assignments":        onlyUdP,
		"DELETE /api/v1/assignments/:id":                 onlyUdP,
		"GET /api/v1/assignments/:id/reports":            partnerView,
		"POST /api/v1/assignments/:id/reports":           authztest.Only(roles.UdP, roles.Coop),
		"POST /api/v1/reports/:id/review":                onlyUdP,
		"GET /api/v1/meetings":                           authztest.Only(roles.UdP, roles.Assemblea),
		"POST /api/v1/meetings":                          onlyUdP,
		"GET /api/v1/plans/:id/export.xlsx":              exports,
		"GET /api/v1/plans/:id/export.csv":               exports,
		"GET /api/v1/plans/:id/esiti.pdf":                exports,
		"GET /api/v1/plans/:id/documento.pdf":            exports,
		"GET /api/v1/plans/:id/documento.odt":            exports,
		// Attachments: whoever reads (writes) the parent, which the service decides row by row.
		"GET /api/v1/attachments/:kind/:id":  authztest.Anyone(),
		"POST /api/v1/attachments/:kind/:id": authztest.Anyone(),
		"GET /api/v1/attachments/:id":        authztest.Anyone(),
		"DELETE /api/v1/attachments/:id":     authztest.Anyone(),

		// Pages: the same permissions as the API operations they call.
		"GET /allegati/:kind/:id":                              authztest.Anyone(),
		"POST /allegati/:kind/:id":                             authztest.Anyone(),
		"POST /allegati/:kind/:id/elimina":                     authztest.Anyone(),
		"GET /piani":                                           planReaders,
		"GET /piani/nuovo":                                     onlyUdP,
		"POST /piani":                                          onlyUdP,
		"GET /piani/:id":                                       planReaders,
		"POST /piani/:id/proponi":                              onlyUdP,
		"POST /piani/:id/approva":                              assemblea,
		"POST /piani/:id/restituisci":                          assemblea,
		"POST /piani/:id/chiudi":                               assemblea,
		"POST /piani/:id/variazioni":                           onlyUdP,
		"POST /piani/:id/variazioni/:aid/proponi":              onlyUdP,
		"POST /piani/:id/variazioni/:aid/approva":              assemblea,
		"POST /piani/:id/variazioni/:aid/restituisci":          assemblea,
		"GET /piani/:id/obiettivi/nuovo":                       onlyUdP,
		"POST /piani/:id/obiettivi":                            onlyUdP,
		"GET /obiettivi/:id":                                   planReaders,
		"GET /obiettivi/:id/modifica":                          editors,
		"POST /obiettivi/:id":                                  editors,
		"GET /obiettivi/:id/indicatori/nuovo":                  editors,
		"POST /obiettivi/:id/indicatori":                       editors,
		"GET /obiettivi/:id/budget":                            onlyUdP,
		"POST /obiettivi/:id/budget":                           onlyUdP,
		"GET /obiettivi/:id/valutazioni/:year":                 editors,
		"POST /obiettivi/:id/valutazioni/:year":                editors,
		"GET /obiettivi/:id/incarichi/nuovo":                   onlyUdP,
		"POST /obiettivi/:id/incarichi":                        onlyUdP,
		"GET /obiettivi/:id/indicatori/:iid/misurazioni/nuova": editors,
		"POST /obiettivi/:id/indicatori/:iid/misurazioni":      editors,
		"GET /approvazioni":                                    assemblea,
		"GET /partner":                                         planReaders,
		"GET /partner/nuovo":                                   onlyUdP,
		"POST /partner":                                        onlyUdP,
		"GET /partecipazione":                                  authztest.Only(roles.UdP, roles.Assemblea),
		"GET /partecipazione/nuovo":                            onlyUdP,
		"POST /partecipazione":                                 onlyUdP,
		"GET /incarichi":                                       partnerView,
		"GET /incarichi/:id":                                   partnerView,
		"POST /incarichi/:id/rendicontazioni":                  authztest.Only(roles.UdP, roles.Coop),
		"POST /incarichi/:id/rendicontazioni/:report/esame":    onlyUdP,
		"POST /incarichi/:id/rendicontazioni/:report/allegati": authztest.Only(roles.UdP, roles.Coop),
	}
	maps.Copy(t, corrections())
	return t
}
