// Package directorytest holds the directory room's test support: who may call each route.
package directorytest

import (
	"github.com/ambiti/ambiti/internal/authz/authztest"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

// Access says who may call each route of the directory on their own district;
// policies/policy.csv grants it and the matrix test in cmd/ambiti checks it.
//
// Every district role reads the directory: it holds no personal data, and link workers search
// it in their meetings. What each reads is decided row by row: published entries for all,
// unpublished ones too for the Ufficio di Piano and health staff, and a partner's own
// organisation's for that partner. A partner (coop) confirms and proposes changes to its own
// organisation's services and sees its own to verify; the Ufficio di Piano manages, publishes
// and reviews. The public pages (/risorse) show the published entries to anyone.
func Access() authztest.Table {
	var (
		readers = authztest.Only(roles.UdP, roles.Assemblea, roles.ASST, roles.Coop, roles.LinkWorker, roles.Coordinatore)
		keepers = authztest.Only(roles.UdP, roles.Coop) // own organisation's only, for a partner
		onlyUdP = authztest.Only(roles.UdP)
		public  = authztest.Public() // the published directory, to citizens without logging in
	)
	const v = "/api/v1/directory"
	return authztest.Table{
		"GET " + v + "/search":                  readers,
		"GET " + v + "/taxonomy":                readers,
		"GET " + v + "/organizations":           readers,
		"POST " + v + "/organizations":          onlyUdP,
		"GET " + v + "/organizations/:id":       readers,
		"PATCH " + v + "/organizations/:id":     onlyUdP,
		"DELETE " + v + "/organizations/:id":    onlyUdP,
		"GET " + v + "/services":                readers,
		"POST " + v + "/services":               onlyUdP,
		"GET " + v + "/services/:id":            readers,
		"PATCH " + v + "/services/:id":          keepers,
		"DELETE " + v + "/services/:id":         onlyUdP,
		"POST " + v + "/services/:id/publish":   onlyUdP,
		"POST " + v + "/services/:id/unpublish": onlyUdP,
		"POST " + v + "/services/:id/confirm":   keepers,
		"GET " + v + "/services/:id/history":    keepers,
		"GET " + v + "/stale":                   keepers,
		"GET " + v + "/changes":                 onlyUdP,
		"POST " + v + "/changes/:id/approve":    onlyUdP,
		"POST " + v + "/changes/:id/reject":     onlyUdP,
		"GET " + v + "/settings":                onlyUdP,
		"PUT " + v + "/settings":                onlyUdP,
		"GET " + v + "/export.json":             onlyUdP,
		"GET " + v + "/export.zip":              onlyUdP,
		"POST " + v + "/import":                 onlyUdP,

		// The HSDS API: the published directory, without login.
		"GET /api/hsds/":                  public,
		"GET /api/hsds/services":          public,
		"GET /api/hsds/services/:id":      public,
		"GET /api/hsds/organizations":     public,
		"GET /api/hsds/organizations/:id": public,

		// The pages, with the permission of the API operation each calls.
		"GET /risorse":                        public,
		"GET /risorse/:id":                    public,
		"GET /risorse/gestione":               keepers,
		"GET /risorse/da-verificare":          keepers,
		"GET /risorse/proposte":               onlyUdP,
		"POST /risorse/proposte/:id/approva":  onlyUdP,
		"POST /risorse/proposte/:id/respingi": onlyUdP,
		"POST /risorse/:id/pubblica":          onlyUdP,
		"POST /risorse/:id/ritira":            onlyUdP,
		"POST /risorse/:id/conferma":          keepers,
	}
}
