package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The platform operator's pages, on the platform host: the districts with their state and the
// provisioning log. No personal data: slugs, versions, dates and outcomes.

// Operations is what those pages read (tenancy.Operations).
type Operations interface {
	Districts(ctx context.Context) ([]tenancy.DistrictState, error)
	Log(ctx context.Context, limit int) ([]tenancy.LogEntry, error)
}

// logLines is how much of the provisioning log the page shows.
const logLines = 200

func (w *Web) operationsRoutes() []route.Route {
	if w.Ops == nil {
		return nil
	}
	return []route.Route{
		PageRoute(http.MethodGet, "/operazioni/distretti", route.OnPlatform, "operations", "read", "Distretti e loro stato (operatore) / The districts and their state (operator)", w.opsDistricts),
		PageRoute(http.MethodGet, "/operazioni/registro", route.OnPlatform, "operations", "read", "Registro del provisioning (operatore) / Provisioning log (operator)", w.opsLog),
	}
}

// opsNav are the operator's entries of the navigation.
func (w *Web) opsNav(p *Page) []NavItem {
	if w.Ops == nil || p.District != nil || !p.Can("operations", "read") {
		return nil
	}
	return []NavItem{{Href: "/operazioni/distretti", Label: p.T("nav.ops_districts")}, {Href: "/operazioni/registro", Label: p.T("nav.ops_log")}}
}

func (w *Web) opsDistricts(c echo.Context) error {
	p := w.NewPage(c, "page.ops_districts.title")
	ds, err := w.Ops.Districts(c.Request().Context())
	if err != nil {
		return err
	}
	p.Data = ds
	return w.Render(c, "ops_districts", p)
}

func (w *Web) opsLog(c echo.Context) error {
	p := w.NewPage(c, "page.ops_log.title")
	log, err := w.Ops.Log(c.Request().Context(), logLines)
	if err != nil {
		return err
	}
	rows := make([]logRow, len(log))
	for i, l := range log {
		rows[i] = logRow{LogEntry: l, KindLabel: p.T("ops.kind." + l.Kind), OutcomeLabel: p.T("ops.outcome." + string(l.Outcome))}
	}
	p.Data = rows
	return w.Render(c, "ops_log", p)
}

// logRow is a line of the log with its words.
type logRow struct {
	tenancy.LogEntry
	KindLabel, OutcomeLabel string
}
