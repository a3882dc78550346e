package route

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// MaxBody is the largest request body accepted (1 MiB): plans are text, not uploads.
const MaxBody = 1 << 20

var errTooLarge = apperr.New(apperr.TooLarge, "richiesta troppo grande (massimo 1 MiB)", "request too large (at most 1 MiB)")

// Body reads the request body, refusing more than MaxBody.
func Body(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxBody+1))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.Invalid, err, "corpo della richiesta illeggibile", "unreadable request body")
	}
	if len(b) > MaxBody {
		return nil, errTooLarge
	}
	return b, nil
}

// Bind decodes the JSON body strictly into v; errors name the field.
func Bind(c echo.Context, v any) error {
	b, err := Body(c)
	if err != nil {
		return err
	}
	return strictjson.Merge(v, b)
}

// ID reads a numeric path parameter; anything else is simply not found.
func ID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "risorsa inesistente", "no such resource")
	}
	return id, nil
}

// Paging reads ?limit= (default 50, at most 500) and ?offset=.
func Paging(c echo.Context) (limit, offset int, err error) {
	limit, offset = 50, 0
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 500 {
			return 0, 0, apperr.Invalidf("limit", "limit deve essere tra 1 e 500", "limit must be between 1 and 500")
		}
	}
	if v := c.QueryParam("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, apperr.Invalidf("offset", "offset deve essere un numero non negativo", "offset must be a non-negative number")
		}
	}
	return limit, offset, nil
}

// List answers a page of a list: {"items": [...], "total": n, "limit": l, "offset": o}.
func List[T any](c echo.Context, items []T, total int64, limit, offset int, extra ...map[string]any) error {
	return c.JSON(http.StatusOK, listBody(items, total, limit, offset, extra))
}

// ListJSON is List's body as bytes, for a handler that keeps it (see Versioned). Without the
// newline Echo's encoder ends List's with: appending it would copy the whole body again.
func ListJSON[T any](items []T, total int64, limit, offset int, extra ...map[string]any) ([]byte, error) {
	return json.Marshal(listBody(items, total, limit, offset, extra))
}

func listBody[T any](items []T, total int64, limit, offset int, extra []map[string]any) map[string]any {
	if items == nil {
		items = []T{}
	}
	out := map[string]any{"items": items, "total": total, "limit": limit, "offset": offset}
	for _, e := range extra {
		for k, v := range e {
			out[k] = v
		}
	}
	return out
}

// BoolParam reads an optional true/false query parameter (absent: false); anything else is
// Invalid naming the parameter.
func BoolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, apperr.Invalidf(name, "valore ammesso: true o false", "allowed: true or false")
	}
	return b, nil
}
