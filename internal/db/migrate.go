package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// MigrateResult reports what Migrate did to one schema.
type MigrateResult struct {
	Schema string
	From   int64 // goose version before
	To     int64 // goose version after
}

// Migrate brings schema up to the newest migration in fsys with goose, then runs after (may be
// nil) — all in ONE transaction on a dedicated connection: the schema is created, migrated and
// seeded completely, or not at all. goose keeps its version table inside the schema itself, so
// every district carries its own version. A per-schema advisory lock serialises concurrent runs.
func (d *DB) Migrate(ctx context.Context, schema string, fsys fs.FS, after func(ctx context.Context, tx *gorm.DB, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	if !schemaRE.MatchString(schema) {
		return res, ErrBadSchema
	}
	raw, err := stdlib.GetConnector(*d.connCfg).Connect(ctx)
	if err != nil {
		return res, fmt.Errorf("db: migrate %s: connect: %w", schema, err)
	}
	sdb := sql.OpenDB(&oneConn{conn: &savepointConn{Conn: raw.(*stdlib.Conn)}})
	sdb.SetMaxOpenConns(1)
	sdb.SetMaxIdleConns(1)
	defer sdb.Close()

	exec := func(q string, args ...any) error {
		_, err := sdb.ExecContext(ctx, q, args...)
		return err
	}
	if err := exec("BEGIN"); err != nil {
		return res, fmt.Errorf("db: migrate %s: begin: %w", schema, err)
	}
	committed := false
	defer func() {
		if !committed {
			_, _ = sdb.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	ident := pgx.Identifier{schema}.Sanitize()
	steps := []struct {
		q    string
		args []any
	}{
		{"SELECT pg_advisory_xact_lock(hashtext($1))", []any{"ambiti.migrate." + schema}},
		{"CREATE SCHEMA IF NOT EXISTS " + ident, nil},
		{"SET LOCAL search_path TO " + ident, nil},
	}
	for _, s := range steps {
		if err := exec(s.q, s.args...); err != nil {
			return res, fmt.Errorf("db: migrate %s: %w", schema, err)
		}
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sdb, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	if res.From, err = p.GetDBVersion(ctx); err != nil {
		return res, fmt.Errorf("db: migrate %s: read version: %w", schema, err)
	}
	res.To = res.From
	applied, err := p.Up(ctx)
	if err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	if n := len(applied); n > 0 {
		res.To = applied[n-1].Source.Version
	}
	if after != nil {
		g, err := gorm.Open(postgres.New(postgres.Config{Conn: sdb}), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true, TranslateError: true})
		if err != nil {
			return res, fmt.Errorf("db: migrate %s: %w", schema, err)
		}
		if err := after(ctx, g.WithContext(ctx), res); err != nil {
			return res, err
		}
	}
	if err := exec("COMMIT"); err != nil {
		return res, fmt.Errorf("db: migrate %s: commit: %w", schema, err)
	}
	committed = true
	return res, nil
}

// LatestVersion is the newest goose version in fsys (0 when it holds no migration).
func LatestVersion(fsys fs.FS) (int64, error) {
	var latest int64
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		v, err := goose.NumericComponent(e.Name())
		if err != nil {
			continue
		}
		latest = max(latest, v)
	}
	return latest, nil
}
