package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// statusOf is the one place where an error code becomes an HTTP status.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.Conflict:        http.StatusConflict,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.Internal:        http.StatusInternalServerError,
}

// retryAfter is the Retry-After (seconds) of every 503 and 429: an outage or a rate limit is
// temporary, and clients and load balancers may try again after it, not before.
const retryAfter = 5

// errorBody is the JSON every error answers with.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
	// Errors lists every refusal of an invalid submission (the first is the one above), so a
	// client shows them all at once as the pages do.
	Errors []errorDetail `json:"errors,omitempty"`
}

// handleError maps any error returned by a handler or middleware to a response, once. Users
// never see a cause: internal errors are logged with the request id and answered generically.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := toAppError(err)
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if h := c.Response().Header(); (status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests) && h.Get("Retry-After") == "" {
		h.Set("Retry-After", strconv.Itoa(retryAfter)) // unless the refusal said how long itself
	}
	if status >= 500 {
		// A 503 is load shed or an outage reported elsewhere too: a warning, not a bug.
		level := slog.LevelError
		if status == http.StatusServiceUnavailable {
			level = slog.LevelWarn
		}
		s.log.Log(c.Request().Context(), level, "request failed", slog.String("request_id", requestID(c)),
			slog.String("code", string(e.Code)), slog.Any("error", err))
	}
	if s.deps.RenderHTMLError != nil && wantsHTML(c) {
		r := c.Request()
		if status == http.StatusUnauthorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasPrefix(r.URL.Path, "/auth/") {
			// A page that needs a login sends the browser to log in, then back here (never
			// back to the login's own pages: a failed callback would loop).
			to := "/auth/login?return_to=" + url.QueryEscape(r.URL.RequestURI())
			if werr := c.Redirect(http.StatusSeeOther, to); werr == nil {
				return
			}
		}
		werr := s.deps.RenderHTMLError(c, status, e)
		if werr == nil {
			return
		}
		s.log.ErrorContext(c.Request().Context(), "render error page", slog.Any("error", werr))
		if c.Response().Committed {
			return
		}
	}
	english := prefersEnglish(c.Request())
	body := errorBody{Error: detailOf(e, english)}
	if e.Code == apperr.Invalid {
		for _, x := range e.All() {
			body.Error.Errors = append(body.Error.Errors, detailOf(x, english))
		}
	}
	var werr error
	if c.Request().Method == http.MethodHead {
		werr = c.NoContent(status)
	} else {
		werr = c.JSON(status, body)
	}
	if werr != nil {
		s.log.ErrorContext(c.Request().Context(), "write error response", slog.Any("error", werr))
	}
}

// detailOf is one refusal in the client's language.
func detailOf(e *apperr.Error, english bool) errorDetail {
	msg := e.Message
	if english && e.MessageEN != "" {
		msg = e.MessageEN
	}
	return errorDetail{Code: e.Code, Message: msg, Field: e.Field}
}

// echoErrors translates the statuses Echo produces by itself (unknown route, wrong method,
// body too large…) into our errors.
var echoErrors = map[int]*apperr.Error{
	http.StatusNotFound:              apperr.New(apperr.NotFound, "pagina o risorsa inesistente", "no such page or resource"),
	http.StatusMethodNotAllowed:      apperr.New(apperr.Invalid, "metodo HTTP non consentito su questo indirizzo", "HTTP method not allowed here"),
	http.StatusRequestEntityTooLarge: apperr.New(apperr.TooLarge, "richiesta troppo grande", "request too large"),
	http.StatusUnauthorized:          apperr.New(apperr.Unauthenticated, "accesso richiesto", "login required"),
	http.StatusForbidden:             apperr.New(apperr.Forbidden, "operazione non consentita", "not allowed"),
	http.StatusTooManyRequests:       apperr.New(apperr.RateLimited, "troppe richieste: riprovare tra poco", "too many requests: try again shortly"),
	http.StatusServiceUnavailable:    apperr.New(apperr.Unavailable, "servizio temporaneamente non disponibile", "service temporarily unavailable"),
}

// toAppError turns Echo's own errors and unexpected errors into an *apperr.Error. Database
// failures that are not bugs (unreachable: 503; a value PostgreSQL refused: 400) are
// recognised here, once, whichever package returned them, even wrapped in an internal error.
func toAppError(err error) *apperr.Error {
	e, ok := apperr.As(err)
	if ok && e.Code != apperr.Internal {
		return e
	}
	if de := db.Classify(err); de != nil {
		return de
	}
	if ok {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if e, ok := echoErrors[he.Code]; ok {
			return e
		}
		if he.Code >= 400 && he.Code < 500 {
			return apperr.New(apperr.Invalid, "richiesta non valida", "bad request")
		}
	}
	return apperr.Wrap(apperr.Internal, err, "errore interno: l'assistenza può rintracciarlo con l'identificativo della richiesta", "internal error: support can trace it with the request id")
}

// wantsHTML reports whether an error should be answered with a page: a browser asks for HTML
// (Accept names text/html) on a known host, outside the API. The API, scripts and unknown
// hosts keep the JSON error.
func wantsHTML(c echo.Context) bool {
	r := c.Request()
	if tenancy.HostKindOf(c) == 0 || strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// prefersEnglish reads Accept-Language: Italian is the default, English on request.
func prefersEnglish(r *http.Request) bool {
	al := strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language")))
	return strings.HasPrefix(al, "en")
}
