package pathway

import "github.com/ambiti/ambiti/internal/route"

// peopleRoutes are the operations on people and pathways: persons, opening, caseload, detail, stages, assignment, consent, history, stats.
func (h *API) peopleRoutes() []route.Route {
	return nil
}
