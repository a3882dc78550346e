package region

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// API serves the regional views on the platform host.
type API struct {
	store     *Store
	regionsOf func(echo.Context) []string // the regions the caller oversees
}

// NewAPI returns the handlers.
func NewAPI(s *Store, regionsOf func(echo.Context) []string) *API {
	return &API{store: s, regionsOf: regionsOf}
}

// Routes are the regional operations; the permission is checked in the domain region:<slug>.
func (h *API) Routes() []route.Route {
	r := func(path, act, summary string, fn echo.HandlerFunc, produces ...string) route.Route {
		return route.Route{Method: http.MethodGet, Path: path, On: route.OnPlatform, Tag: "regione", Object: "regional", Action: act,
			Summary: summary, Handler: fn, Produces: produces}
	}
	return []route.Route{
		{Method: http.MethodGet, Path: "/api/v1/regions", On: route.OnPlatform, Tag: "regione", Handler: h.regions, Produces: []string{route.JSON},
			Summary: "Le regioni di cui si è referenti / The regions one oversees", Response: []Region{}},
		r("/api/v1/regions/:region/districts", "read", "Distretti della regione a confronto (cifre principali; per area e per fonte nel dettaglio del distretto), con i totali della regione (?page=&per_page=) / The region's districts side by side (headline figures; by area and by source in the district's detail), with the region's totals", h.districts, route.JSON).Returning([]Summary{}),
		r("/api/v1/regions/:region/districts/:slug", "read", "Sintesi del piano di un distretto / One district's plan summary", h.district, route.JSON).Returning(Detail{}),
		r("/api/v1/regions/:region/districts.xlsx", "export", "Tabella dei distretti (XLSX) / Districts table (XLSX)", h.xlsx, xlsxType),
		r("/api/v1/regions/:region/districts.csv", "export", "Tabella dei distretti (CSV) / Districts table (CSV)", h.csv, csvType),
		r("/api/v1/regions/:region/pathways", "read", "Percorsi per programma nei distretti della regione / Pathways per programme across the region's districts", h.pathways, route.JSON).Returning(Pathways{}),
		r("/api/v1/regions/:region/pathways.csv", "export", "Percorsi per programma (CSV) / Pathways per programme (CSV)", h.pathwaysCSV, csvType),
	}
}

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv"
)

func (h *API) regions(c echo.Context) error {
	rs, err := h.store.Regions(c.Request().Context(), h.regionsOf(c))
	if err != nil {
		return err
	}
	return route.List(c, rs, int64(len(rs)), len(rs), 0)
}

// districts answers a page of the region's table with the region's totals:
// {"items": [...], "total": districts, "limit", "offset", "page", "per_page", "pages", "summary"}.
func (h *API) districts(c echo.Context) error {
	page, perPage, err := paging(c)
	if err != nil {
		return err
	}
	p, err := h.store.Page(c.Request().Context(), c.Param("region"), page, perPage)
	if err != nil {
		return err
	}
	total := p.Totals.Districts
	return route.List(c, p.Districts, int64(total), p.PerPage, (p.Page-1)*p.PerPage, map[string]any{
		"page": p.Page, "per_page": p.PerPage, "pages": (total + p.PerPage - 1) / p.PerPage, "summary": p.Totals})
}

// paging reads ?page= (from 1) and ?per_page= (1 to MaxPerPage, DefaultPerPage by default).
func paging(c echo.Context) (page, perPage int, err error) {
	page, perPage = 1, DefaultPerPage
	if v := c.QueryParam("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return 0, 0, apperr.Invalidf("page", "page è un numero da 1 in su", "page is a number from 1 up")
		}
	}
	if v := c.QueryParam("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 || perPage > MaxPerPage {
			return 0, 0, apperr.Invalidf("per_page", "per_page deve essere tra 1 e %d", "per_page must be between 1 and %d", MaxPerPage)
		}
	}
	return page, perPage, nil
}

func (h *API) district(c echo.Context) error {
	d, err := h.store.District(c.Request().Context(), c.Param("region"), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *API) pathways(c echo.Context) error {
	p, err := h.store.Pathways(c.Request().Context(), c.Param("region"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *API) xlsx(c echo.Context) error {
	return h.download(c, "distretti", "xlsx", xlsxType, WriteXLSX)
}
func (h *API) csv(c echo.Context) error {
	return h.download(c, "distretti", "csv", csvType+"; charset=utf-8", func(w *bytes.Buffer, r string, ds []Summary, _ Pathways) error {
		return WriteCSV(w, r, ds)
	})
}
func (h *API) pathwaysCSV(c echo.Context) error {
	return h.download(c, "percorsi", "csv", csvType+"; charset=utf-8", func(w *bytes.Buffer, r string, _ []Summary, pw Pathways) error {
		return WritePathwaysCSV(w, r, pw)
	})
}

func (h *API) download(c echo.Context, what, ext, ctype string, write func(*bytes.Buffer, string, []Summary, Pathways) error) error {
	region := c.Param("region")
	ds, pw, err := h.store.Overview(c.Request().Context(), region)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(&buf, region, ds, pw); err != nil {
		return err
	}
	name := fmt.Sprintf("regione-%s_%s.%s", strings.ReplaceAll(region, "/", ""), what, ext)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, name))
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}
