package plan

import (
	"fmt"
	"net/url"

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

func (pg *pages) amendmentMove(step Step) echo.HandlerFunc {
	field := map[Step]string{StepApprove: "amendment_approve_note", StepReturn: "amendment_note"}[step]
	return func(c echo.Context) error {
		aid, err := route.ID(c, "aid")
		if err != nil {
			return err
		}
		return pg.workflowStep("amendment_"+string(step), func(c echo.Context, id int64, v url.Values) error {
			if step == StepApprove {
				return pg.approveAmendment(c, id, aid, v, field)
			}
			_, err := pg.svc.MoveAmendment(c.Request().Context(), pg.actor(c), id, aid, step, v.Get(field))
			if field == "" {
				return err
			}
			return renamed(err, "note", field)
		})(c)
	}
}
