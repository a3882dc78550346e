package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
)

// The pages an Italian public administration's site must link from its footer: the
// accessibility statement (AgID guidelines, L. 4/2004), the privacy notice (GDPR art. 13-14,
// naming the district as controller) and the legal notes. They are public: one reads them
// before logging in.

// legalSection is one heading and its paragraphs, already in the page's language.
type legalSection struct {
	Heading string
	Paras   []string
}

// legalPages are the catalogue keys of each page: title, then per section its heading and
// paragraphs.
var legalPages = map[string]struct {
	title    string
	sections [][]string
}{
	"accessibility": {"page.accessibility.title", [][]string{
		{"legal.a11y.intro.h", "legal.a11y.intro.p1", "legal.a11y.intro.p2"},
		{"legal.a11y.status.h", "legal.a11y.status.p1", "legal.a11y.status.p2"},
		{"legal.a11y.gaps.h", "legal.a11y.gaps.p1", "legal.a11y.gaps.p2"},
		{"legal.a11y.prep.h", "legal.a11y.prep.p1"},
		{"legal.a11y.feedback.h", "legal.a11y.feedback.p1", "legal.a11y.feedback.p2"},
	}},
	"privacy": {"page.privacy.title", [][]string{
		{"legal.privacy.controller.h", "legal.privacy.controller.p1", "legal.privacy.controller.p2"},
		{"legal.privacy.data.h", "legal.privacy.data.p1", "legal.privacy.data.p2", "legal.privacy.data.p3"},
		{"legal.privacy.basis.h", "legal.privacy.basis.p1"},
		{"legal.privacy.cookies.h", "legal.privacy.cookies.p1"},
		{"legal.privacy.retention.h", "legal.privacy.retention.p1"},
		{"legal.privacy.rights.h", "legal.privacy.rights.p1", "legal.privacy.rights.p2"},
	}},
	"legal": {"page.legal.title", [][]string{
		{"legal.notes.owner.h", "legal.notes.owner.p1"},
		{"legal.notes.reuse.h", "legal.notes.reuse.p1"},
		{"legal.notes.liability.h", "legal.notes.liability.p1"},
		{"legal.notes.links.h", "legal.notes.links.p1"},
	}},
}

// legalRoutes are the footer's pages, on every host, for anyone.
func (w *Web) legalRoutes() []route.Route {
	page := func(path, name, summary string) route.Route {
		r := PageRoute(http.MethodGet, path, route.OnAny, "", "", summary, func(c echo.Context) error { return w.legal(c, name) })
		r.Public = true
		return r
	}
	return []route.Route{
		page("/accessibilita", "accessibility", "Dichiarazione di accessibilità / Accessibility statement"),
		page("/privacy", "privacy", "Informativa sul trattamento dei dati personali / Privacy notice"),
		page("/note-legali", "legal", "Note legali / Legal notes"),
	}
}

// legal renders one of the footer's pages. In a district the controller is the district
// itself, represented by its lead body; on the platform host, the platform's operator.
func (w *Web) legal(c echo.Context, name string) error {
	def := legalPages[name]
	p := w.NewPage(c, def.title)
	controller, site := p.T("legal.platform_controller"), p.SiteName
	if p.District != nil {
		controller = p.District.Name
		if p.District.LeadBody != "" {
			controller = p.T("legal.district_controller", p.District.Name, p.District.LeadBody)
		}
	}
	var sections []legalSection
	for _, keys := range def.sections {
		s := legalSection{Heading: p.T(keys[0])}
		for _, k := range keys[1:] {
			text := p.T(k)
			if strings.Contains(text, "%[") { // the texts that name the controller or the site
				text = fmt.Sprintf(text, controller, site)
			}
			s.Paras = append(s.Paras, text)
		}
		sections = append(sections, s)
	}
	p.Data = sections
	return w.Render(c, "legal", p)
}
