package plan

import (
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// approveBody is the body of an approval: the Assemblea's delibera (required) and a note.
type approveBody struct {
	Note           string `json:"note"`
	DeliberaNumber string `json:"delibera_number"`
	DeliberaDate   string `json:"delibera_date"`
}

func approval(c echo.Context) (approveBody, error) {
	var in approveBody
	b, err := route.Body(c)
	if err != nil || len(b) == 0 {
		return in, err
	}
	return in, strictjson.Merge(&in, b)
}

func (h *API) approvePlan(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	in, err := approval(c)
	if err != nil {
		return err
	}
	p, err := h.svc.ApproveWithDelibera(c.Request().Context(), h.actor(c), id, in.Note, Delibera{in.DeliberaNumber, in.DeliberaDate})
	return answer(c, p, err)
}

func (h *API) approveAmendment(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	aid, err := route.ID(c, "aid")
	if err != nil {
		return err
	}
	in, err := approval(c)
	if err != nil {
		return err
	}
	a, err := h.svc.ApproveAmendmentWithDelibera(c.Request().Context(), h.actor(c), id, aid, in.Note, Delibera{in.DeliberaNumber, in.DeliberaDate})
	return answer(c, a, err)
}
