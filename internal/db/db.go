// Package db owns the PostgreSQL connection pool. It hands out transactions, never the pool:
// InSchema for one district's schema, Platform for the shared `platform` schema.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// NoSchema is the search_path every pooled connection starts with. It names no schema that
// exists, so a query that forgot its tenant fails instead of reading some district's rows.
const NoSchema = "ambiti_no_tenant"

// schemaRE is a last line of defence: schema names are built by tenancy from validated slugs,
// and are quoted as identifiers anyway.
var schemaRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// ErrBadSchema is returned, before any SQL is sent, for a schema name that is not well formed.
var ErrBadSchema = errors.New("db: malformed schema name")

// Config says how to reach PostgreSQL.
type Config struct {
	URL string
	// DirectURL reaches PostgreSQL without a transaction pooler (PgBouncer in transaction mode),
	// for what needs the same server session across statements: goose migrations and their
	// transaction on one connection, the authz listener's LISTEN (its caller dials it). Empty
	// means URL. A DirectURL other than URL says URL goes through a pooler: see pooledConnConfig.
	DirectURL       string
	MaxOpenConns    int              // default 20: each backend caches catalog entries of the schemas it touched
	ConnMaxLifetime time.Duration    // default 30m, so those caches do not grow forever
	Tracer          pgx.QueryTracer  // optional; tests count queries with it
	Logger          logger.Interface // optional GORM logger; silent by default
}

// DB is the pool. Its methods are the only ways to run SQL.
type DB struct {
	gorm      *gorm.DB
	sql       *sql.DB
	directCfg *pgx.ConnConfig // migrations: never through a transaction pooler
	// pooled: URL goes through a transaction pooler, so connections carry no search_path of
	// their own and every transaction sets NoSchema itself (see pooledConnConfig).
	pooled bool

	// probe is one connection of its own for the readiness check, so that a pool exhausted by
	// slow requests (the database being fine) does not make every replica look dead at once.
	probe *gorm.DB

	trips *roundTrips // every round trip of the pool, for /metrics
}

// Open connects and checks the connection.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	pooled := cfg.DirectURL != "" && cfg.DirectURL != cfg.URL
	if cfg.DirectURL == "" {
		cfg.DirectURL = cfg.URL
	}
	connCfg, err := ConnConfig(cfg.URL)
	if err != nil {
		return nil, err
	}
	directCfg, err := ConnConfig(cfg.DirectURL)
	if err != nil {
		return nil, fmt.Errorf("direct URL: %w", err)
	}
	if pooled {
		pooledConnConfig(connCfg)
	}
	trips := &roundTrips{next: cfg.Tracer}
	connCfg.Tracer = trips
	sqlDB := stdlib.OpenDB(*connCfg)
	if cfg.MaxOpenConns <= 0 {
		cfg.MaxOpenConns = 20
	}
	if cfg.ConnMaxLifetime <= 0 {
		cfg.ConnMaxLifetime = 30 * time.Minute
	}
	sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	sqlDB.SetMaxIdleConns(cfg.MaxOpenConns)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	gl := cfg.Logger
	if gl == nil {
		gl = logger.Discard
	}
	gcfg := &gorm.Config{
		Logger:                 gl,
		SkipDefaultTransaction: true, // every write already runs inside our own transaction
		TranslateError:         true,
	}
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gcfg)
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("db: open: %w", err)
	}
	probeCfg := connCfg.Copy()
	probeCfg.Tracer = cfg.Tracer // health checks are not the requests' round trips
	probeCfg.RuntimeParams["application_name"] = connCfg.RuntimeParams["application_name"] + "-probe"
	probeDB := stdlib.OpenDB(*probeCfg)
	probeDB.SetMaxOpenConns(1)
	probeDB.SetMaxIdleConns(1)
	probeDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	probe, err := gorm.Open(postgres.New(postgres.Config{Conn: probeDB}), gcfg)
	if err != nil {
		sqlDB.Close()
		probeDB.Close()
		return nil, fmt.Errorf("db: open: %w", err)
	}
	d := &DB{gorm: g, sql: sqlDB, directCfg: directCfg, pooled: pooled, probe: probe, trips: trips}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.Ping(pctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// ConnConfig parses a URL into the connection settings every Ambiti connection uses.
func ConnConfig(url string) (*pgx.ConnConfig, error) {
	if url == "" {
		return nil, errors.New("db: DATABASE_URL is empty")
	}
	c, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse DATABASE_URL: %w", err)
	}
	// Statements are not cached per connection: districts may briefly sit on different schema
	// versions and a cached plan would then fail ("cached plan must not change result type").
	c.DefaultQueryExecMode = pgx.QueryExecModeExec
	c.RuntimeParams["search_path"] = NoSchema
	if c.RuntimeParams["application_name"] == "" {
		c.RuntimeParams["application_name"] = "ambiti"
	}
	return c, nil
}

