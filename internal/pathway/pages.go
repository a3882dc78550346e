package pathway

import (
	"embed"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// pageFiles are the templates (templates/pages/<name>.html) and the texts (locales/<lang>.json,
// keys prefixed "pathway.") of the room's pages.
//
//go:embed templates locales
var pageFiles embed.FS

// pages are the room's pages, over the same Service as the API; one page family per file
// (pages_dpo.go: the data protection officer's).
type pages struct {
	svc *Service
	web *web.Web
}

// Pages is the room's part of the user interface, for the shell to register.
func Pages(svc *Service) web.Feature {
	return web.Feature{Name: "pathway", Files: pageFiles, Nav: nav,
		Pages: func(w *web.Web) []route.Route {
			return (&pages{svc: svc, web: w}).routes()
		}}
}

// actor is who is acting, as the request chain established it.
func (pg *pages) actor(c echo.Context) actor.Actor { return actor.From(c.Request().Context()) }

// nav are the room's entries of the main navigation, on a district's host: only what the
// person may open.
func nav(_ echo.Context, p *web.Page) []web.NavItem {
	if p.District == nil {
		return nil
	}
	var items []web.NavItem
	items = append(items, dpoNav(p)...)
	return items
}

// routes lists the room's pages, by family; each line shows the permission it needs, the
// same as the API operation the page calls.
func (pg *pages) routes() []route.Route {
	var rs []route.Route
	rs = append(rs, pg.dpoPages()...)
	return rs
}
