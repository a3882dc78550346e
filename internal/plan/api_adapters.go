package plan

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// The shapes most operations share, so each handler is one line: the path's id, maybe a raw
// JSON body (merge patches), the caller, one service call, one answer.

// createByID decodes the body strictly into a new T and calls fn with the :id and the caller.
func createByID[T any](h *API, fn func(context.Context, Actor, int64, T) (T, error)) echo.HandlerFunc {
	return withBody(h, http.StatusCreated, func(ctx context.Context, a Actor, id int64, body []byte) (T, error) {
		var v T
		if err := strictjson.Merge(&v, body); err != nil {
			return v, err
		}
		return fn(ctx, a, id, v)
	})
}

// patchByID calls fn with the :id, the caller and the body as a JSON merge patch (RFC 7396),
// which the service applies to the current value inside its transaction.
func patchByID[T any](h *API, fn func(context.Context, Actor, int64, Edit[T]) (T, error)) echo.HandlerFunc {
	return withBody(h, http.StatusOK, func(ctx context.Context, a Actor, id int64, body []byte) (T, error) {
		return fn(ctx, a, id, strictjson.Patch[T](body))
	})
}

// withBody reads the :id and the raw body, calls fn and answers what it returns with status.
func withBody[T any](h *API, status int, fn func(context.Context, Actor, int64, []byte) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		body, err := route.Body(c)
		if err != nil {
			return err
		}
		v, err := fn(c.Request().Context(), h.actor(c), id, body)
		if err != nil {
			return err
		}
		return c.JSON(status, v)
	}
}

// bindByID decodes the body into an In and calls fn with the :id and the caller.
func bindByID[In, T any](h *API, status int, fn func(context.Context, Actor, int64, In) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		var in In
		if err := route.Bind(c, &in); err != nil {
			return err
		}
		v, err := fn(c.Request().Context(), h.actor(c), id, in)
		if err != nil {
			return err
		}
		return c.JSON(status, v)
	}
}

// deleteByID calls fn with the :id and the caller.
func deleteByID(h *API, fn func(context.Context, Actor, int64) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		if err := fn(c.Request().Context(), h.actor(c), id); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"deleted": id})
	}
}

// getByID answers what fn returns for the :id.
func getByID[T any](fn func(context.Context, Actor, int64) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		v, err := fn(ctx, actor.From(ctx), id)
		return answer(c, v, err)
	}
}

// listByID answers the whole list fn returns for the :id.
func listByID[T any](fn func(context.Context, Actor, int64) ([]T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := route.ID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		items, err := fn(ctx, actor.From(ctx), id)
		if err != nil {
			return err
		}
		return route.List(c, items, int64(len(items)), len(items), 0)
	}
}
