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

// PlatformSchema is the shared schema: regions, districts, identities, the facts.
const PlatformSchema = "platform"

// keepLocal turns Citus schema-based sharding off for the rest of the transaction that migrates
// the platform schema. With citus.enable_schema_based_sharding = on, every CREATE SCHEMA makes a
// distributed schema, irreversibly; the platform schema must stay a plain local schema on the
// coordinator (the district schemas are the ones to distribute). set_config(…, true) is SET LOCAL:
// it ends with the transaction.
//
// It runs only where the setting exists (pg_settings lists it only when Citus is loaded; zero
// rows, no call). Plain PostgreSQL would accept the bare SET as well — a dotted name is a custom
// placeholder, checked on PostgreSQL 15.18 — but it would leave a placeholder behind in the
// session, and PostgreSQL 15+ refuses unknown names under a prefix an extension has reserved, so
// an older Citus without the setting could fail the migration. The guard avoids both.
const keepLocal = `SELECT set_config(name, 'off', true) FROM pg_settings WHERE name = 'citus.enable_schema_based_sharding'`

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
// The platform schema is migrated with Citus schema-based sharding off (keepLocal).
func (d *DB) Migrate(ctx context.Context, schema string, fsys fs.FS, after func(ctx context.Context, tx *gorm.DB, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	if !schemaRE.MatchString(schema) {
		return res, ErrBadSchema
	}
	// The direct connection, never a transaction pooler's: goose and the steps below are one
	// transaction sent as separate statements on one session.
	raw, err := stdlib.GetConnector(*d.directCfg).Connect(ctx)
	if err != nil {
		return res, fmt.Errorf("db: migrate %s: connect: %w", schema, err)
	}
	defer raw.Close()
	return migrateOn(ctx, raw.(*stdlib.Conn), schema, fsys, after)
}

// migrateOn is Migrate on a connection the caller holds (and closes).
func migrateOn(ctx context.Context, conn *stdlib.Conn, schema string, fsys fs.FS, after func(ctx context.Context, tx *gorm.DB, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	// goose speaks database/sql: hand it this very connection, its transactions turned into
	// savepoints, and keep the connection open when goose's handle is closed.
	sdb := sql.OpenDB(keptConnector{keptConn{&savepointConn{Conn: conn}}})
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
	type step struct {
		q    string
		args []any
	}
	steps := []step{{"SELECT pg_advisory_xact_lock(hashtext($1))", []any{"ambiti.migrate." + schema}}}
	if schema == PlatformSchema {
		steps = append(steps, step{keepLocal, nil})
	}
	steps = append(steps,
		step{"CREATE SCHEMA IF NOT EXISTS " + ident, nil},
		step{"SET LOCAL search_path TO " + ident, nil},
	)
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
