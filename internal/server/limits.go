package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// Limits bound what one request may cost before it is refused. They are listed, with their
// reasons, in docs/security.md.
type Limits struct {
	// Exports is how many file exports (XLSX, CSV, PDF) run at once on this instance (default
	// 4): each holds a database connection and builds the whole file in memory, so a burst of
	// them must not take the pool from every other request.
	Exports int
	// ExportWait is how long an export waits for a free slot before it is refused with 503 and
	// Retry-After (default 2s).
	ExportWait time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.Exports <= 0 {
		l.Exports = 4
	}
	if l.ExportWait <= 0 {
		l.ExportWait = 2 * time.Second
	}
	return l
}

// bodylessLimit bounds the body of a GET, HEAD, DELETE or OPTIONS request, which has no use
// for one.
const bodylessLimit = 4 << 10

var errBodyTooLarge = apperr.New(apperr.TooLarge, "richiesta troppo grande", "request too large")

// uploadLimits maps "METHOD /path" of the routes that accept a larger body (file uploads,
// route.Route.BodyLimit) to their bound.
func uploadLimits(routes []route.Route) map[string]int64 {
	m := map[string]int64{}
	for _, r := range routes {
		if r.BodyLimit > route.MaxBody {
			m[r.Method+" "+r.Path] = r.BodyLimit
		}
	}
	return m
}

// limitBodies bounds every request body before anything reads it, the authentication's CSRF
// check included: a declared length over the bound is refused at once with 413, and a body
// sent without one stops being read at the bound. The bound is route.MaxBody, or the larger
// one an upload route declares (uploads: the middleware runs after routing, so c.Path() is
// the route's pattern).
func limitBodies(uploads map[string]int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			return limitBody(c, uploads, next)
		}
	}
}

func limitBody(c echo.Context, uploads map[string]int64, next echo.HandlerFunc) error {
	r := c.Request()
	limit := int64(route.MaxBody)
	if n, ok := uploads[r.Method+" "+c.Path()]; ok {
		limit = n
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodOptions:
		limit = bodylessLimit
	}
	if r.ContentLength > limit {
		return errBodyTooLarge
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
	}
	return next(c)
}

// isExport tells the routes that build a file (XLSX, CSV, PDF) from what they produce.
func isExport(r route.Route) bool {
	if r.Public {
		return false
	}
	for _, p := range r.Produces {
		switch p {
		case route.JSON, route.HTML, route.Prometheus:
		default:
			return true
		}
	}
	return false
}

var errBusy = apperr.New(apperr.Unavailable, "troppe esportazioni in corso: riprovare tra qualche secondo", "too many exports in progress: try again in a few seconds")

// workLimiter lets at most n requests of one kind run at once; the others wait up to wait for
// a slot, then are refused (503 with Retry-After) rather than queue without end.
type workLimiter struct {
	slots chan struct{}
	wait  time.Duration
}

func newWorkLimiter(n int, wait time.Duration) *workLimiter {
	return &workLimiter{slots: make(chan struct{}, n), wait: wait}
}

func (l *workLimiter) wrap(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		t := time.NewTimer(l.wait)
		defer t.Stop()
		select {
		case l.slots <- struct{}{}:
		case <-t.C:
			return errBusy
		case <-c.Request().Context().Done():
			return c.Request().Context().Err()
		}
		defer func() { <-l.slots }()
		return next(c)
	}
}
