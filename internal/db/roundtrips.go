package db

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// roundTrips counts what the pool sends to PostgreSQL, for /metrics and the benchmarks: every
// statement sent on its own is one round trip (QueryExecModeExec sends parse, bind and execute
// together), and so is a whole batch. It passes every event on to the tracer the caller gave.
type roundTrips struct {
	n    atomic.Uint64
	next pgx.QueryTracer // may be nil
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, c *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	if r.next != nil {
		return r.next.TraceQueryStart(ctx, c, data)
	}
	return ctx
}

func (r *roundTrips) TraceQueryEnd(ctx context.Context, c *pgx.Conn, data pgx.TraceQueryEndData) {
	if r.next != nil {
		r.next.TraceQueryEnd(ctx, c, data)
	}
}

func (r *roundTrips) TraceBatchStart(ctx context.Context, c *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	if bt, ok := r.next.(pgx.BatchTracer); ok {
		return bt.TraceBatchStart(ctx, c, data)
	}
	return ctx
}

func (r *roundTrips) TraceBatchQuery(ctx context.Context, c *pgx.Conn, data pgx.TraceBatchQueryData) {
	if bt, ok := r.next.(pgx.BatchTracer); ok {
		bt.TraceBatchQuery(ctx, c, data)
	}
}

func (r *roundTrips) TraceBatchEnd(ctx context.Context, c *pgx.Conn, data pgx.TraceBatchEndData) {
	if bt, ok := r.next.(pgx.BatchTracer); ok {
		bt.TraceBatchEnd(ctx, c, data)
	}
}

// RoundTrips is how many round trips the pool has made since it opened.
func (d *DB) RoundTrips() uint64 { return d.trips.n.Load() }
