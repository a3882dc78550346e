package plan

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

func (pg *pages) amendmentOpen(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return pg.failPlanAction(c, id, v, err)
	}
	if _, err := pg.svc.OpenAmendment(c.Request().Context(), pg.actor(c), id, v.Get("reason")); err != nil {
		return pg.failPlanAction(c, id, v, err)
	}
	return web.SeeOther(c, fmt.Sprintf("/piani/%d", id), "amendment_opened")
}

func (pg *pages) amendmentMove(step string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		aid, err := route.ID(c, "aid")
		if err != nil {
			return err
		}
		v, err := web.FormValues(c)
		if err != nil {
			return pg.failPlanAction(c, id, v, err)
		}
		ctx, actor := c.Request().Context(), pg.actor(c)
		switch step {
		case "propose":
			_, err = pg.svc.ProposeAmendment(ctx, actor, id, aid)
		case "approve":
			_, err = pg.svc.ApproveAmendment(ctx, actor, id, aid, v.Get("amendment_approve_note"))
		case "return":
			_, err = pg.svc.SendBackAmendment(ctx, actor, id, aid, v.Get("amendment_note"))
			err = renamed(err, "note", "amendment_note")
		}
		if err != nil {
			return pg.failPlanAction(c, id, v, err)
		}
		return web.SeeOther(c, back(v, id), "amendment_"+step)
	}
}
