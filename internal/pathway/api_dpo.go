package pathway

import "github.com/ambiti/ambiti/internal/route"

// dpoRoutes are the operations on the data protection officer's: audit search, subject access (JSON, PDF), erasure.
func (h *API) dpoRoutes() []route.Route {
	return nil
}
