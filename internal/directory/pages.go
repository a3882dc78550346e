package directory

import (
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// pageFiles are the templates (templates/pages/<name>.html, shared pieces in templates/*.html)
// and the texts (locales/<lang>.json) of the directory's pages.
//
//go:embed templates locales
var pageFiles embed.FS

// pages are the directory's pages: the public search and service pages of each district, and
// the management pages of the Ufficio di Piano and of the partners. The same Service as the
// API; one page family per file (pages_public.go, pages_manage.go).
type pages struct {
	svc *Service
	web *web.Web
	// public is who the public pages read as: a system actor, who sees published entries only
	// whoever is logged in, so that they never show an unpublished entry or change.
	public actor.Actor
}

// Pages is the directory's part of the user interface, for the shell to register.
func Pages(svc *Service) web.Feature {
	return web.Feature{Name: "directory", Files: pageFiles, Nav: nav,
		Pages: func(w *web.Web) []route.Route {
			return (&pages{svc: svc, web: w, public: actor.System("risorse")}).routes()
		}}
}

// actor is who is acting on a management page, as the request chain established it.
func (pg *pages) actor(c echo.Context) actor.Actor { return actor.From(c.Request().Context()) }

// nav are the directory's entries of the main navigation, on a district's host: the public
// directory for everyone, its management for whoever keeps entries.
func nav(_ echo.Context, p *web.Page) []web.NavItem {
	if p.District == nil {
		return nil
	}
	items := []web.NavItem{{Href: "/risorse", Label: p.T("nav.directory")}}
	if p.Can(object, actOwn) {
		// The management pages live beside the public ones (/risorse/da-verificare), so the
		// entry says itself which pages are its own.
		manage := false
		for _, prefix := range []string{"/risorse/gestione", "/risorse/da-verificare", "/risorse/proposte"} {
			manage = manage || p.Path == prefix || strings.HasPrefix(p.Path, prefix+"/")
		}
		items = append(items, web.NavItem{Href: "/risorse/gestione", Label: p.T("nav.directory_manage"), Current: manage})
	}
	return items
}

// routes lists the directory's pages; each line shows the permission it needs, the same as the
// API operation the page calls. The public pages need none.
func (pg *pages) routes() []route.Route {
	public := func(path, summary string, h echo.HandlerFunc) route.Route {
		r := web.PageRoute(http.MethodGet, path, route.OnDistrict, "", "", summary, h)
		r.Public = true
		return r
	}
	get := func(path, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodGet, path, route.OnDistrict, object, act, summary, h)
	}
	post := func(path, act, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodPost, path, route.OnDistrict, object, act, summary, h)
	}
	return []route.Route{
		public("/risorse", "Risorse del territorio: ricerca pubblica / Community resources: public search", pg.search),
		public("/risorse/:id", "Un servizio pubblicato, con gli orari in parole / One published service", pg.show),
		get("/risorse/gestione", actOwn, "Gestione delle risorse (un partner: le proprie) / Managing the directory", pg.manage),
		get("/risorse/da-verificare", actOwn, "Risorse da verificare, le più vecchie prima / Services to verify", pg.stale),
		get("/risorse/proposte", actReview, "Proposte di modifica dei partner / Partners' proposed changes", pg.changes),
		post("/risorse/proposte/:id/approva", actReview, "Approva la proposta / Approve the change", pg.approve),
		post("/risorse/proposte/:id/respingi", actReview, "Respingi la proposta con una nota / Reject the change", pg.reject),
		post("/risorse/:id/pubblica", actManage, "Pubblica il servizio / Publish the service", pg.publish(true)),
		post("/risorse/:id/ritira", actManage, "Ritira dalla pubblicazione / Unpublish the service", pg.publish(false)),
		post("/risorse/:id/conferma", actOwn, "Conferma che è aggiornato / Confirm it is up to date", pg.confirm),
	}
}

// pageSize is how many services a list page shows.
const pageSize = 20

// pager is the position in a paged list, with the links to the pages around it.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

// pageOf reads ?pagina= (1 when absent or wrong).
func pageOf(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("pagina"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// newPager builds the links of a list of total items at page n, keeping the query q.
func newPager(path string, q url.Values, n int, total int64) pager {
	pages := int((total + pageSize - 1) / pageSize)
	p := pager{Page: n, Pages: max(pages, 1)}
	link := func(to int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Del("esito")
		v.Del("lang")
		v.Set("pagina", strconv.Itoa(to))
		return path + "?" + v.Encode()
	}
	if n > 1 {
		p.Prev = link(n - 1)
	}
	if n < pages {
		p.Next = link(n + 1)
	}
	return p
}
