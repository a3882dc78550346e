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
	var out []pending
	proposed, _, err := pg.svc.Plans(ctx, actor, PlanFilter{Status: Proposed, Page: Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	for _, p := range proposed {
		out = append(out, pending{Plan: p})
	}
	approved, _, err := pg.svc.Plans(ctx, actor, PlanFilter{Status: Approved, Page: Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	for _, p := range approved {
		as, err := pg.svc.Amendments(ctx, actor, p.ID)
		if err != nil {
			return nil, err
		}
		for i := range as {
			if as[i].Status == AmendmentProposed {
				out = append(out, pending{Plan: p, Amendment: &as[i]})
			}
		}
	}
	return out, nil
}
