package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ceilingMode is how the raw loop sends a scenario's reads.
type ceilingMode int

const (
	sameStatements ceilingMode = iota // one round trip each, as the server does today
	oneRoundTrip                      // all in one pgx.Batch
)

func (m ceilingMode) String() string {
	if m == oneRoundTrip {
		return "pgx, 1 round trip"
	}
	return "pgx, same statements"
}

// newPool opens c connections to the target's database, as the server's pool would hold.
func newPool(ctx context.Context, dbURL string, c int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns, cfg.MinConns = int32(c), int32(c)
	// As the server's pool (internal/db): unnamed statements, parsed with every execution, one
	// round trip each, no statement cache; so "the same statements" costs PostgreSQL the same.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	return pgxpool.NewWithConfig(ctx, cfg)
}

// ceilingAttempt is one read of r with the pool, every row decoded into Go values (as the
// server decodes them into structs), so that the work compares.
func ceilingAttempt(pool *pgxpool.Pool, r ceilingRead, m ceilingMode, f fixture) (attempt, error) {
	args := make([][]any, len(r.Stmts))
	for i, s := range r.Stmts {
		var err error
		if args[i], err = s.values(f); err != nil {
			return nil, err
		}
	}
	if m == oneRoundTrip {
		return func(ctx context.Context, _ int) error {
			b := &pgx.Batch{}
			for i, s := range r.Stmts {
				b.Queue(s.SQL, args[i]...)
			}
			br := pool.SendBatch(ctx, b)
			for range r.Stmts {
				rows, err := br.Query()
				if err != nil {
					br.Close()
					return err
				}
				if err := drain(rows); err != nil {
					br.Close()
					return err
				}
			}
			return br.Close()
		}, nil
	}
	return func(ctx context.Context, _ int) error {
		var q interface {
			Query(context.Context, string, ...any) (pgx.Rows, error)
		} = pool
		var tx pgx.Tx
		if r.Tx {
			var err error
			if tx, err = pool.Begin(ctx); err != nil {
				return err
			}
			defer tx.Rollback(ctx) //nolint:errcheck // after Commit, a no-op
			q = tx
		}
		for i, s := range r.Stmts {
			rows, err := q.Query(ctx, s.SQL, args[i]...)
			if err != nil {
				return err
			}
			if err := drain(rows); err != nil {
				return err
			}
		}
		if tx != nil {
			return tx.Commit(ctx)
		}
		return nil
	}, nil
}

// drain decodes every row into Go values and closes rows.
func drain(rows pgx.Rows) error {
	defer rows.Close()
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ceiling read: %w", err)
	}
	return nil
}
