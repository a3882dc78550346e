package plan

import (
	"context"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/web"
)

type approvalsData struct {
	Items []pending
}

func (pg *pages) approvals(c echo.Context) error {
	p := pg.web.NewPage(c, "page.approvals.title")
	items, err := pg.waiting(c.Request().Context(), pg.actor(c))
	if err != nil {
		return err
	}
	p.Data = approvalsData{Items: items}
	p.Form = &web.Form{Values: url.Values{}}
	return pg.web.Render(c, "plan/approvals", p)
}

// pending is something waiting for the Assemblea: a proposed plan, or a proposed amendment of
// an approved plan.
type pending struct {
	Plan      Plan
	Amendment *Amendment
}

// waiting lists what waits for the Assemblea's decision.
func (pg *pages) waiting(ctx context.Context, actor Actor) ([]pending, error) {
	w, err := pg.svc.Waiting(ctx, actor)
	return pendingOf(w), err
}

// pendingOf lists the proposed plans, then the proposed amendments.
func pendingOf(w Waiting) []pending {
	var out []pending
	for _, p := range w.Plans {
		out = append(out, pending{Plan: p})
	}
	for i := range w.Amendments {
		out = append(out, pending{Plan: w.Amendments[i].Plan, Amendment: &w.Amendments[i].Amendment})
	}
	return out
}
