package authz

import (
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Actors is the link of the request chain after authentication: it builds the request's actor
// once — who, their organisation, the domain, their roles there, the regions they oversee (on
// the platform host) and what they may do — and puts it in the request's context for handlers,
// pages and services.
func (a *Authorizer) Actors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		p, ok := auth.PrincipalFrom(ctx)
		if !ok {
			return next(c)
		}
		domain := Domain(c)
		can := func(object, action string) bool {
			allowed, err := a.Allowed(p.IdentityID, domain, object, action)
			return err == nil && allowed
		}
		var regions []string
		if _, onDistrict := tenancy.FromContext(ctx); !onDistrict {
			// Only the platform host shows regional views; listing them scans every binding of
			// the person, which a district request has no use for.
			regions = a.RegionsOverseen(p.IdentityID)
		}
		who := actor.New(p.IdentityID, p.Name, p.Organisation, domain, a.Roles(p.IdentityID, domain), regions, can)
		c.SetRequest(c.Request().WithContext(actor.With(ctx, who)))
		return next(c)
	}
}

// RegionsOverseen lists, sorted, the regions whose views the identity reads: those where it
// holds the regione role in the domain region:<slug>.
func (a *Authorizer) RegionsOverseen(identityID string) []string {
	var out []string
	for domain, held := range a.snap.Load().bySubject[Subject(identityID)] { // read only: no copy per request
		if r, ok := strings.CutPrefix(domain, regionPrefix); ok && slices.Contains(held, roles.Regione) {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out
}
