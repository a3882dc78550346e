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
	db *db.DB
}

// NewScope wraps the pool.
func NewScope(d *db.DB) *Scope { return &Scope{db: d} }

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
		return fn(&Tx{DB: g, District: t, Actor: a})
	})
}
