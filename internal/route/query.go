package route

import (
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/strictjson"
)

// CheckValues refuses the first name or value of vs that is not UTF-8 or holds a NUL
// character (PostgreSQL refuses both in text), naming it: what a query string or a form
// decodes to, %00 and %ff%fe included. Names are checked in order, so the answer is stable.
func CheckValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := strictjson.Text(k, k); err != nil {
			e, _ := apperr.As(err)
			return e.WithField("") // a malformed name cannot be shown as a field name
		}
		for _, v := range vs[k] {
			if err := strictjson.Text(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// ValidQuery is the one check of query parameters: a request whose query string holds a NUL
// character or bytes that are not UTF-8 is refused with 400 naming the parameter, before any
// handler reads it.
func ValidQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawQuery != "" {
			if err := CheckValues(c.QueryParams()); err != nil {
				return err
			}
		}
		return next(c)
	}
}
