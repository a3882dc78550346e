package tenancy

import (
	"context"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
)

// Scope is how district code reaches the database: only through a transaction confined to the
// schema of one district, on behalf of one actor. It holds the pool; services hold a Scope.
type Scope struct {
	db    *db.DB
	audit AuditWriter // nil: a transaction that records an Access fails
}

// NewScope wraps the pool.
func NewScope(d *db.DB) *Scope { return &Scope{db: d} }

// Audited returns a Scope whose transactions write their accesses to personal data with w.
// Services that hold personal data are built on one; any other fails closed on an Access.
func (s *Scope) Audited(w AuditWriter) *Scope {
	c := *s
	c.audit = w
	return &c
}

// Tx runs fn in a transaction on the schema of the context's district, on behalf of a. Without
// a district in the context, or without an actor, it fails before any SQL is sent: nothing
// reads or writes a district anonymously (jobs act as actor.System).
func (s *Scope) Tx(ctx context.Context, a actor.Actor, fn func(tx *Tx) error) error {
	t, ok := FromContext(ctx)
	if !ok {
		return errNoTenant
	}
	return s.TxFor(ctx, t, a, fn)
}

// TxFor runs fn like Tx, on the named district t: for jobs that walk every district.
func (s *Scope) TxFor(ctx context.Context, t Tenant, a actor.Actor, fn func(tx *Tx) error) error {
	if a.Anonymous() {
		return errNoActor
	}
	schema, err := SchemaName(t.Slug)
	if err != nil {
		return err
	}
	return s.db.InSchema(ctx, schema, func(g *gorm.DB) error {
		tx := &Tx{DB: g, District: t, Actor: a, RequestID: actor.RequestID(ctx)}
		if err := fn(tx); err != nil {
			return err
		}
		if len(tx.accesses) == 0 {
			return nil
		}
		if s.audit == nil {
			return errNoAuditWriter
		}
		return s.audit.WriteAudit(tx, tx.accesses)
	})
}
