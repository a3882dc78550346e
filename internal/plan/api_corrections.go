package plan

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/strictjson"
)

// correctMeasurement applies a merge patch (period, value, source, note) to a recorded value.
func (h *API) correctMeasurement() echo.HandlerFunc {
	return withBody(h, http.StatusOK, func(ctx context.Context, a Actor, id int64, body []byte) (Measurement, error) {
		return h.svc.CorrectMeasurement(ctx, a, id, strictjson.Patch[MeasurementInput](body))
	})
}

// updateAssignment applies a merge patch (partner_id, activity) to an assignment.
func (h *API) updateAssignment() echo.HandlerFunc {
	return withBody(h, http.StatusOK, func(ctx context.Context, a Actor, id int64, body []byte) (Assignment, error) {
		return h.svc.UpdateAssignment(ctx, a, id, strictjson.Patch[AssignmentInput](body))
	})
}
