package pathway

import "github.com/ambiti/ambiti/internal/route"

// recordRoutes are the operations on the records of a pathway: assessments, goals, activities, meetings, ONS4, projects and signatures.
func (h *API) recordRoutes() []route.Route {
	return nil
}
