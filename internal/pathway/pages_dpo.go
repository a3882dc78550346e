package pathway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The data protection officer's pages: the audit trail's search and the subject requests
// (lookup by codice fiscale, export, erasure). They call the same service methods as the API.

func dpoNav(p *web.Page) []web.NavItem {
	var items []web.NavItem
	if p.Can(objAudit, actAudit) {
		items = append(items, web.NavItem{Href: "/dpo/registro", Label: p.T("pathway.nav.audit")})
	}
	if p.Can(objAudit, actAudit) {
		items = append(items, web.NavItem{Href: "/dpo/deroghe", Label: p.T("pathway.nav.overrides")})
	}
	if p.Can(objSubjects, actManage) {
		items = append(items, web.NavItem{Href: "/dpo/interessati", Label: p.T("pathway.nav.subjects")})
	}
	return items
}

func (pg *pages) dpoPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/dpo/registro", route.OnDistrict, objAudit, actAudit,
			"Registro degli accessi: ricerca / Audit trail search", pg.auditPage),
		web.PageRoute(http.MethodGet, "/dpo/interessati", route.OnDistrict, objSubjects, actManage,
			"Richieste degli interessati: ricerca per codice fiscale / Subject requests", pg.subjectsPage),
		web.PageRoute(http.MethodPost, "/dpo/interessati/:id/cancella", route.OnDistrict, objSubjects, actManage,
			"Cancella i dati di una persona / Erase a person's data", pg.erasePage),
	}
}

// auditPageSize is how many rows of the trail a page shows.
const auditPageSize = 50

type auditData struct {
	Page     audit.Page
	Searched bool
	Prev     string
	Next     string
}

func (pg *pages) auditPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.audit.title")
	q := c.QueryParams()
	p.Form = &web.Form{Values: q}
	d := auditData{}
	f, err := auditFilter(q)
	if err == nil {
		f.Limit = auditPageSize
		d.Searched = true
		d.Page, err = pg.svc.AuditTrail(c.Request().Context(), pg.actor(c), f)
	}
	if err != nil {
		d.Searched = false
		p.Data = d
		return pg.web.FailForm(c, "pathway/dpo_audit", p, q, err)
	}
	link := func(offset int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Del("esito")
		v.Del("lang")
		v.Set("offset", strconv.Itoa(offset))
		return "/dpo/registro?" + v.Encode()
	}
	if f.Offset > 0 {
		d.Prev = link(max(f.Offset-auditPageSize, 0))
	}
	if int64(f.Offset+len(d.Page.Items)) < d.Page.Total {
		d.Next = link(f.Offset + auditPageSize)
	}
	p.Data = d
	return pg.web.Render(c, "pathway/dpo_audit", p)
}

type subjectsData struct {
	Subject  *Subject
	NotFound bool
}

func (pg *pages) subjectsPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.subjects.title")
	q := c.QueryParams()
	p.Form = &web.Form{Values: q}
	var d subjectsData
	var sub Subject
	var err error
	switch {
	case q.Get("persona") != "":
		sub, err = pg.svc.Subject(c.Request().Context(), pg.actor(c), q.Get("persona"))
	case strings.TrimSpace(q.Get("codice_fiscale")) != "":
		sub, err = pg.svc.FindSubject(c.Request().Context(), pg.actor(c), q.Get("codice_fiscale"))
	default:
		p.Data = d
		return pg.web.Render(c, "pathway/dpo_subjects", p)
	}
	switch {
	case err == nil:
		d.Subject = &sub
	case apperr.CodeOf(err) == apperr.NotFound:
		d.NotFound = true
	default:
		p.Data = d
		return pg.web.FailForm(c, "pathway/dpo_subjects", p, q, err)
	}
	p.Data = d
	return pg.web.Render(c, "pathway/dpo_subjects", p)
}

func (pg *pages) erasePage(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err != nil {
		return err
	}
	if !web.Truthy(v.Get("confirm")) {
		err = apperr.Invalidf("confirm", "conferma di voler cancellare i dati: non si possono recuperare", "confirm the erasure: the data cannot be recovered")
	} else {
		_, err = pg.svc.ErasePerson(c.Request().Context(), pg.actor(c), id, ErasureInput{Reason: v.Get("reason"), Reference: v.Get("reference")})
	}
	if err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			return err
		}
		p := pg.web.NewPage(c, "pathway.subjects.title")
		sub, serr := pg.svc.Subject(c.Request().Context(), pg.actor(c), id)
		if serr != nil {
			return serr
		}
		p.Data = subjectsData{Subject: &sub}
		return pg.web.FailForm(c, "pathway/dpo_subjects", p, v, err)
	}
	return web.SeeOther(c, "/dpo/interessati?persona="+url.QueryEscape(id), "pathway_erased")
}
