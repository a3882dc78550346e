package directory

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

func (h *API) search(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	q := Query{Text: c.QueryParam("q"), Need: c.QueryParam("need"), Comune: c.QueryParam("comune"), Day: c.QueryParam("day"),
		Page: Page{limit, offset}}
	if v := c.QueryParam("age"); v != "" {
		age, err := strconv.Atoi(v)
		if err != nil {
			return apperr.Invalidf("age", "età in anni, un numero intero", "age in years, a whole number")
		}
		q.Age = &age
	}
	if q.Free, err = route.BoolParam(c, "free"); err != nil {
		return err
	}
	ctx, a := who(c)
	hits, total, err := h.svc.Search(ctx, a, q)
	if err != nil {
		return err
	}
	return route.List(c, hits, total, limit, offset)
}

func (h *API) taxonomy(c echo.Context) error {
	ts := h.svc.Taxonomy().Terms
	return route.List(c, ts, int64(len(ts)), len(ts), 0)
}

func (h *API) organizations(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	ctx, a := who(c)
	os, total, err := h.svc.Organizations(ctx, a, Page{limit, offset})
	if err != nil {
		return err
	}
	return route.List(c, os, total, limit, offset)
}

func (h *API) createOrganization(c echo.Context) error {
	var in Organization
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := who(c)
	o, err := h.svc.CreateOrganization(ctx, a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}

func (h *API) services(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	f := ServiceFilter{OrganizationID: c.QueryParam("organization_id"), Page: Page{limit, offset}}
	if c.QueryParam("published") != "" {
		p, err := route.BoolParam(c, "published")
		if err != nil {
			return err
		}
		f.Published = &p
	}
	ctx, a := who(c)
	ss, total, err := h.svc.Services(ctx, a, f)
	if err != nil {
		return err
	}
	return route.List(c, ss, total, limit, offset)
}

func (h *API) createService(c echo.Context) error {
	var in ServiceRecord
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := who(c)
	s, err := h.svc.CreateService(ctx, a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s)
}

// updateService answers 200 with the service when the edit is applied, 202 with the proposed
// change when it awaits review.
func (h *API) updateService(c echo.Context) error {
	body, err := route.Body(c)
	if err != nil {
		return err
	}
	ctx, a := who(c)
	u, err := h.svc.UpdateService(ctx, a, c.Param("id"), strictjson.Patch[ServiceRecord](body))
	if err != nil {
		return err
	}
	if u.Change != nil {
		return c.JSON(http.StatusAccepted, u)
	}
	return c.JSON(http.StatusOK, u)
}

func (h *API) publish(on bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a := who(c)
		s, err := h.svc.SetPublished(ctx, a, c.Param("id"), on)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s)
	}
}

func (h *API) history(c echo.Context) error {
	ctx, a := who(c)
	ms, err := h.svc.History(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	return route.List(c, ms, int64(len(ms)), len(ms), 0)
}

func (h *API) stale(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	ctx, a := who(c)
	ss, total, err := h.svc.Stale(ctx, a, Page{limit, offset})
	if err != nil {
		return err
	}
	return route.List(c, ss, total, limit, offset)
}

func (h *API) changes(c echo.Context) error {
	limit, offset, err := route.Paging(c)
	if err != nil {
		return err
	}
	ctx, a := who(c)
	cs, total, err := h.svc.Changes(ctx, a, ChangeFilter{Status: ChangeStatus(c.QueryParam("status")), Page: Page{limit, offset}})
	if err != nil {
		return err
	}
	return route.List(c, cs, total, limit, offset)
}

func (h *API) reject(c echo.Context) error {
	var in noteBody
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := who(c)
	ch, err := h.svc.RejectChange(ctx, a, c.Param("id"), in.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

func (h *API) settings(c echo.Context) error {
	ctx, a := who(c)
	s, err := h.svc.Settings(ctx, a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

func (h *API) updateSettings(c echo.Context) error {
	var in Settings
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	ctx, a := who(c)
	s, err := h.svc.UpdateSettings(ctx, a, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}
