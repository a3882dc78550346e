package server

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

// The one error mapper: database failures that are not bugs become 503 (with Retry-After) or
// 400, whichever package returned them and however wrapped; 429 carries Retry-After too.
func TestErrorMapperClassifiesDatabaseFailuresAndSendsRetryAfter(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	e := echo.New()
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   apperr.Code
		retry  bool
	}{
		{"connection terminated", fmt.Errorf("plan: list: %w", &pgconn.PgError{Code: "57P01"}), 503, apperr.Unavailable, true},
		{"bad connection inside an internal error", apperr.Wrap(apperr.Internal, driver.ErrBadConn, "x", "x"), 503, apperr.Unavailable, true},
		{"deadline", fmt.Errorf("q: %w", context.DeadlineExceeded), 503, apperr.Unavailable, true},
		{"readiness", apperr.New(apperr.Unavailable, "giù", "down"), 503, apperr.Unavailable, true},
		{"rate limited", apperr.New(apperr.RateLimited, "piano", "slow down"), 429, apperr.RateLimited, true},
		{"echo 429", echo.NewHTTPError(http.StatusTooManyRequests), 429, apperr.RateLimited, true},
		{"integer out of range", fmt.Errorf("plan: %w", &pgconn.PgError{Code: "22003"}), 400, apperr.Invalid, false},
		{"NUL in text", &pgconn.PgError{Code: "22021"}, 400, apperr.Invalid, false},
		{"year 0", &pgconn.PgError{Code: "22008"}, 400, apperr.Invalid, false},
		{"a validation error stays", apperr.Invalidf("title", "x", "x"), 400, apperr.Invalid, false},
		{"a syntax error is a bug", &pgconn.PgError{Code: "42601"}, 500, apperr.Internal, false},
		{"anything else is a bug", fmt.Errorf("boom"), 500, apperr.Internal, false},
	} {
		rec := httptest.NewRecorder()
		c := e.NewContext(httptest.NewRequest(http.MethodGet, "/api/v1/plans", nil), rec)
		s.handleError(tc.err, c)
		var body struct {
			Error struct {
				Code    apperr.Code
				Message string
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != tc.status || body.Error.Code != tc.code || body.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d %s", tc.name, rec.Code, rec.Body, tc.status, tc.code)
		}
		if got := rec.Header().Get("Retry-After"); (got != "") != tc.retry || (tc.retry && got != "5") {
			t.Errorf("%s: Retry-After %q", tc.name, got)
		}
	}
}
