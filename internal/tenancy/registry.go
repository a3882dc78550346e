package tenancy

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
)

// ErrUnknownDistrict is returned for a slug that names no active district.
var ErrUnknownDistrict = apperr.New(apperr.NotFound, "distretto sconosciuto", "unknown district")

// Registry answers "which district is this slug?" from memory, reloading the platform's
// tenants table every ttl. A miss reloads at most once a second, so a stream of requests for
// invented hosts cannot turn into a stream of queries.
type Registry struct {
	db        *db.DB
	ttl       time.Duration
	now       func() time.Time
	devIssuer string // replaces DevIssuerPlaceholder in the districts' OIDC settings

	mu         sync.Mutex
	bySlug     map[string]Tenant
	loadedAt   time.Time
	missReload time.Time
}

// NewRegistry returns a registry over the platform schema of d.
func NewRegistry(d *db.DB, ttl time.Duration, opts ...RegistryOption) *Registry {
	r := &Registry{db: d, ttl: ttl, now: time.Now}
	for _, o := range opts {
		o(r)
	}
	return r
}

// RegistryOption configures a Registry.
type RegistryOption func(*Registry)

// WithDevIssuer makes the districts whose issuer is DevIssuerPlaceholder log in with issuer,
// this instance's development identity provider (validate it with CheckDevIssuer). Without
// this option such districts have no issuer, hence no login. Other issuers are never changed.
func WithDevIssuer(issuer string) RegistryOption {
	return func(r *Registry) { r.devIssuer = issuer }
}

// Lookup returns the active district with this slug. A malformed slug is refused before any
// query. Returns ErrUnknownDistrict (NotFound) when there is none.
func (r *Registry) Lookup(ctx context.Context, slug string) (Tenant, error) {
	if !ValidSlug(slug) {
		return Tenant{}, ErrUnknownDistrict
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	fresh := false
	if r.bySlug == nil || now.Sub(r.loadedAt) > r.ttl {
		if err := r.reload(ctx, now); err != nil {
			return Tenant{}, err
		}
		fresh = true
	}
	t, ok := r.bySlug[slug]
	if !ok && !fresh && now.Sub(r.missReload) > time.Second {
		r.missReload = now
		if err := r.reload(ctx, now); err != nil {
			return Tenant{}, err
		}
		t, ok = r.bySlug[slug]
	}
	if !ok || t.Status != "active" {
		return Tenant{}, ErrUnknownDistrict
	}
	return t, nil
}

// Invalidate forgets what was loaded; the next Lookup reloads.
func (r *Registry) Invalidate() {
	r.mu.Lock()
	r.bySlug = nil
	r.mu.Unlock()
}

func (r *Registry) reload(ctx context.Context, now time.Time) error {
	var ts []Tenant
	err := r.db.Platform(ctx, func(tx *gorm.DB) (err error) {
		ts, err = listTenants(ctx, tx)
		return err
	})
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "elenco dei distretti non disponibile", "district list unavailable")
	}
	m := make(map[string]Tenant, len(ts))
	for _, t := range r.resolve(ts) {
		m[t.Slug] = t
	}
	r.bySlug, r.loadedAt = m, now
	return nil
}

// List returns every provisioned district, active or not, read fresh from the database.
func (r *Registry) List(ctx context.Context) ([]Tenant, error) {
	var ts []Tenant
	err := r.db.Platform(ctx, func(tx *gorm.DB) (err error) {
		ts, err = listTenants(ctx, tx)
		return err
	})
	return r.resolve(ts), err
}

// resolve gives every district the issuer it logs in with on this instance.
func (r *Registry) resolve(ts []Tenant) []Tenant {
	for i := range ts {
		ts[i].OIDC = ts[i].OIDC.withDevIssuer(r.devIssuer)
	}
	return ts
}
