package server

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

const requestIDKey = "ambiti.request_id"

// requestIDRE accepts a caller's X-Request-ID only when it is short and plain, so logs cannot
// be forged or flooded through it.
var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID gives every request an id, echoed in X-Request-ID and written in every log line.
func withRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDRE.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		c.SetRequest(c.Request().WithContext(actor.WithRequestID(c.Request().Context(), id)))
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// logRequests writes one JSON line per request, after the error handler has answered.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // answer now, so the status below is the one sent
		}
		attrs := []any{
			slog.String("request_id", requestID(c)),
			slog.String("method", methodLabel(c.Request().Method)), // bounded, like the metrics'
			slog.String("host", truncate(c.Request().Host, 100)),
			slog.String("route", c.Path()),
			slog.Int("status", c.Response().Status),
			slog.Int64("bytes", c.Response().Size),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		}
		if t, ok := tenancy.FromContext(c.Request().Context()); ok {
			attrs = append(attrs, slog.String("tenant", t.Slug))
		}
		s.log.InfoContext(c.Request().Context(), "request", attrs...)
		return nil
	}
}

// truncate bounds what a client sent before it goes into a log line.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
