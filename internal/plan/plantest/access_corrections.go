package plantest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// corrections are the routes that correct or delete measurements, indicators, objectives and
// assignments, and start a plan from the previous one (issue 19): the same permissions as the
// API operations they call.
func corrections() authztest.Table {
	var (
		onlyUdP = authztest.Only(roles.UdP)
		editors = authztest.Only(roles.UdP, roles.ASST)
	)
	return authztest.Table{
		"PATCH /api/v1/measurements/:id":                               editors,
		"DELETE /api/v1/measurements/:id":                              editors,
		"GET /obiettivi/:id/indicatori/:iid/misurazioni/:mid/modifica": editors,
		"POST /obiettivi/:id/indicatori/:iid/misurazioni/:mid":         editors,
		"GET /obiettivi/:id/indicatori/:iid/misurazioni/:mid/elimina":  editors,
		"POST /obiettivi/:id/indicatori/:iid/misurazioni/:mid/elimina": editors,
		"GET /obiettivi/:id/indicatori/:iid/modifica":                  editors,
		"POST /obiettivi/:id/indicatori/:iid":                          editors,
		"GET /obiettivi/:id/indicatori/:iid/elimina":                   editors,
		"POST /obiettivi/:id/indicatori/:iid/elimina":                  editors,
		"GET /obiettivi/:id/elimina":                                   onlyUdP,
		"POST /obiettivi/:id/elimina":                                  onlyUdP,
		"GET /incarichi/:id/elimina":                                   onlyUdP,
		"POST /incarichi/:id/elimina":                                  onlyUdP,
		"GET /obiettivi/:id/incarichi/:aid/modifica":                   onlyUdP,
		"POST /obiettivi/:id/incarichi/:aid":                           onlyUdP,
		"PATCH /api/v1/assignments/:id":                                onlyUdP,
		"POST /api/v1/plans/:id/copy":                                  onlyUdP,
		"GET /piani/:id/riproponi":                                     onlyUdP,
		"POST /piani/:id/riproponi":                                    onlyUdP,
	}
}
