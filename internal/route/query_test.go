package route

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

func TestValidQueryRefusesNULAndInvalidUTF8NamingTheParameter(t *testing.T) {
	e := echo.New()
	reached := false
	h := ValidQuery(func(echo.Context) error { reached = true; return nil })
	for query, field := range map[string]string{
		"q=%00":            "q",
		"q=%ff%fe":         "q",
		"area=A&q=caf%C3":  "q",
		"limit=5&area=%00": "area",
		"x%00=1":           "",
		"a=1&a=%00":        "a",
	} {
		reached = false
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/api/v1/plans?"+query, nil), httptest.NewRecorder())
		err := h(c)
		ae, ok := apperr.As(err)
		if !ok || ae.Code != apperr.Invalid || ae.Field != field || ae.Message == "" || ae.MessageEN == "" {
			t.Errorf("?%s: %v, want invalid naming %q", query, err, field)
		}
		if reached {
			t.Errorf("?%s reached the handler", query)
		}
	}
	for _, query := range []string{"", "q=citt%C3%A0", "q=%EF%BF%BD&limit=5", "q=a+b&q=%zz"} {
		reached = false
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/api/v1/plans?"+query, nil), httptest.NewRecorder())
		if err := h(c); err != nil || !reached {
			t.Errorf("?%s: %v, reached %v", query, err, reached)
		}
	}
}
