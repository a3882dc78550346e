package plan

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// reads is a use case's reads, each written once (the queue* functions of reads_*.go): queued
// on a district's batch they go in one round trip (Service.read); queued inside a transaction
// they run there one by one (readInTx), for a write that must read what it has just written.
// The callbacks decode the rows into typed values; then runs once every read has arrived,
// to assemble them (indicators into their objectives, totals).
type reads struct {
	q     facts.Queuer
	slug  string // the district, for the platform tables that name it
	after []func() error
}

func (r *reads) queue(sql string, args ...any) *pgx.QueuedQuery { return r.q.Queue(sql, args...) }

// then runs fn after every read has arrived, in the order then was called.
func (r *reads) then(fn func() error) { r.after = append(r.after, fn) }

func (r *reads) finish() error {
	for _, fn := range r.after {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// read sends fn's reads to the context's district in one round trip, on behalf of actor. They
// are for the plan's data, which holds nothing personal (tenancy.Reads).
func (s *Service) read(ctx context.Context, actor Actor, fn func(r *reads)) error {
	var r *reads
	err := s.scope.Read(ctx, actor, func(tr *tenancy.Reads) {
		r = &reads{q: tr, slug: tr.District.Slug}
		fn(r)
	})
	if err != nil {
		return err
	}
	return r.finish()
}

// readInTx runs fn's reads inside tx, one statement after another, with the same decoding.
func readInTx(tx *tenancy.Tx, fn func(r *reads)) error {
	var b pgx.Batch
	r := &reads{q: &b, slug: tx.District.Slug}
	fn(r)
	ctx := tx.Statement.Context
	if ctx == nil {
		ctx = context.Background()
	}
	for _, qq := range b.QueuedQueries {
		rows, err := tx.Statement.ConnPool.QueryContext(ctx, qq.SQL, qq.Arguments...)
		if err != nil {
			return err
		}
		res := &sqlResults{rows: rows}
		if qq.Fn != nil {
			err = qq.Fn(res)
		}
		if cerr := res.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return r.finish()
}
