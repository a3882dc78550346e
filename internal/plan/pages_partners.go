package plan

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/web"
)

type partnerList struct {
	Partners []Partner
	Total    int64
}

func (pg *pages) partnerList(c echo.Context) error {
	p := pg.web.NewPage(c, "page.partners.title")
	ps, total, err := pg.svc.Partners(c.Request().Context(), pg.actor(c), Page{Limit: 500})
	if err != nil {
		return err
	}
	p.Data = partnerList{Partners: ps, Total: total}
	return pg.web.Render(c, "plan/partners", p)
}

type partnerForm struct {
	KindOpts []web.Option
}

func (pg *pages) partnerPage(c echo.Context) *web.Page {
	p := pg.web.NewPage(c, "page.partner_new.title")
	p.Crumbs = []web.Crumb{{Href: "/partner", Label: p.T("nav.partners")}}
	p.Data = partnerForm{KindOpts: p.Options("partner.kind", PartnerKinds, true)}
	return p
}

func (pg *pages) partnerNew(c echo.Context) error {
	return web.ShowForm(pg.web, c, "plan/partner_form", web.NoContext(pg.partnerPage), nil)
}

func (pg *pages) partnerCreate(c echo.Context) error {
	return web.SubmitForm(pg.web, c, "plan/partner_form", web.NoContext(pg.partnerPage), func(_ struct{}, v url.Values) (string, string, error) {
		_, err := pg.svc.CreatePartner(c.Request().Context(), pg.actor(c), PartnerInput{Code: v.Get("code"), Name: v.Get("name"), Kind: v.Get("kind"), Note: v.Get("note")})
		return "/partner", "partner_created", err
	})
}
