package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// ErrSchemaExists is Create's answer for a schema that already exists: bring it up with
// Migrate instead.
var ErrSchemaExists = errors.New("db: schema already exists")

// Creator creates new schemas from a directory of migrations, each in one transaction and four
// round trips: the script of every migration (with the schema, the lock and goose's version
// table), goose's version rows, the caller's own batch, COMMIT. Its direct connections are kept
// between schemas, so each new schema does not pay a connection and cold catalogue caches as
// Migrate's connection of its own does. Close it when done.
type Creator struct {
	conns  *sql.DB
	script *script
}

// NewCreator prepares to create schemas from fsys on up to conns connections at once. It fails
// with ErrNotScriptable when a migration cannot run inside one script: create those schemas
// with Migrate.
func (d *DB) NewCreator(fsys fs.FS, conns int) (*Creator, error) {
	s, err := newScript(fsys)
	if err != nil {
		return nil, err
	}
	pool := stdlib.OpenDB(*d.directCfg.Copy()) // never through a transaction pooler, like Migrate
	pool.SetMaxOpenConns(max(conns, 1))
	pool.SetMaxIdleConns(max(conns, 1))
	return &Creator{conns: pool, script: s}, nil
}

// Close releases the creator's connections.
func (c *Creator) Close() error { return c.conns.Close() }

// Latest is the version every schema it creates is at.
func (c *Creator) Latest() int64 {
	if n := len(c.script.versions); n > 0 {
		return c.script.versions[n-1]
	}
	return 0
}

// Create makes schema, which must not exist yet (ErrSchemaExists otherwise), at the newest
// version, exactly as Migrate would have (the same DDL, goose's version table and rows), then
// runs after on the same connection and transaction, the search_path on schema. after sends
// its statements itself (a pgx.Batch is one round trip). Nothing is left if anything fails.
func (c *Creator) Create(ctx context.Context, schema string, after func(ctx context.Context, conn *pgx.Conn, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	if !schemaRE.MatchString(schema) || schema == PlatformSchema {
		return res, ErrBadSchema
	}
	sc, err := c.conns.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("db: create %s: connect: %w", schema, err)
	}
	defer sc.Close()
	err = sc.Raw(func(dc any) error {
		conn := dc.(*stdlib.Conn).Conn()
		r, err := c.create(ctx, conn, schema, after)
		res = r
		return err
	})
	if err != nil {
		// A connection left inside a transaction (a ROLLBACK that failed) must not be reused.
		_ = sc.Raw(func(dc any) error {
			if dc.(*stdlib.Conn).Conn().PgConn().TxStatus() != 'I' {
				return driver.ErrBadConn
			}
			return nil
		})
	}
	return res, err
}

func (c *Creator) create(ctx context.Context, conn *pgx.Conn, schema string, after func(ctx context.Context, conn *pgx.Conn, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	committed := false
	defer func() {
		if !committed {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	ident := pgx.Identifier{schema}.Sanitize()
	// The name is checked (schemaRE): it is safe as a literal as well as an identifier. The same
	// lock, schema and path as Migrate, then goose's table as goose creates it before the first
	// migration, then the migrations.
	head := fmt.Sprintf("BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('ambiti.migrate.%s'));\nCREATE SCHEMA %s;\nSET LOCAL search_path TO %s;\n%s;\n",
		schema, ident, ident, c.script.createTable)
	if _, err := conn.PgConn().Exec(ctx, head+c.script.sql).ReadAll(); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P06" { // duplicate_schema
			return res, ErrSchemaExists
		}
		return res, fmt.Errorf("db: create %s: %w", schema, err)
	}
	b := &pgx.Batch{}
	b.Queue(c.script.insertVersion, int64(0), true)
	for _, v := range c.script.versions {
		b.Queue(c.script.insertVersion, v, true)
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return res, fmt.Errorf("db: create %s: record versions: %w", schema, err)
	}
	res.To = c.Latest()
	if after != nil {
		if err := after(ctx, conn, res); err != nil {
			return res, err
		}
	}
	if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
		return res, fmt.Errorf("db: create %s: commit: %w", schema, err)
	}
	committed = true
	return res, nil
}
