package web

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/authz"
)

type profileData struct {
	Roles       []string
	Permissions []authz.Permission
	Domains     map[string][]string
}

func (w *Web) profile(c echo.Context) error {
	p := w.NewPage(c, "page.profile.title")
	d := profileData{}
	if p.User != nil && w.Authz != nil {
		dom := domain(c)
		d.Roles = w.Authz.Roles(p.User.IdentityID, dom)
		d.Permissions = w.Authz.Permissions(p.User.IdentityID, dom)
		if p.District == nil {
			d.Domains = w.Authz.Domains(p.User.IdentityID)
		}
	}
	p.Data = d
	return w.Render(c, "profile", p)
}
