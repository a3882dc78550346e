package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/directory/hsds"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/plan/export"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/server"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/web"
	"github.com/ambiti/ambiti/migrations"
	"github.com/ambiti/ambiti/policies"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	c, err := parseConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	// Without the master key no personal data can be read or written: refuse to start at once,
	// before the database, rather than fail on the first person's page.
	if _, err := c.keys(); err != nil {
		return err
	}
	log := newLogger(c, stderr)
	d, err := db.Open(ctx, db.Config{URL: c.DatabaseURL, DirectURL: c.DirectDatabaseURL, MaxOpenConns: c.DBMaxConns})
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := assemble(ctx, c, d, getenv, log)
	if err != nil {
		return err
	}
	if err := a.ready.Check(ctx, ""); err != nil {
		log.Warn("not ready yet: /readyz answers 503 until this is fixed", "reason", err.Error())
	}
	// Role changes made on other instances; LISTEN needs its own session, so never the pooler.
	go a.authz.Watch(ctx, c.DirectDatabaseURL, time.Minute)
	return a.server.Run(ctx)
}

// app is the assembled platform.
type app struct {
	server *server.Server
	authz  *authz.Authorizer
	auth   *auth.Service
	ready  *tenancy.Readiness
	keys   *keyring.Keyring // pathways use keys (issue 16)
}

// factsStore is the district facts with the section of every feature that writes one: the
// server, the demo import and `ambiti facts rebuild` compute the same sections. keys opens the
// pathways' sealed ONS4 items for their mean change; nil (no master key) leaves it out. The
// pathways come first: a rebuild then computes the plan's bound indicators from fresh figures.
func factsStore(d *db.DB, keys *keyring.Keyring) *facts.Store {
	return facts.NewStore(d, pathway.FactsSection(keys), plan.FactsSection())
}

// assemble wires the server from its parts; serve and the end-to-end tests share it, so the
// tests exercise exactly the routes and middleware chain that production runs.
func assemble(ctx context.Context, c config, d *db.DB, getenv func(string) string, log *slog.Logger) (*app, error) {
	ready, err := tenancy.NewReadiness(d, migrations.Platform(), migrations.Tenant())
	if err != nil {
		return nil, err
	}
	keys, err := c.keys()
	if err != nil {
		return nil, err
	}
	az, err := authz.New(ctx, d, policies.Model, policies.Policy, log)
	if err != nil {
		return nil, err
	}
	an := auth.New(d, az, auth.Config{
		Scheme:   c.PublicScheme,
		Platform: auth.PlatformClientConfig{Issuer: c.PlatformIssuer, ClientID: c.PlatformClientID, ClientSecret: c.PlatformClientSecret},
		Getenv:   getenv,
		Log:      log,
		Now:      c.Now,
	})
	api := authz.NewAPI(az, an)
	districtFacts := factsStore(d, keys)
	programmes, err := pathway.ProgrammeLabels()
	if err != nil {
		return nil, err
	}
	// The plan's indicators may be bound to the pathways' figures (issue 17): it learns the
	// programmes here, as the plan must not import the pathway room.
	plans := plan.NewService(tenancy.NewScope(d), districtFacts).WithProgrammes(programmes)
	regions := region.NewStore(districtFacts)
	resources, err := directory.NewService(tenancy.NewScope(d))
	if err != nil {
		return nil, err
	}
	// People's pathways: personal data, so an audited scope and the keyring.
	pathways, err := pathway.NewService(tenancy.NewScope(d).Audited(audit.Writer{}), keys, c.Now)
	if err != nil {
		return nil, err
	}
	pathways.WithStaff(linkWorkers{people: an, authz: az}).WithFacts(districtFacts)
	var routes []route.Route
	routes = append(routes, an.Routes()...)
	routes = append(routes, api.Routes()...)
	routes = append(routes, plan.NewAPI(plans).Routes()...)
	routes = append(routes, export.NewAPI(plans).Routes()...)
	routes = append(routes, directory.NewAPI(resources).Routes()...)
	routes = append(routes, directory.NewHSDSAPI(resources).Routes()...)
	routes = append(routes, pathway.NewAPI(pathways).Routes()...)
	hsdsSchemas, err := hsds.New()
	if err != nil {
		return nil, err
	}
	routes = append(routes, directory.NewInterchangeAPI(resources, hsdsSchemas).Routes()...)
	routes = append(routes, region.NewAPI(regions, func(c echo.Context) []string {
		return actor.From(c.Request().Context()).Regions
	}).Routes()...)
	// The pages: the shell (internal/web) with each feature's pages registered into it; the
	// same services as the API, behind the same guard.
	pages, err := web.New(web.Deps{Authz: az, People: an, Log: log, Ops: tenancy.NewOperations(d, migrations.Tenant())}, plan.Pages(plans), region.Pages(regions), directory.Pages(resources), pathway.Pages(pathways))
	if err != nil {
		return nil, err
	}
	routes = append(routes, pages.Routes()...)
	srv := server.New(server.Config{
		Addr: c.Addr, BaseDomain: c.BaseDomain, Version: version, ShutdownTimeout: c.ShutdownTimeout, DrainDelay: c.DrainDelay,
		Limits: server.Limits{Exports: c.ExportConcurrency}, MetricsToken: c.MetricsToken,
	}, server.Deps{
		DB: d, Registry: tenancy.NewRegistry(d, 5*time.Second, tenancy.WithDevIssuer(c.DevIssuer)), Readiness: ready, Log: log,
		// Who is calling (session or Bearer), then the actor built once from it.
		Authenticate: func(next echo.HandlerFunc) echo.HandlerFunc { return an.Authenticate(az.Actors(next)) },
		Guard:        az.Guard, Routes: routes,
		RenderHTMLError: pages.RenderError,
	})
	return &app{server: srv, authz: az, auth: an, ready: ready, keys: keys}, nil
}
