package plan

import (
	"fmt"
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/web"
)

// confirmData is a confirmation page: what is about to happen, the values the form carried
// (sent again as hidden fields) and where "Annulla" goes. It works without JavaScript: the
// first POST shows it, the second (with confirm=1) acts.
type confirmData struct {
	Question string
	Details  []string
	Action   string
	Back     string
	Button   string
	Danger   bool
	Hidden   []web.Option // name, value
}

// confirmed tells whether the form was sent from the confirmation page.
func confirmed(v url.Values) bool { return v.Get("confirm") == "1" }

// confirm shows the confirmation page for a form that was not confirmed yet.
func (pg *pages) confirm(c echo.Context, planID int64, v url.Values, d confirmData) error {
	p := pg.web.NewPage(c, "page.confirm.title")
	// A partner confirming the removal of its document cannot read the plan: no crumbs then.
	if pl, err := pg.svc.Plan(c.Request().Context(), pg.actor(c), planID); err == nil {
		p.Crumbs = []web.Crumb{{Href: "/piani", Label: p.T("nav.plans")}, {Href: fmt.Sprintf("/piani/%d", pl.ID), Label: pl.Title}}
	}
	if d.Back == "" {
		d.Back = back(v, planID)
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != "_csrf" && k != "confirm" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, s := range v[k] {
			d.Hidden = append(d.Hidden, web.Option{Value: k, Label: s})
		}
	}
	p.Data = d
	return pg.web.Render(c, "plan/confirm", p)
}
