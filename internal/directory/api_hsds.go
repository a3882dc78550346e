package directory

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// HSDSVersion is the version of the Open Referral specification the HSDS API follows.
const HSDSVersion = "3.0"

// hsdsProfile is the profile the API declares: HSDS 3.0 itself, Ambiti adds no profile (its
// one extension, the partner code, is an organization_identifier).
const hsdsProfile = "https://docs.openreferral.org/en/v3.0/"

// HSDSInfo is what GET /api/hsds/ answers (HSDS openapi.json, "/").
type HSDSInfo struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// HSDSAPI serves a district's published directory as HSDS 3.0's API: public, read-only, and
// only what the Ufficio di Piano has published (the service's Published* methods, asked by a
// system actor since nobody is logged in).
type HSDSAPI struct {
	svc    *Service
	reader actor.Actor // who reads: nobody is logged in
}

// NewHSDSAPI returns the handlers.
func NewHSDSAPI(svc *Service) *HSDSAPI { return &HSDSAPI{svc: svc, reader: actor.System("hsds-api")} }

// Routes are HSDS's read operations on services and organizations, without login.
func (h *HSDSAPI) Routes() []route.Route {
	r := func(path, summary string, fn echo.HandlerFunc) route.Route {
		return route.Route{Method: http.MethodGet, Path: path, On: route.OnDistrict, Tag: "hsds", Public: true,
			Summary: summary, Handler: fn, Produces: []string{route.JSON}}
	}
	const v = "/api/hsds"
	return []route.Route{
		r(v+"/", "Informazioni sull'API HSDS / About this HSDS API", h.info).Returning(HSDSInfo{}),
		r(v+"/services", "Servizi pubblicati, HSDS 3.0 (?page=&per_page=&search=&taxonomy_term_id=&organization_id=) / Published services", h.services).Returning(HSDSPage[HSDSService]{}),
		r(v+"/services/:id", "Un servizio pubblicato, HSDS 3.0 / One published service", h.service).Returning(HSDSService{}),
		r(v+"/organizations", "Organizzazioni con servizi pubblicati, HSDS 3.0 (?page=&per_page=) / Organizations with published services", h.organizations).Returning(HSDSPage[HSDSOrganization]{}),
		r(v+"/organizations/:id", "Un'organizzazione, HSDS 3.0 / One organization", h.organization).Returning(HSDSOrganization{}),
	}
}

func (h *HSDSAPI) info(c echo.Context) error {
	scheme := c.Scheme()
	return c.JSON(http.StatusOK, HSDSInfo{Version: HSDSVersion, Profile: hsdsProfile,
		OpenAPIURL: scheme + "://" + c.Request().Host + "/api/v1/openapi.json"})
}

// hsdsPaging reads HSDS's page (from 1) and per_page (1 to 500, 50 by default).
func hsdsPaging(c echo.Context) (page, perPage int, err error) {
	page, perPage = 1, 50
	if v := c.QueryParam("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, apperr.Invalidf("page", "page è un numero da 1 in su", "page is a number from 1 up")
		}
	}
	if v := c.QueryParam("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > 500 {
			return 0, 0, apperr.Invalidf("per_page", "per_page deve essere tra 1 e 500", "per_page must be between 1 and 500")
		}
	}
	return page, perPage, nil
}

func (h *HSDSAPI) services(c echo.Context) error {
	page, perPage, err := hsdsPaging(c)
	if err != nil {
		return err
	}
	q := PublishedQuery{Search: c.QueryParam("search"), TaxonomyTermID: c.QueryParam("taxonomy_term_id"),
		OrganizationID: c.QueryParam("organization_id"), Page: Page{Limit: perPage, Offset: (page - 1) * perPage}}
	rs, total, err := h.svc.FindPublished(c.Request().Context(), h.reader, q)
	if err != nil {
		return err
	}
	out := make([]HSDSService, len(rs))
	for i, r := range rs {
		out[i] = ToHSDS(r)
	}
	return c.JSON(http.StatusOK, NewHSDSPage(out, total, page, perPage))
}

func (h *HSDSAPI) service(c echo.Context) error {
	r, err := h.svc.Published(c.Request().Context(), h.reader, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToHSDS(r))
}

func (h *HSDSAPI) organizations(c echo.Context) error {
	page, perPage, err := hsdsPaging(c)
	if err != nil {
		return err
	}
	os, total, err := h.svc.PublishedOrganizations(c.Request().Context(), h.reader, Page{Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	out := make([]HSDSOrganization, len(os))
	for i, o := range os {
		out[i] = ToHSDSOrganization(o)
	}
	return c.JSON(http.StatusOK, NewHSDSPage(out, total, page, perPage))
}

func (h *HSDSAPI) organization(c echo.Context) error {
	o, err := h.svc.PublishedOrganization(c.Request().Context(), h.reader, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ToHSDSOrganization(o))
}
