package tenancy

import (
	"context"
	"fmt"
	"io/fs"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
)

// Readiness checks that the database answers and that the schemas are on the migrations this
// binary carries, so a load balancer sends traffic only to instances that can serve it.
type Readiness struct {
	db             *db.DB
	platformLatest int64
	tenantLatest   int64
}

// NewReadiness reads the newest migration versions from the embedded files.
func NewReadiness(d *db.DB, platformFS, tenantFS fs.FS) (*Readiness, error) {
	p, err := db.LatestVersion(platformFS)
	if err != nil {
		return nil, err
	}
	t, err := db.LatestVersion(tenantFS)
	if err != nil {
		return nil, err
	}
	return &Readiness{db: d, platformLatest: p, tenantLatest: t}, nil
}

// Check returns nil when ready. For a district (slug not empty) its own schema must be
// current; for the platform host, every district's. A schema AHEAD of this binary is ready:
// migrations only add, and during a rolling upgrade the old instances keep serving after
// `ambiti tenants sync` has run, until the new ones replace them. Returns an Unavailable error saying why.
func (r *Readiness) Check(ctx context.Context, slug string) error {
	return r.db.Probe(ctx, func(tx *gorm.DB) error {
		v, err := platformVersion(ctx, tx)
		if err != nil {
			return apperr.Wrap(apperr.Unavailable, err, "database non raggiungibile", "database unreachable")
		}
		if v < r.platformLatest {
			return notReady(fmt.Sprintf("schema platform alla versione %d, attesa %d", v, r.platformLatest),
				fmt.Sprintf("platform schema at version %d, want %d", v, r.platformLatest))
		}
		if slug != "" {
			var versions []int64
			if err := tx.Raw(`SELECT schema_version FROM platform.tenants WHERE slug = ?`, slug).Scan(&versions).Error; err != nil {
				return apperr.Wrap(apperr.Unavailable, err, "database non raggiungibile", "database unreachable")
			}
			if len(versions) != 1 || versions[0] < r.tenantLatest {
				return notReady(fmt.Sprintf("schema del distretto %s non aggiornato (attesa versione %d)", slug, r.tenantLatest),
					fmt.Sprintf("district %s schema not current (want version %d)", slug, r.tenantLatest))
			}
			return nil
		}
		var behind int64
		if err := tx.Raw(`SELECT count(*) FROM platform.tenants WHERE schema_version < ?`, r.tenantLatest).Scan(&behind).Error; err != nil {
			return apperr.Wrap(apperr.Unavailable, err, "database non raggiungibile", "database unreachable")
		}
		if behind > 0 {
			return notReady(fmt.Sprintf("%d distretti da migrare (eseguire: ambiti migrate)", behind),
				fmt.Sprintf("%d districts need migrating (run: ambiti migrate)", behind))
		}
		return nil
	})
}

func notReady(it, en string) error { return apperr.New(apperr.Unavailable, it, en) }
