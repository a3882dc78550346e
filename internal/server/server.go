// Package server assembles Ambiti's HTTP server: the middleware chain (request id, metrics,
// logging, recovery, tenant resolution), the routes every package contributes, the one error
// mapper, and a graceful start and stop.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Config is what the server is told at start.
type Config struct {
	Addr            string        // listen address, e.g. ":8080"
	BaseDomain      string        // platform host; districts are <slug>.<BaseDomain>
	Version         string        // shown in the API description
	ShutdownTimeout time.Duration // how long in-flight requests get on SIGTERM
	// DrainDelay is how long the server goes on serving after SIGTERM, with /readyz answering
	// 503, before it stops accepting: time for a load balancer's health checks to take it out
	// of rotation, so that no new request is sent to a closed port. 0 stops at once.
	DrainDelay time.Duration
	Limits     Limits // what one request may cost
	// MetricsToken, when set, lets a scraper that is not on this machine read /metrics with
	// "Authorization: Bearer <token>"; without it /metrics answers loopback clients only.
	MetricsToken string
}

// Deps are the parts the server is built from.
type Deps struct {
	DB        *db.DB
	Registry  *tenancy.Registry
	Readiness *tenancy.Readiness
	Log       *slog.Logger
	Routes    []route.Route // the routes of the capability packages
	// Authenticate establishes who is calling (after the host is resolved); may be nil.
	Authenticate echo.MiddlewareFunc
	// Guard returns the authorization check of a route; may be nil (then non-public routes are
	// refused to everyone, failing closed).
	Guard func(route.Route) echo.MiddlewareFunc
	// LoginRate limits the login endpoints per client address (requests per minute; default 30).
	LoginRate int
	// RenderHTMLError, when set, answers the errors of browser page requests (see wantsHTML)
	// with a page instead of JSON; if it fails, the JSON answer is sent.
	RenderHTMLError func(c echo.Context, status int, e *apperr.Error) error
}

// Server is Ambiti's HTTP server.
type Server struct {
	cfg     Config
	deps    Deps
	log     *slog.Logger
	echo    *echo.Echo
	metrics *metrics
	exports *workLimiter
	routes  []route.Route
	// draining is set on SIGTERM: /readyz answers 503 from then on.
	draining atomic.Bool
}

// New builds the server and registers every route.
func New(cfg Config, deps Deps) *Server {
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	cfg.Limits = cfg.Limits.withDefaults()
	s := &Server{cfg: cfg, deps: deps, log: deps.Log, echo: echo.New(), metrics: newMetrics(deps.DB),
		exports: newWorkLimiter(cfg.Limits.Exports, cfg.Limits.ExportWait)}
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// Client addresses come from the connection, not from headers anyone can set; behind a
	// trusted proxy, configure it explicitly.
	e.IPExtractor = echo.ExtractIPDirect()
	chain := []echo.MiddlewareFunc{withRequestID, securityHeaders(cfg.BaseDomain), s.metrics.observe, s.logRequests,
		middleware.Recover(), limitBodies(uploadLimits(deps.Routes)), tenancy.ResolveHost(cfg.BaseDomain, deps.Registry), route.ValidQuery, s.metrics.gate(cfg.MetricsToken)}
	if deps.Authenticate != nil {
		chain = append(chain, deps.Authenticate)
	}
	e.Use(chain...)
	s.routes = append(s.ownRoutes(), deps.Routes...)
	s.register(s.routes)
	return s
}

// Handler is the server as an http.Handler (tests drive it directly).
func (s *Server) Handler() http.Handler { return s.echo }

// Routes lists every route the server serves.
func (s *Server) Routes() []route.Route { return s.routes }

// register adds the routes to Echo. Routes sharing method and path (say, "/" on the platform
// and on a district) become one Echo route that dispatches on the kind of host; a route asked
// for on a host it is not served on is not found.
func (s *Server) register(routes []route.Route) {
	type key struct{ method, path string }
	groups := map[key][]route.Route{}
	var order []key
	for _, r := range routes {
		k := key{r.Method, r.Path}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	limitLogin := loginLimiter(s.deps.LoginRate)
	for _, k := range order {
		group := groups[k]
		handlers := make([]echo.HandlerFunc, len(group))
		for i, r := range group {
			h := r.Handler
			if isExport(r) {
				h = s.exports.wrap(h)
			}
			handlers[i] = s.guard(r)(h)
		}
		var mw []echo.MiddlewareFunc
		if strings.HasPrefix(k.path, "/auth/") {
			mw = append(mw, limitLogin)
		}
		s.echo.Add(k.method, k.path, func(c echo.Context) error {
			on := hostsOf(tenancy.HostKindOf(c))
			for i, r := range group {
				if r.On&on != 0 {
					return handlers[i](c)
				}
			}
			return echo.ErrNotFound
		}, mw...)
	}
}

// guard is the authorization check of r: the configured one, or, without one, public routes
// only.
func (s *Server) guard(r route.Route) echo.MiddlewareFunc {
	if s.deps.Guard != nil {
		return s.deps.Guard(r)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if r.Public {
			return next
		}
		return func(echo.Context) error { return echo.ErrUnauthorized }
	}
}

func hostsOf(k tenancy.HostKind) route.Hosts {
	switch k {
	case tenancy.PlatformHost:
		return route.OnPlatform
	case tenancy.DistrictHost:
		return route.OnDistrict
	}
	return 0
}

// Run listens on cfg.Addr and serves until ctx is cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled, then lets in-flight requests finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("base_domain", s.cfg.BaseDomain))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	// First say we are going, then go: the balancer sees /readyz fail and stops routing here
	// while we still serve; keep-alives end so its pooled connections close one by one after
	// their next answer rather than all at once under a request at Shutdown.
	s.draining.Store(true)
	srv.SetKeepAlivesEnabled(false)
	if s.cfg.DrainDelay > 0 {
		s.log.Info("draining: /readyz answers 503, still serving", slog.Duration("for", s.cfg.DrainDelay))
		select {
		case err := <-errc:
			return fmt.Errorf("server: %w", err)
		case <-time.After(s.cfg.DrainDelay):
		}
	}
	s.log.Info("shutting down", slog.Duration("grace", s.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}
