package tenancy

import (
	"context"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// Scope is how district code reaches the database: only through a transaction confined to the
// schema of the district the context carries. It holds the pool; handlers hold a Scope.
type Scope struct {
	db *db.DB
}

// NewScope wraps the pool.
func NewScope(d *db.DB) *Scope { return &Scope{db: d} }

// Tx runs fn in a transaction on the schema of the context's district. Without a district in
// the context it fails before any SQL is sent.
func (s *Scope) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	t, ok := FromContext(ctx)
	if !ok {
		return errNoTenant
	}
	return s.TxFor(ctx, t, fn)
}

// TxFor runs fn in a transaction on t's schema; for jobs that act on a named district.
func (s *Scope) TxFor(ctx context.Context, t Tenant, fn func(tx *gorm.DB) error) error {
	schema, err := SchemaName(t.Slug)
	if err != nil {
		return err
	}
	return s.db.InSchema(ctx, schema, fn)
}
