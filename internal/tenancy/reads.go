package tenancy

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/actor"
)

// Reads is a district's reads sent together: queued here, they go to the district's schema in
// one round trip (db.Batch), read-only, and their callbacks decode the rows into the caller's
// values. It is for the hot reads of pages and lists that hold no personal data: those are read
// in a Tx, which writes the audit row in the same transaction. Each Queue's SQL names the
// district's tables unqualified, as in a Tx.
type Reads struct {
	District Tenant      // where they run
	Actor    actor.Actor // who they run for
	batch    pgx.Batch
}

// Queue adds one statement; set its Query, QueryRow or Exec callback to decode what it returns.
func (r *Reads) Queue(sql string, args ...any) *pgx.QueuedQuery {
	return r.batch.Queue(sql, args...)
}

// Read queues the reads fn asks for on the context's district and sends them in one round
// trip, on behalf of a. Like Tx, it fails before any SQL without a district or an actor.
func (s *Scope) Read(ctx context.Context, a actor.Actor, fn func(r *Reads)) error {
	t, ok := FromContext(ctx)
	if !ok {
		return errNoTenant
	}
	return s.ReadFor(ctx, t, a, fn)
}

// ReadFor runs fn's reads like Read, on the named district t.
func (s *Scope) ReadFor(ctx context.Context, t Tenant, a actor.Actor, fn func(r *Reads)) error {
	if a.Anonymous() {
		return errNoActor
	}
	schema, err := SchemaName(t.Slug)
	if err != nil {
		return err
	}
	r := &Reads{District: t, Actor: a}
	fn(r)
	return s.db.Batch(ctx, schema, &r.batch)
}
