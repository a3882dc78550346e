package tenancy

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// Queries on the platform schema. Tables are always qualified: platform transactions run with
// a search_path that names no schema.

func listTenants(ctx context.Context, tx *gorm.DB) ([]Tenant, error) {
	var rows []struct {
		Tenant
		OIDCJSON string `gorm:"column:oidc_json"`
	}
	err := tx.WithContext(ctx).Raw(`
		SELECT t.slug, t.name, t.short_name, t.region_slug AS region, r.name AS region_name,
		       coalesce(t.definition->>'lead_body', '') AS lead_body, t.schema_name AS schema, t.status, t.schema_version,
		       coalesce(t.definition->'oidc', '{}')::text AS oidc_json
		FROM platform.tenants t JOIN platform.regions r ON r.slug = t.region_slug ORDER BY t.slug`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("tenancy: list tenants: %w", err)
	}
	ts := make([]Tenant, len(rows))
	for i, r := range rows {
		ts[i] = r.Tenant
		if err := json.Unmarshal([]byte(r.OIDCJSON), &ts[i].OIDC); err != nil {
			return nil, fmt.Errorf("tenancy: district %s: oidc settings: %w", r.Slug, err)
		}
	}
	return ts, nil
}

// platformVersion is the newest goose version applied to the platform schema (0 when the
// schema has never been migrated).
func platformVersion(ctx context.Context, tx *gorm.DB) (int64, error) {
	var exists bool
	if err := tx.WithContext(ctx).Raw(`SELECT to_regclass('platform.goose_db_version') IS NOT NULL`).Scan(&exists).Error; err != nil {
		return 0, fmt.Errorf("tenancy: platform version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int64
	err := tx.WithContext(ctx).Raw(`SELECT coalesce(max(version_id), 0) FROM platform.goose_db_version WHERE is_applied`).Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("tenancy: platform version: %w", err)
	}
	return v, nil
}

// SetStatus makes a district active or suspended; it returns how many districts changed (0 when
// the slug names none). Instances see the change within the registry's reload interval.
func SetStatus(ctx context.Context, d *db.DB, slug, status string) (int64, error) {
	if !ValidSlug(slug) {
		return 0, ErrUnknownDistrict
	}
	var n int64
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE platform.tenants SET status = ?, updated_at = now() WHERE slug = ?`, status, slug)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}
