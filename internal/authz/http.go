package authz

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var (
	errLoginRequired = apperr.New(apperr.Unauthenticated, "accesso richiesto", "login required")
	errNotAllowed    = apperr.New(apperr.Forbidden, "operazione non consentita al tuo ruolo", "your role does not allow this")
)

// Guard is the authorization link of the request chain for route r: public routes pass;
// others need an authenticated person (401) whose roles allow r's permission in the request's
// domain (403).
func (a *Authorizer) Guard(r route.Route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if r.Public {
			return next
		}
		return func(c echo.Context) error {
			p, ok := auth.PrincipalFrom(c.Request().Context())
			if !ok {
				return errLoginRequired
			}
			if r.Object == "" {
				return next(c)
			}
			allowed, err := a.Allowed(p.IdentityID, Domain(c), r.Object, r.Action)
			if err != nil {
				return err
			}
			if !allowed {
				return errNotAllowed
			}
			return next(c)
		}
	}
}

// Domain is the authorization domain of a request: the district of a district host; on the
// platform host, region:<slug> for routes under /regions/:region, else platform.
func Domain(c echo.Context) string {
	if t, ok := tenancy.FromContext(c.Request().Context()); ok {
		return t.Slug
	}
	if r := c.Param("region"); r != "" && strings.Contains(c.Path(), ":region") {
		return RegionDomain(r)
	}
	return PlatformDomain
}

// Directory knows the people of a domain (implemented by auth.Service).
type Directory interface {
	Members(ctx context.Context, domain string) ([]auth.Member, error)
	Member(ctx context.Context, domain, id string) (auth.Member, error)
}

// API serves who-am-I and the district's role administration.
type API struct {
	authz *Authorizer
	dir   Directory
}

// NewAPI returns the handlers.
func NewAPI(a *Authorizer, dir Directory) *API { return &API{authz: a, dir: dir} }

// Routes are the API's operations.
func (h *API) Routes() []route.Route {
	return []route.Route{
		{Method: http.MethodGet, Path: "/api/v1/me", On: route.OnAny, Tag: "identity", Produces: []string{route.JSON}, Handler: h.me,
			Summary: "Chi sono: identità, distretto, ruoli e permessi / Who am I: identity, district, roles and permissions", Response: meResponse{}},
		{Method: http.MethodGet, Path: "/api/v1/members", On: route.OnDistrict, Tag: "identity", Produces: []string{route.JSON}, Handler: h.listMembers,
			Object: "members", Action: "read", Summary: "Persone del distretto e loro ruoli / The district's people and their roles", Response: []memberWithRoles{}},
		{Method: http.MethodPut, Path: "/api/v1/members/:id/roles/:role", On: route.OnDistrict, Tag: "identity", Produces: []string{route.JSON}, Handler: h.grant,
			Object: "members", Action: "manage", Summary: "Assegna un ruolo / Grant a role", Response: memberWithRoles{}},
		{Method: http.MethodDelete, Path: "/api/v1/members/:id/roles/:role", On: route.OnDistrict, Tag: "identity", Produces: []string{route.JSON}, Handler: h.revoke,
			Object: "members", Action: "manage", Summary: "Revoca un ruolo / Revoke a role", Response: memberWithRoles{}},
	}
}

type meResponse struct {
	User        auth.Principal      `json:"user"`
	District    *districtInfo       `json:"district"`
	Domain      string              `json:"domain"`
	Roles       []string            `json:"roles"`
	Permissions []Permission        `json:"permissions"`
	Domains     map[string][]string `json:"domains,omitempty"` // platform host: roles in each region / platform
	CSRFToken   string              `json:"csrf_token,omitempty"`
}

type districtInfo struct {
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

func (h *API) me(c echo.Context) error {
	ctx := c.Request().Context()
	p, _ := auth.PrincipalFrom(ctx)
	d := Domain(c)
	out := meResponse{User: p, Domain: d, Roles: h.authz.Roles(p.IdentityID, d), Permissions: h.authz.Permissions(p.IdentityID, d), CSRFToken: p.CSRFToken}
	if t, ok := tenancy.FromContext(ctx); ok {
		out.District = &districtInfo{Slug: t.Slug, Name: t.Name, Region: t.Region}
	} else {
		out.Domains = h.authz.Domains(p.IdentityID)
	}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	if out.Permissions == nil {
		out.Permissions = []Permission{}
	}
	return c.JSON(http.StatusOK, out)
}

type memberWithRoles struct {
	auth.Member
	Roles []string `json:"roles"`
}

func (h *API) withRoles(m auth.Member, domain string) memberWithRoles {
	held := h.authz.Roles(m.ID, domain)
	if held == nil {
		held = []string{}
	}
	return memberWithRoles{Member: m, Roles: held}
}

func (h *API) listMembers(c echo.Context) error {
	d := Domain(c)
	ms, err := h.dir.Members(c.Request().Context(), d)
	if err != nil {
		return err
	}
	items := make([]memberWithRoles, len(ms))
	for i, m := range ms {
		items[i] = h.withRoles(m, d)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// target validates the :id and :role of a grant or revoke.
func (h *API) target(c echo.Context) (auth.Member, string, error) {
	role := c.Param("role")
	if !roles.ValidDistrict(role) {
		return auth.Member{}, "", apperr.Invalidf("role", "ruolo sconosciuto %q: ruoli del distretto: %s", "unknown role %q: district roles: %s",
			truncate(role, 40), strings.Join(roles.District, ", "))
	}
	m, err := h.dir.Member(c.Request().Context(), Domain(c), c.Param("id"))
	return m, role, err
}

func (h *API) grant(c echo.Context) error {
	m, role, err := h.target(c)
	if err != nil {
		return err
	}
	p, _ := auth.PrincipalFrom(c.Request().Context())
	d := Domain(c)
	if err := h.authz.Grant(c.Request().Context(), m.ID, role, d, p.IdentityID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.withRoles(m, d))
}

func (h *API) revoke(c echo.Context) error {
	m, role, err := h.target(c)
	if err != nil {
		return err
	}
	d := Domain(c)
	if err := h.authz.RevokeGuarded(c.Request().Context(), m.ID, role, d, roles.UdP); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.withRoles(m, d))
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
