package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// scopeSQL opens every batch: the district's schema and a read-only transaction, both local to
// the implicit transaction the batch runs in, so they end with it and never reach the next
// user of the connection (a pooler's server connection included).
const scopeSQL = "SELECT set_config('search_path', $1, true), set_config('transaction_read_only', 'on', true)"

// Batch sends b's reads to schema in ONE round trip: the scope statement and b's queries go
// out together and run, in order, in the implicit transaction of one pipeline (one Sync), so
// they see the district's path and nothing else, and a write among them fails. b's queued
// callbacks decode the results; the first error they or the server return is Batch's, and
// nothing is retried.
//
// Why not a *gorm.DB transaction: BEGIN, set_config, each query and COMMIT are a round trip
// each (six for a list with its count), and database/sql decodes through interfaces. Hot reads
// come here; writes keep their transaction (InSchema), where GORM earns its place.
func (d *DB) Batch(ctx context.Context, schema string, b *pgx.Batch) error {
	if !schemaRE.MatchString(schema) {
		return ErrBadSchema
	}
	return d.batch(ctx, pgx.Identifier{schema}.Sanitize(), b)
}

// PlatformBatch sends b's reads of the shared `platform` schema in one round trip, like Batch;
// its path names no schema (NoSchema), so its statements qualify their tables, as Platform's.
func (d *DB) PlatformBatch(ctx context.Context, b *pgx.Batch) error {
	return d.batch(ctx, NoSchema, b)
}

func (d *DB) batch(ctx context.Context, path string, b *pgx.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	scoped := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, b.Len()+1)}
	scoped.Queue(scopeSQL, path)
	scoped.QueuedQueries = append(scoped.QueuedQueries, b.QueuedQueries...)
	return d.withConn(ctx, func(c *pgx.Conn) error {
		return c.SendBatch(ctx, scoped).Close()
	})
}

// withConn lends fn one of the pool's connections as pgx's own, for what database/sql cannot
// say: a pipeline of statements.
func (d *DB) withConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := d.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: connection: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("db: the pool's connections are not pgx's")
		}
		if c.Conn().IsClosed() {
			return driver.ErrBadConn
		}
		return fn(c.Conn())
	})
}
