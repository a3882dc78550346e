package server

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// securityHeaders sets what every answer carries: no framing, no MIME sniffing, no referrer
// leaking paths to other sites, a CSP that allows only this server's own assets, no caching.
func securityHeaders(baseDomain string) echo.MiddlewareFunc {
	https := baseDomain != "localhost" && !strings.HasSuffix(baseDomain, ".localhost")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			// Nothing is cacheable unless its handler says so (the static assets do): API answers,
			// downloads and pages carry personal or private data and CSRF tokens.
			h.Set("Cache-Control", "no-store")
			if https {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// loginLimiter limits each client address to perMinute requests a minute on the login
// endpoints (with a burst of the same size), against password-spraying through our redirects
// and against filling the login-state table.
func loginLimiter(perMinute int) echo.MiddlewareFunc {
	if perMinute <= 0 {
		perMinute = 30
	}
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(float64(perMinute) / 60), Burst: perMinute, ExpiresIn: 3 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return c.RealIP(), nil
		},
		ErrorHandler: func(c echo.Context, err error) error { return echo.ErrForbidden },
		DenyHandler: func(c echo.Context, id string, err error) error {
			return echo.NewHTTPError(429)
		},
	})
}
