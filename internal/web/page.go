package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// NavItem is an entry of the main navigation.
type NavItem struct {
	Href, Label string
	Current     bool
}

// Crumb is a step of the breadcrumb.
type Crumb struct{ Href, Label string }

// Page is what every template receives: the shell fills the frame (language, district,
// person, navigation), the feature's handler the title, crumbs, form and Data.
type Page struct {
	Lang     string
	Title    string
	SiteName string
	District *tenancy.Tenant
	User     *auth.Principal
	CSRF     string
	Path     string // the current path, for the language switch and the login link
	LangURL  map[string]string
	Nav      []NavItem
	Crumbs   []Crumb
	Flash    string
	Form     *Form
	Data     any
	Status   int

	cat   catalogue
	actor actor.Actor
}

// T translates a key in the page's language (for Go code; templates use t).
func (p *Page) T(key string, args ...any) string { return p.cat.translate(key, args...) }

// Can reports whether the person may do action on object here (for showing buttons: the
// server checks again on submit).
func (p *Page) Can(object, action string) bool { return p.actor.Can(object, action) }

// Format writes numbers, money and dates in the page's language.
func (p *Page) Format() Formatter { return Formatter{p.Lang} }

// LoginURL is the login link, coming back to this page.
func (p *Page) LoginURL() string { return "/auth/login?return_to=" + url.QueryEscape(p.Path) }

// NewPage prepares the page of a request; titleKey names its title in the catalogue.
func (w *Web) NewPage(c echo.Context, titleKey string, titleArgs ...any) *Page {
	lang := negotiateLang(c)
	p := &Page{Lang: lang, cat: w.cats[lang], Path: c.Request().URL.Path, Status: http.StatusOK}
	p.Title = p.T(titleKey, titleArgs...)
	ctx := c.Request().Context()
	if t, ok := tenancy.FromContext(ctx); ok {
		p.District = &t
		p.SiteName = t.Name
	} else {
		p.SiteName = p.T("layout.platform_name")
	}
	if pr, ok := auth.PrincipalFrom(ctx); ok {
		p.User, p.CSRF = &pr, pr.CSRFToken
	}
	p.actor = actor.From(ctx)
	p.LangURL = map[string]string{}
	for _, l := range Languages {
		q := c.Request().URL.Query()
		q.Set("lang", l)
		q.Del("esito")
		p.LangURL[l] = p.Path + "?" + q.Encode()
	}
	if k := c.QueryParam("esito"); k != "" && p.cat.has("flash."+k) {
		p.Flash = p.T("flash." + k)
	}
	p.Nav = w.nav(c, p)
	return p
}

// nav is the main navigation: the home, each feature's entries, then the district's users;
// only what the person may open. The current entry is the one whose address is the longest
// prefix of the page's, unless a feature marked one of its entries current itself.
func (w *Web) nav(c echo.Context, p *Page) []NavItem {
	items := []NavItem{{Href: "/", Label: p.T("nav.home")}}
	for _, f := range w.features {
		if f.Nav != nil {
			items = append(items, f.Nav(c, p)...)
		}
	}
	items = append(items, w.opsNav(p)...)
	if p.District != nil && p.Can("members", "read") {
		items = append(items, NavItem{Href: "/amministrazione/utenti", Label: p.T("nav.users")})
	}
	for _, it := range items {
		if it.Current {
			return items // a feature knows better which of its entries a page belongs to
		}
	}
	cur := p.Path
	best := -1
	for i, it := range items {
		if cur == it.Href || (it.Href != "/" && strings.HasPrefix(cur, it.Href+"/")) {
			if best < 0 || len(it.Href) > len(items[best].Href) {
				best = i
			}
		}
	}
	if best >= 0 {
		items[best].Current = true
	}
	return items
}

// SeeOther ends a successful form submission: the browser goes to u (with a flash message key,
// "flash.<key>" in the catalogue). With a flash the fragment is dropped: the confirmation sits
// at the top of the page, and a jump to a section far below it would leave it out of view.
func SeeOther(c echo.Context, u, flash string) error {
	if flash != "" {
		path, _, _ := strings.Cut(u, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		u = path + sep + "esito=" + url.QueryEscape(flash)
	}
	return c.Redirect(http.StatusSeeOther, u)
}
