package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// parseTemplates builds, for each language, one template per page: the layout and partials
// plus templates/pages/<name>.html. The translation function is bound per language, so
// rendering never clones.
func parseTemplates(fsys fs.FS, cats map[string]catalogue, a *assets) (map[string]map[string]*template.Template, error) {
	pageFiles, err := fs.Glob(fsys, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range Languages {
		base, err := template.New("base").Funcs(funcs(lang, cats[lang], a)).ParseFS(fsys, "templates/*.html")
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		out[lang] = map[string]*template.Template{}
		for _, f := range pageFiles {
			t, err := template.Must(base.Clone()).ParseFS(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", f, err)
			}
			if t.Lookup("content") == nil {
				return nil, fmt.Errorf("web: template %s defines no \"content\"", f)
			}
			out[lang][strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return out, nil
}

// funcs are the template functions of one language.
func funcs(lang string, cat catalogue, a *assets) template.FuncMap {
	f := formatter{lang}
	return template.FuncMap{
		"t":     cat.translate,
		"asset": a.url,
		"eur":   f.cents,
		"pct":   f.pct,
		"pctp": func(v *int) string {
			if v == nil {
				return "—"
			}
			return f.number(float64(*v)) + "%"
		},
		"num": f.number,
		"nump": func(v *float64) string {
			if v == nil {
				return "—"
			}
			return f.number(*v)
		},
		"date": f.date,
		// day formats a date held as text (YYYY-MM-DD…), as the meetings keep it.
		"day": func(s string) string {
			if len(s) >= 10 {
				if d, err := time.Parse(time.DateOnly, s[:10]); err == nil {
					return f.date(d)
				}
			}
			return s
		},
		"datetime": f.dateTime,
		"datep": func(t *time.Time) string {
			if t == nil {
				return "—"
			}
			return f.date(*t)
		},
		// key builds a catalogue key from parts: (key "status" .Status) → "status.bozza".
		"key": func(parts ...any) string {
			s := make([]string, len(parts))
			for i, p := range parts {
				s[i] = fmt.Sprint(p)
			}
			return strings.Join(s, ".")
		},
		"add": func(a, b int) int { return a + b },
		// achievement is the grado di raggiungimento of the latest evaluation, if any.
		"achievement": func(evs []plan.Evaluation) *int {
			for i := len(evs) - 1; i >= 0; i-- {
				if evs[i].AchievementPct != nil {
					return evs[i].AchievementPct
				}
			}
			return nil
		},
		// icon draws a Bootstrap Italia icon from the sprite; decorative (the text says it).
		"icon": func(name string, class ...string) template.HTML {
			cls := "icon"
			if len(class) > 0 {
				cls += " " + strings.Join(class, " ")
			}
			return template.HTML(`<svg class="` + template.HTMLEscapeString(cls) + `" aria-hidden="true" focusable="false"><use href="` +
				template.HTMLEscapeString(a.url("vendor/bootstrap-italia/svg/sprites.svg")+"#"+name) + `"></use></svg>`)
		},
		// progress is a percentage clamped to 0–100, for progress bars.
		"progress": func(v *float64) int {
			if v == nil {
				return 0
			}
			return int(max(0, min(100, *v)) + 0.5)
		},
	}
}

// navItem is an entry of the main navigation.
type navItem struct {
	Href, Label string
	Current     bool
}

// crumb is a step of the breadcrumb.
type crumb struct{ Href, Label string }

// page is what every template receives.
type page struct {
	Lang     string
	Title    string
	SiteName string
	District *tenancy.Tenant
	User     *auth.Principal
	CSRF     string
	Path     string // the current path, for the language switch and the login link
	LangURL  map[string]string
	Nav      []navItem
	Crumbs   []crumb
	Flash    string
	Form     *form
	Data     any
	Status   int

	cat   catalogue
	actor actor.Actor
}

// T translates a key in the page's language (for Go code; templates use t).
func (p *page) T(key string, args ...any) string { return p.cat.translate(key, args...) }

// Can reports whether the person may do action on object here (for showing buttons: the
// server checks again on submit).
func (p *page) Can(object, action string) bool { return p.actor.Can(object, action) }

// LoginURL is the login link, coming back to this page.
func (p *page) LoginURL() string { return "/auth/login?return_to=" + url.QueryEscape(p.Path) }

// newPage prepares the page of a request; titleKey names its title in the catalogue.
func (w *Web) newPage(c echo.Context, titleKey string, titleArgs ...any) *page {
	lang := negotiateLang(c)
	p := &page{Lang: lang, cat: w.cats[lang], Path: c.Request().URL.Path, Status: http.StatusOK}
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

// nav is the main navigation: only what the person may open.
func (w *Web) nav(c echo.Context, p *page) []navItem {
	items := []navItem{{Href: "/", Label: p.T("nav.home")}}
	if p.District != nil {
		for _, n := range []struct{ href, key, obj, act string }{
			{"/piani", "nav.plans", "plan", "read"},
			{"/approvazioni", "nav.approvals", "plan", "approve"},
			{"/incarichi", "nav.assignments", "assignments", "read"},
			{"/partner", "nav.partners", "partners", "read"},
			{"/partecipazione", "nav.participation", "participation", "read"},
			{"/amministrazione/utenti", "nav.users", "members", "read"},
		} {
			if p.Can(n.obj, n.act) {
				items = append(items, navItem{Href: n.href, Label: p.T(n.key)})
			}
		}
	} else if p.User != nil && w.Regions != nil {
		if slugs := w.regionsOf(c); len(slugs) > 0 {
			rs, err := w.Regions.Regions(c.Request().Context(), slugs)
			if err == nil {
				for _, r := range rs {
					items = append(items, navItem{Href: "/regioni/" + r.Slug, Label: r.Name})
				}
			}
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

// regionsOf lists the regions the person oversees, as the request's actor says.
func (w *Web) regionsOf(c echo.Context) []string { return actor.From(c.Request().Context()).Regions }

// domain is the authorization domain of the request.
func domain(c echo.Context) string { return authz.Domain(c) }

// render writes page name with status p.Status.
func (w *Web) render(c echo.Context, name string, p *page) error {
	t, ok := w.pages[p.Lang][name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Content-Language", p.Lang)
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Cookie")
	return c.HTMLBlob(p.Status, buf.Bytes())
}

// seeOther ends a successful form submission: the browser goes to u (with a flash message key).
func seeOther(c echo.Context, u, flash string) error {
	if flash != "" {
		path, frag, hasFrag := strings.Cut(u, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		u = path + sep + "esito=" + url.QueryEscape(flash)
		if hasFrag {
			u += "#" + frag
		}
	}
	return c.Redirect(http.StatusSeeOther, u)
}

// errorPage is the data of the error page.
type errorPage struct {
	Code      apperr.Code
	Message   string
	RequestID string
}

// RenderError answers an error of a page with the error page in the person's language: the
// server calls it (server.Deps.RenderHTMLError) for browsers asking for HTML.
func (w *Web) RenderError(c echo.Context, status int, e *apperr.Error) error {
	titles := map[int]string{
		http.StatusBadRequest: "error.title.400", http.StatusUnauthorized: "error.title.401", http.StatusForbidden: "error.title.403",
		http.StatusNotFound: "error.title.404", http.StatusConflict: "error.title.409", http.StatusTooManyRequests: "error.title.429",
		http.StatusServiceUnavailable: "error.title.503",
	}
	key, ok := titles[status]
	if !ok {
		key = "error.title.500"
		if status < 500 {
			key = "error.title.400"
		}
	}
	p := w.newPage(c, key)
	p.Status = status
	msg := e.Message
	if p.Lang == English && e.MessageEN != "" {
		msg = e.MessageEN
	}
	p.Data = errorPage{Code: e.Code, Message: msg, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	return w.render(c, "error", p)
}
