package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// Conn is one connection of its own, outside the pool, for work that needs the wire protocol
// itself (COPY) and one long transaction: a district's export or import. It starts on
// NoSchema like every pooled connection; the caller opens and ends the transaction.
type Conn struct {
	*pgx.Conn
	raw *stdlib.Conn
}

// Dedicated opens a connection of its own (on the direct URL: never through a transaction
// pooler), runs fn on it and closes it, so a long export
// neither holds one of the pool's connections nor leaves session state behind.
func (d *DB) Dedicated(ctx context.Context, fn func(ctx context.Context, c *Conn) error) error {
	raw, err := stdlib.GetConnector(*d.directCfg).Connect(ctx)
	if err != nil {
		return fmt.Errorf("db: connect: %w", err)
	}
	sc := raw.(*stdlib.Conn)
	defer sc.Close()
	return fn(ctx, &Conn{Conn: sc.Conn(), raw: sc})
}

// CreateAndMigrate creates schema (it must not exist) and brings it to version, not beyond,
// with goose — inside the transaction the caller has open on c, so that the schema, the rows
// the caller loads next and everything else commit or roll back together. It takes the same
// advisory lock as Migrate, and leaves the search_path on NoSchema. Version 0 means the newest.
func (c *Conn) CreateAndMigrate(ctx context.Context, schema string, fsys fs.FS, version int64) (MigrateResult, error) {
	res := MigrateResult{Schema: schema}
	if !schemaRE.MatchString(schema) || schema == PlatformSchema {
		return res, ErrBadSchema
	}
	steps := []string{
		"SELECT pg_advisory_xact_lock(hashtext($1))",
		"CREATE SCHEMA " + pgx.Identifier{schema}.Sanitize(),
		"SELECT set_config('search_path', $1, true)",
	}
	args := [][]any{{"ambiti.migrate." + schema}, nil, {pgx.Identifier{schema}.Sanitize()}}
	for i, q := range steps {
		if _, err := c.Exec(ctx, q, args[i]...); err != nil {
			return res, fmt.Errorf("db: create %s: %w", schema, err)
		}
	}
	if err := c.migrateTo(ctx, fsys, version, &res); err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	if _, err := c.Exec(ctx, "SELECT set_config('search_path', $1, true)", NoSchema); err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	return res, nil
}

// MigrateUp brings an existing schema to the newest version in fsys, inside the caller's
// transaction on c, like CreateAndMigrate.
func (c *Conn) MigrateUp(ctx context.Context, schema string, fsys fs.FS) (MigrateResult, error) {
	res := MigrateResult{Schema: schema}
	if !schemaRE.MatchString(schema) || schema == PlatformSchema {
		return res, ErrBadSchema
	}
	if _, err := c.Exec(ctx, "SELECT set_config('search_path', $1, true)", pgx.Identifier{schema}.Sanitize()); err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	if err := c.migrateTo(ctx, fsys, 0, &res); err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	if _, err := c.Exec(ctx, "SELECT set_config('search_path', $1, true)", NoSchema); err != nil {
		return res, fmt.Errorf("db: migrate %s: %w", schema, err)
	}
	return res, nil
}

func (c *Conn) migrateTo(ctx context.Context, fsys fs.FS, version int64, res *MigrateResult) error {
	// goose speaks database/sql: hand it this very connection, its transactions turned into
	// savepoints, and keep the connection open when goose's handle is closed.
	sdb := sql.OpenDB(keptConnector{keptConn{&savepointConn{Conn: c.raw}}})
	sdb.SetMaxOpenConns(1)
	sdb.SetMaxIdleConns(1)
	defer sdb.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sdb, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	if res.From, err = p.GetDBVersion(ctx); err != nil {
		return fmt.Errorf("read version: %w", err)
	}
	res.To = res.From
	var applied []*goose.MigrationResult
	if version > 0 {
		applied, err = p.UpTo(ctx, version)
	} else {
		applied, err = p.Up(ctx)
	}
	if err != nil {
		return err
	}
	if n := len(applied); n > 0 {
		res.To = applied[n-1].Source.Version
	}
	return nil
}

// keptConn is the caller's connection lent to database/sql: closing goose's handle must not
// close it.
type keptConn struct{ *savepointConn }

func (keptConn) Close() error { return nil }

type keptConnector struct{ conn keptConn }

func (k keptConnector) Connect(context.Context) (driver.Conn, error) { return k.conn, nil }

func (keptConnector) Driver() driver.Driver { return stdlib.GetDefaultDriver() }
