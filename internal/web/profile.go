package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/authz"
)

type profileData struct {
	Organisation string // the organisation's name, when a feature knows it
	Roles        []string
	Permissions  []authz.Permission
	Domains      map[string][]string
}

func (w *Web) profile(c echo.Context) error {
	p := w.NewPage(c, "page.profile.title")
	d := profileData{Domains: map[string][]string{}}
	if p.User != nil && w.Authz != nil {
		dom := domain(c)
		d.Roles = w.Authz.Roles(p.User.IdentityID, dom)
		d.Permissions = w.Authz.Permissions(p.User.IdentityID, dom)
		if p.District == nil {
			for dom, roles := range w.Authz.Domains(p.User.IdentityID) {
				d.Domains[domainLabel(p, dom)] = roles
			}
		}
	}
	for _, f := range w.features {
		if d.Organisation == "" && f.Organisation != nil && p.District != nil {
			d.Organisation = f.Organisation(c)
		}
	}
	p.Data = d
	return w.Render(c, "profile", p)
}

// domainLabel says in words where roles apply: the platform, a region, a district.
func domainLabel(p *Page, dom string) string {
	switch {
	case dom == "platform":
		return p.T("profile.domain_platform")
	case strings.HasPrefix(dom, "region:"):
		return p.T("profile.domain_region", words(strings.TrimPrefix(dom, "region:")))
	}
	return p.T("profile.domain_district", words(dom))
}

// words turns a slug into a name: "valle-trompia" → "Valle Trompia".
func words(slug string) string {
	parts := strings.Split(slug, "-")
	for i, w := range parts {
		if w != "" {
			parts[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(parts, " ")
}
