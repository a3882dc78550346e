package region

import (
	"embed"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// pageFiles are the templates and texts of the regional pages.
//
//go:embed templates locales
var pageFiles embed.FS

// pages are the regional pages on the platform host: the regions a person oversees, a region's
// districts side by side, one district in detail. They read the Store only.
type pages struct {
	store *Store
	web   *web.Web
}

// Pages is the region's part of the user interface, for the shell to register.
func Pages(store *Store) web.Feature {
	pg := &pages{store: store}
	return web.Feature{Name: "region", Files: pageFiles, Nav: pg.nav,
		Pages: func(w *web.Web) []route.Route { pg.web = w; return pg.routes() }}
}

// routes lists the regional pages; each line shows the permission it needs.
func (pg *pages) routes() []route.Route {
	home := web.PageRoute(http.MethodGet, "/", route.OnPlatform, "", "", "Home della piattaforma / Platform home", pg.platformHome)
	home.Public = true
	return []route.Route{
		home,
		web.PageRoute(http.MethodGet, "/regioni/:region", route.OnPlatform, "regional", "read", "Distretti della regione a confronto / The region's districts side by side", pg.regionShow),
		web.PageRoute(http.MethodGet, "/regioni/:region/distretti/:slug", route.OnPlatform, "regional", "read", "Un distretto nel dettaglio / One district in detail", pg.regionDistrict),
	}
}

// nav lists, on the platform host, the regions the person oversees.
func (pg *pages) nav(c echo.Context, p *web.Page) []web.NavItem {
	if p.District != nil || p.User == nil || pg.store == nil {
		return nil
	}
	slugs := pg.regionsOf(c)
	if len(slugs) == 0 {
		return nil
	}
	rs, err := pg.store.Regions(c.Request().Context(), slugs)
	if err != nil {
		return nil // the navigation does without them; the page itself reports the error
	}
	items := make([]web.NavItem, 0, len(rs))
	for _, r := range rs {
		items = append(items, web.NavItem{Href: "/regioni/" + r.Slug, Label: r.Name})
	}
	return items
}