// pooledConnConfig adapts c to a transaction pooler (PgBouncer in transaction mode), where one
// client's statements share server connections with every other client's:
//   - search_path is not sent at startup: PgBouncer refuses startup parameters it does not
//     track ("unsupported startup parameter"), and were it told to ignore it
//     (ignore_startup_parameters) the server connections would keep the role's default path
//     ("$user", public), losing the guarantee that a query without its district fails. So the
//     guarantee moves into the transaction: InSchema sets the district's path and Platform
//     and Probe set NoSchema, each with set_config(…, true), which ends with the transaction
//     and therefore never reaches the next client of that server connection. This costs one
//     statement per platform transaction, and needs nothing configured on the pooler or the
//     database (an ALTER ROLE … SET search_path would work too, but is one more step an
//     operator can forget, and nothing would tell).
//   - QueryExecModeExec (ConnConfig) already suits it: unnamed statements, parsed and run in
//     one round trip, so no prepared statement outlives the transaction that made it.
//   - What needs one session across transactions never comes here: migrations (directCfg)
//     and the authz listener's LISTEN (dialled by its caller on the direct URL). Advisory
//     locks are all transaction-scoped (pg_advisory_xact_lock), which a pooler keeps.
//   - The probe's own connection is only a connection to the pooler: /readyz then waits for
//     one of the pooler's server connections like any request, so size its pool for that.
func pooledConnConfig(c *pgx.ConnConfig) {
	delete(c.RuntimeParams, "search_path")
}

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("db: ping: %w", err)
	}
	return nil
}

// Close releases the pool and the probe's connection.
func (d *DB) Close() error {
	if p, err := d.probe.DB(); err == nil {
		p.Close()
	}
	return d.sql.Close()
}

// Stats reports the pool's state, for metrics.
func (d *DB) Stats() sql.DBStats { return d.sql.Stats() }

// InSchema runs fn in a transaction whose search_path is schema (SET LOCAL: it reverts at
// commit, so a pooled connection never carries one district's path to the next request).
func (d *DB) InSchema(ctx context.Context, schema string, fn func(tx *gorm.DB) error) error {
	if !schemaRE.MatchString(schema) {
		return ErrBadSchema
	}
	return d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := setSearchPath(tx, schema); err != nil {
			return err
		}
		return fn(tx)
	})
}

// Platform runs fn in a transaction for the shared `platform` schema. Its search_path stays
// NoSchema, so platform queries qualify their tables and cannot touch a district by accident.
func (d *DB) Platform(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.gorm.WithContext(ctx).Transaction(d.noSchema(fn))
}

// noSchema wraps fn to set NoSchema first when the connections come from a transaction pooler
// and so do not start with it (pooledConnConfig).
func (d *DB) noSchema(fn func(tx *gorm.DB) error) func(tx *gorm.DB) error {
	if !d.pooled {
		return fn
	}
	return func(tx *gorm.DB) error {
		if err := tx.Exec("SELECT set_config('search_path', ?, true)", NoSchema).Error; err != nil {
			return fmt.Errorf("db: set search_path: %w", err)
		}
		return fn(tx)
	}
}

// Probe runs fn like Platform, on the one connection kept for health checks rather than on the
// pool: it answers whether the database does, whatever the pool is busy with.
func (d *DB) Probe(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.probe.WithContext(ctx).Transaction(d.noSchema(fn))
}

func setSearchPath(tx *gorm.DB, schema string) error {
	if err := tx.Exec("SELECT set_config('search_path', ?, true)", pgx.Identifier{schema}.Sanitize()).Error; err != nil {
		return fmt.Errorf("db: set search_path: %w", err)
	}
	return nil
}
