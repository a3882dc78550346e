// Package web is the shell of Ambiti's user interface: server-rendered pages with Bootstrap
// Italia, Italian first and English through a language switch, progressive enhancement with
// htmx (every page works without JavaScript). It owns the layout, the shared templates, the
// forms helpers, the catalogues, the charts and the static files; each feature brings its own
// pages, templates and texts as a Feature, and the shell imports no feature. Pages are
// route.Route values like the API's: each names the permission it needs, and the guard checks
// it before the handler runs; a hidden button is never the only barrier. The pages call the
// same domain services as the API.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/route"
)

//go:embed templates locales static
var files embed.FS

// Directory knows the people of a district (auth.Service).
type Directory interface {
	Members(ctx context.Context, domain string) ([]auth.Member, error)
	Member(ctx context.Context, domain, id string) (auth.Member, error)
}

// Deps are what the shell's own pages are built on.
type Deps struct {
	Authz  *authz.Authorizer
	People Directory
	Log    *slog.Logger
	Ops    Operations // the operator's pages; nil: none
}

// Web serves the pages: the shell's own (profile, district users, error) and those the
// features register.
type Web struct {
	Deps
	features []Feature
	cats     map[string]catalogue
	pages    map[string]map[string]*template.Template // language → page name → template
	assets   *assets
}

// New parses the shell's and every feature's templates and texts once; an error in any of
// them, a text defined twice or a template name taken twice fails the start.
func New(d Deps, features ...Feature) (*Web, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if err := checkFeatures(features); err != nil {
		return nil, err
	}
	w := &Web{Deps: d, features: features}
	rooms := []room{{files: files}}
	for _, f := range features {
		rooms = append(rooms, room{prefix: f.Name + "/", files: f.Files})
	}
	var err error
	if w.cats, err = loadCatalogues(rooms); err != nil {
		return nil, err
	}
	static, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	if w.assets, err = loadAssets(static); err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	extra, err := featureFuncs(features)
	if err != nil {
		return nil, err
	}
	if w.pages, err = parseTemplates(files, rooms, w.cats, w.assets, extra); err != nil {
		return nil, err
	}
	return w, nil
}

// Routes lists the shell's pages and those of every feature; each line shows the permission
// it needs (none: public, or any person logged in on this host when not public).
func (w *Web) Routes() []route.Route {
	static := route.Route{Method: http.MethodGet, Path: "/static/*", On: route.OnAny, Tag: "pagine", Public: true, Handler: w.assets.serve,
		Summary:  "File statici delle pagine (CSS, JavaScript, icone, caratteri) / The pages' static files",
		Produces: []string{"text/css", "text/javascript", "image/svg+xml", "font/woff2", "text/plain"}}
	routes := []route.Route{
		static,
		PageRoute(http.MethodGet, "/profilo", route.OnAny, "", "", "Il mio profilo / My profile", w.profile),
		PageRoute(http.MethodGet, "/amministrazione/utenti", route.OnDistrict, "members", "read", "Utenti del distretto e ruoli / The district's users and roles", w.members),
		PageRoute(http.MethodPost, "/amministrazione/utenti/:id/ruoli", route.OnDistrict, "members", "manage", "Assegna o revoca un ruolo / Grant or revoke a role", w.memberRole),
	}
	routes = append(routes, w.legalRoutes()...)
	routes = append(routes, w.operationsRoutes()...)
	routes = append(routes, w.invitationRoutes()...)
	for _, f := range w.features {
		routes = append(routes, f.Pages(w)...)
	}
	return routes
}

// PageRoute is a page: a route answering HTML, tagged "pagine" in the OpenAPI document. obj and
// act name the permission it needs ("" for any person logged in on the host; set Public on
// the result for anyone).
func PageRoute(method, path string, on route.Hosts, obj, act, summary string, h echo.HandlerFunc) route.Route {
	return route.Route{Method: method, Path: path, On: on, Tag: "pagine", Object: obj, Action: act, Summary: summary,
		Handler: h, Produces: []string{route.HTML}}
}
