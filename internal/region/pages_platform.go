package region

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
)

type platformHome struct {
	Regions []Region
}

func (pg *pages) platformHome(c echo.Context) error {
	p := pg.web.NewPage(c, "page.platform.title")
	var d platformHome
	if p.User != nil && pg.store != nil {
		if slugs := pg.regionsOf(c); len(slugs) > 0 {
			rs, err := pg.store.Regions(c.Request().Context(), slugs)
			if err != nil {
				return err
			}
			d.Regions = rs
		}
	}
	p.Data = d
	return pg.web.Render(c, "region/platform", p)
}

// regionsOf lists the regions the person oversees, as the request's actor says.
func (pg *pages) regionsOf(c echo.Context) []string { return actor.From(c.Request().Context()).Regions }
