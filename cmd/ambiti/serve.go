package main

import (
	"context"
	"io"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/server"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/migrations"
)

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	c, err := parseConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(c, stderr)
	d, err := db.Open(ctx, db.Config{URL: c.DatabaseURL, MaxOpenConns: c.DBMaxConns})
	if err != nil {
		return err
	}
	defer d.Close()
	ready, err := tenancy.NewReadiness(d, migrations.Platform(), migrations.Tenant())
	if err != nil {
		return err
	}
	if err := ready.Check(ctx, ""); err != nil {
		log.Warn("not ready yet: /readyz answers 503 until this is fixed", "reason", err.Error())
	}
	srv := server.New(server.Config{
		Addr: c.Addr, BaseDomain: c.BaseDomain, Version: version, ShutdownTimeout: c.ShutdownTimeout,
	}, server.Deps{
		DB: d, Registry: tenancy.NewRegistry(d, 5*time.Second), Readiness: ready, Log: log,
	})
	return srv.Run(ctx)
}
