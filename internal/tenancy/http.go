package tenancy

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

// ErrUnknownHost answers every request whose Host is neither the platform nor a district.
var ErrUnknownHost = apperr.New(apperr.NotFound, "indirizzo sconosciuto: nessun distretto risponde a questo nome", "unknown host: no district answers to this name")

const hostKindKey = "ambiti.host_kind"

// ResolveHost is the first link of the request chain: it resolves the Host header to the
// platform or to an active district, puts the district in the request context, and answers
// 404 for anything else — there is never a default district.
func ResolveHost(baseDomain string, reg *Registry) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			kind, slug := ParseHost(c.Request().Host, baseDomain)
			switch kind {
			case PlatformHost:
			case DistrictHost:
				t, err := reg.Lookup(c.Request().Context(), slug)
				if err != nil {
					if apperr.CodeOf(err) == apperr.NotFound {
						return ErrUnknownHost
					}
					return err
				}
				c.SetRequest(c.Request().WithContext(WithTenant(c.Request().Context(), t)))
			default:
				return ErrUnknownHost
			}
			c.Set(hostKindKey, kind)
			return next(c)
		}
	}
}

// HostKindOf returns the kind of host ResolveHost found for this request.
func HostKindOf(c echo.Context) HostKind {
	k, _ := c.Get(hostKindKey).(HostKind)
	return k
}
