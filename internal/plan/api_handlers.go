package plan

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

func (h *API) openAmendment(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	var in reasonBody
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	a, err := h.svc.OpenAmendment(c.Request().Context(), h.actor(c), id, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (h *API) amendmentTransition(step Step) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		aid, err := route.ID(c, "aid")
		if err != nil {
			return err
		}
		note, err := optionalNote(c)
		if err != nil {
			return err
		}
		a, err := h.svc.MoveAmendment(c.Request().Context(), h.actor(c), id, aid, step, note)
		return answer(c, a, err)
	}
}

func (h *API) listObjectives(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	f := ObjectiveFilter{AreaCode: c.QueryParam("area"), Query: c.QueryParam("q"), Page: Page{limit, offset}}
	if v := c.QueryParam("socio_sanitary"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apperr.Invalidf("socio_sanitary", "valore ammesso: true o false", "allowed: true or false")
		}
		f.SocioSanitary = &b
	}
	ctx, who := c.Request().Context(), h.actor(c)
	// The list is the same for everyone who may read the plan: kept per district, plan, filter
	// and window, by data version.
	socio := "any"
	if f.SocioSanitary != nil {
		socio = strconv.FormatBool(*f.SocioSanitary)
	}
	key := fmt.Sprintf("%s objectives of %d area=%q socio_sanitary=%s q=%q limit=%d offset=%d",
		districtInfo(ctx).Slug, id, f.AreaCode, socio, f.Query, limit, offset)
	kept, version, ok := h.lists.get(key)
	if ifNoneMatch := c.Request().Header.Get("If-None-Match"); ok || ifNoneMatch != "" {
		now, err := h.svc.PlanVersion(ctx, who)
		if err != nil {
			return err
		}
		// A tag is only ever issued for this address at a version it answered 200 at: if it is
		// still the version, the answer is still that one, whether or not it was kept here.
		if tag := route.ETag(now, key); route.Matches(ifNoneMatch, tag) || ok && now == version {
			return route.Versioned(c, tag, kept)
		}
	}
	l, err := h.svc.ObjectiveList(ctx, who, id, f)
	if err != nil {
		return err
	}
	body, err := route.ListJSON(l.Objectives, l.Total, limit, offset)
	if err != nil {
		return err
	}
	h.lists.put(key, l.Version, body)
	return route.Versioned(c, route.ETag(l.Version, key), body)
}

func (h *API) budget(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.svc.ObjectiveDetail(c.Request().Context(), h.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": d.Budget, "total": len(d.Budget), "totals": d.BudgetTotal})
}

func (h *API) setBudget(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	var in budgetBody
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	lines, err := h.svc.SetBudget(c.Request().Context(), h.actor(c), id, in.Lines)
	if err != nil {
		return err
	}
	if lines == nil {
		lines = []BudgetLine{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": lines, "total": len(lines), "totals": Totals(lines)})
}

func (h *API) setEvaluation(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return apperr.Invalidf("year", "anno non valido", "invalid year")
	}
	body, err := route.Body(c)
	if err != nil {
		return err
	}
	e, err := h.svc.SetEvaluation(c.Request().Context(), h.actor(c), id, year, strictjson.Patch[Evaluation](body))
	return answer(c, e, err)
}

func (h *API) partners(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	ps, total, err := h.svc.Partners(c.Request().Context(), h.actor(c), Page{limit, offset})
	if err != nil {
		return err
	}
	return route.List(c, ps, total, limit, offset)
}

func (h *API) createPartner(c echo.Context) error {
	var in PartnerInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreatePartner(c.Request().Context(), h.actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

func (h *API) assignments(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	planID, err := queryID(c, "plan_id")
	if err != nil {
		return err
	}
	as, total, err := h.svc.Assignments(c.Request().Context(), h.actor(c), planID, Page{limit, offset})
	if err != nil {
		return err
	}
	return route.List(c, as, total, limit, offset)
}

func (h *API) assignment(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	a, err := h.svc.Assignment(c.Request().Context(), h.actor(c), id)
	return answer(c, a, err)
}

func (h *API) reports(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	rs, err := h.svc.Reports(c.Request().Context(), h.actor(c), id)
	if err != nil {
		return err
	}
	return route.List(c, rs, int64(len(rs)), len(rs), 0)
}

func (h *API) meetings(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	planID, err := queryID(c, "plan_id")
	if err != nil {
		return err
	}
	var pid *int64
	if planID != 0 {
		pid = &planID
	}
	ms, total, sum, err := h.svc.Meetings(c.Request().Context(), h.actor(c), pid, Page{limit, offset})
	if err != nil {
		return err
	}
	return route.List(c, ms, total, limit, offset, map[string]any{"participation": sum})
}

func (h *API) recordMeeting(c echo.Context) error {
	var in MeetingInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	m, err := h.svc.RecordMeeting(c.Request().Context(), h.actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}
