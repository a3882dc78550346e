package pathway

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/route"
)

const dpoPDFType = "application/pdf"

// dpoOp is an operation of the data protection officer: its own object (subject requests, the
// audit trail), not the case workers' "pathways".
func dpoOp(method, path, obj, act, summary string, fn echo.HandlerFunc, produces ...string) route.Route {
	if len(produces) == 0 {
		produces = []string{route.JSON}
	}
	return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "protezione dati", Object: obj, Action: act,
		Summary: summary, Handler: fn, Produces: produces}
}

// dpoRoutes are the operations on the data protection officer's: audit search, subject access (JSON, PDF), erasure.
func (h *API) dpoRoutes() []route.Route {
	return []route.Route{
		dpoOp("GET", v+"/audit", objAudit, actAudit,
			"Registro degli accessi: ricerca (subject, actor, action, what, from, to, limit, offset) / Audit trail search",
			h.dpoAuditSearch).Returning(audit.Page{}),
		dpoOp("GET", v+"/subjects", objSubjects, actManage,
			"Cerca un interessato per codice fiscale (?codice_fiscale=) / Find a data subject by codice fiscale",
			h.dpoFindSubject).Returning(Subject{}),
		dpoOp("GET", v+"/subjects/:id/export.json", objSubjects, actManage,
			"Tutti i dati di una persona (accesso dell'interessato), JSON / Subject access export, JSON",
			h.dpoExportJSON).Returning(Export{}),
		dpoOp("GET", v+"/subjects/:id/export.pdf", objSubjects, actManage,
			"Tutti i dati di una persona (accesso dell'interessato), PDF / Subject access export, PDF",
			h.dpoExportPDF, dpoPDFType),
		dpoOp("POST", v+"/subjects/:id/erase", objSubjects, actManage,
			"Cancella i dati di una persona su richiesta (distrugge la sua chiave) / Erase a person's data on request",
			h.dpoErase).WithBody(ErasureInput{}).Returning(Erasure{}),
	}
}

func (h *API) dpoAuditSearch(c echo.Context) error {
	f, err := auditFilter(c.QueryParams())
	if err != nil {
		return err
	}
	p, err := h.svc.AuditTrail(c.Request().Context(), h.actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// auditFilter reads the audit search's query (the API's and the page's): dates are days in
// the district's time, "to" included.
func auditFilter(q url.Values) (audit.Filter, error) {
	f := audit.Filter{Subject: q.Get("subject"), ActorID: q.Get("actor"), Action: q.Get("action"), What: q.Get("what")}
	for _, d := range []struct {
		name string
		to   *time.Time
		next bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		s := q.Get(d.name)
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, s, rome)
		if err != nil || t.Year() < minYear || t.Year() > maxYear { // year 0 would reach PostgreSQL
			return f, apperr.Invalidf(d.name, "data non valida: usa AAAA-MM-GG", "invalid date: use YYYY-MM-DD")
		}
		if d.next {
			t = t.AddDate(0, 0, 1)
		}
		*d.to = t
	}
	for _, n := range []struct {
		name string
		to   *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if s := q.Get(n.name); s != "" {
			i, err := strconv.Atoi(s)
			if err != nil {
				return f, apperr.Invalidf(n.name, "deve essere un numero intero", "must be a whole number")
			}
			*n.to = i
		}
	}
	return f, nil
}

func (h *API) dpoFindSubject(c echo.Context) error {
	s, err := h.svc.FindSubject(c.Request().Context(), h.actor(c), c.QueryParam("codice_fiscale"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// dpoAttachment names a download of the person's data.
func dpoAttachment(c echo.Context, id, ext string) {
	c.Response().Header().Set("Content-Disposition", `attachment; filename="accesso-dati-`+id+`.`+ext+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
}

func (h *API) dpoExportJSON(c echo.Context) error {
	x, err := h.svc.ExportPerson(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	dpoAttachment(c, x.Person.ID, "json")
	return c.JSONPretty(http.StatusOK, x, "  ")
}

func (h *API) dpoExportPDF(c echo.Context) error {
	x, err := h.svc.ExportPerson(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := ExportPDF(&b, x); err != nil {
		return err
	}
	dpoAttachment(c, x.Person.ID, "pdf")
	return c.Blob(http.StatusOK, dpoPDFType, b.Bytes())
}

func (h *API) dpoErase(c echo.Context) error {
	var in ErasureInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	e, err := h.svc.ErasePerson(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}
