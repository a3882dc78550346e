package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ownRoutes are the operational routes every host serves.
func (s *Server) ownRoutes() []route.Route {
	ops := func(r route.Route) route.Route { r.Public, r.Tag = true, "operations"; return r }
	return []route.Route{
		ops(route.Get("/healthz", route.OnAny, "Processo attivo / Process is up", s.healthz, route.JSON)),
		ops(route.Get("/readyz", route.OnAny, "Pronto a servire: database raggiungibile e migrazioni aggiornate / Ready: database reachable, migrations current", s.readyz, route.JSON)),
		ops(route.Get("/metrics", route.OnAny, "Metriche Prometheus / Prometheus metrics", s.metrics.handler(), route.Prometheus)),
		ops(route.Get("/api/v1/openapi.json", route.OnAny, "Descrizione OpenAPI 3 delle API di questo indirizzo / OpenAPI 3 description of this host's API", s.openapi, route.JSON)),
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	slug := ""
	if t, ok := tenancy.FromContext(ctx); ok {
		slug = t.Slug
	}
	if s.draining.Load() {
		return apperr.New(apperr.Unavailable, "in chiusura: le richieste vanno alle altre istanze", "shutting down: requests go to the other instances")
	}
	if s.deps.Readiness == nil {
		return apperr.New(apperr.Unavailable, "controllo di prontezza non configurato", "readiness check not configured")
	}
	if err := s.deps.Readiness.Check(ctx, slug); err != nil {
		if apperr.CodeOf(err) == apperr.Unavailable {
			return err
		}
		return apperr.Wrap(apperr.Unavailable, err, "database non raggiungibile", "database unreachable")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "database": "ok", "migrations": "ok"})
}

func (s *Server) openapi(c echo.Context) error {
	on := hostsOf(tenancy.HostKindOf(c))
	title := "Ambiti API — piattaforma"
	if t, ok := tenancy.FromContext(c.Request().Context()); ok {
		title = "Ambiti API — " + t.Name
	}
	return c.JSON(http.StatusOK, route.OpenAPI(s.routes, on, title, s.cfg.Version))
}
