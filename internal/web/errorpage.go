package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

// errorPage is the data of the error page.
type errorPage struct {
	Code      apperr.Code
	Message   string
	RequestID string
}

// RenderError answers an error of a page with the error page in the person's language: the
// server calls it (server.Deps.RenderHTMLError) for browsers asking for HTML.
func (w *Web) RenderError(c echo.Context, status int, e *apperr.Error) error {
	titles := map[int]string{
		http.StatusBadRequest: "error.title.400", http.StatusUnauthorized: "error.title.401", http.StatusForbidden: "error.title.403",
		http.StatusNotFound: "error.title.404", http.StatusConflict: "error.title.409", http.StatusTooManyRequests: "error.title.429",
		http.StatusServiceUnavailable: "error.title.503",
	}
	key, ok := titles[status]
	if !ok {
		key = "error.title.500"
		if status < 500 {
			key = "error.title.400"
		}
	}
	p := w.NewPage(c, key)
	p.Status = status
	msg := e.Message
	if p.Lang == English && e.MessageEN != "" {
		msg = e.MessageEN
	}
	p.Data = errorPage{Code: e.Code, Message: msg, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	return w.Render(c, "error", p)
}
