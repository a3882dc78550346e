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
	"gorm.io/gorm"
)

// ErrSchemaExists is Create's answer for a schema that already exists: bring it up with
// Migrate instead.
var ErrSchemaExists = errors.New("db: schema already exists")

// Bulk creates and migrates many schemas from one directory of migrations, on up to conns
// direct connections kept from one schema to the next (Migrate opens one per schema, whose
// backend starts with cold catalogue caches). Close it when done.
//
// Create makes a new schema in one transaction and four round trips: the script of every
// migration (with the schema, the lock and goose's version table), goose's version rows, the
// caller's own batch, COMMIT. Migrate is db.Migrate on a kept connection, for the schemas
// that exist.
type Bulk struct {
	conns  *sql.DB
	fsys   fs.FS
	script *script // nil when the migrations cannot be scripted
}

// NewBulk prepares to create and migrate schemas from fsys on up to conns connections at once.
func (d *DB) NewBulk(fsys fs.FS, conns int) (*Bulk, error) {
	s, err := newScript(fsys)
	if err != nil && !errors.Is(err, ErrNotScriptable) {
		return nil, err
	}
	pool := stdlib.OpenDB(*d.directCfg.Copy()) // never through a transaction pooler, like Migrate
	pool.SetMaxOpenConns(max(conns, 1))
	pool.SetMaxIdleConns(max(conns, 1))
	return &Bulk{conns: pool, fsys: fsys, script: s}, nil
}

// Close releases the connections.
func (c *Bulk) Close() error { return c.conns.Close() }

// Scripted reports whether Create can be used; otherwise it fails with ErrNotScriptable
// (a migration outside a transaction, say): create those schemas with Migrate.
func (c *Bulk) Scripted() bool { return c != nil && c.script != nil }

// Latest is the version every schema Create makes is at.
func (c *Bulk) Latest() int64 {
	if c.script == nil {
		return 0
	}
	if n := len(c.script.versions); n > 0 {
		return c.script.versions[n-1]
	}
	return 0
}

// Migrate is DB.Migrate on one of the kept connections.
func (c *Bulk) Migrate(ctx context.Context, schema string, after func(ctx context.Context, tx *gorm.DB, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	if !schemaRE.MatchString(schema) {
		return res, ErrBadSchema
	}
	err = c.on(ctx, func(conn *stdlib.Conn) error {
		r, err := migrateOn(ctx, conn, schema, c.fsys, after)
		res = r
		return err
	})
	return res, err
}

// on runs fn on a kept connection. One left inside a transaction (a ROLLBACK that failed) is
// discarded rather than reused.
func (c *Bulk) on(ctx context.Context, fn func(conn *stdlib.Conn) error) error {
	sc, err := c.conns.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: connect: %w", err)
	}
	defer sc.Close()
	err = sc.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn)) })
	if err != nil {
		_ = sc.Raw(func(dc any) error {
			if dc.(*stdlib.Conn).Conn().PgConn().TxStatus() != 'I' {
				return driver.ErrBadConn
			}
			return nil
		})
	}
	return err
}

// Create makes schema, which must not exist yet (ErrSchemaExists otherwise), at the newest
// version, exactly as Migrate would have (the same DDL, goose's version table and rows), then
// runs after on the same connection and transaction, the search_path on schema. after sends
// its statements itself (a pgx.Batch is one round trip). Nothing is left if anything fails.
func (c *Bulk) Create(ctx context.Context, schema string, after func(ctx context.Context, conn *pgx.Conn, res MigrateResult) error) (res MigrateResult, err error) {
	res.Schema = schema
	if !schemaRE.MatchString(schema) || schema == PlatformSchema {
		return res, ErrBadSchema
	}
	if c.script == nil {
		return res, ErrNotScriptable
	}
	err = c.on(ctx, func(conn *stdlib.Conn) error {
		r, err := c.create(ctx, conn.Conn(), schema, after)
		res = r
		return err
	})
	return res, err
}

func (c *Bulk) create(ctx context.Context, conn *pgx.Conn, schema string, after func(ctx context.Context, conn *pgx.Conn, res MigrateResult) error) (res MigrateResult, err error) {
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
