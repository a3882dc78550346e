package tenancy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// Outcome says what a sync or a migration did to one region or district.
type Outcome string

// The outcomes.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Migrated  Outcome = "migrated"
	Unchanged Outcome = "unchanged"
	Failed    Outcome = "failed"
)

// Result is the report line of one region or district.
type Result struct {
	Kind    string // "platform", "region" or "district"
	Slug    string
	Outcome Outcome
	From    int64 // schema version before (districts and platform)
	To      int64 // schema version after
	Err     error
}

// Provisioner creates, migrates and updates the platform schema and the district schemas.
type Provisioner struct {
	db         *db.DB
	platformFS fs.FS
	tenantFS   fs.FS
	workers    int
	progress   func(Progress)
}

// NewProvisioner returns a provisioner applying the given migrations, DefaultWorkers districts
// at a time.
func NewProvisioner(d *db.DB, platformFS, tenantFS fs.FS) *Provisioner {
	return &Provisioner{db: d, platformFS: platformFS, tenantFS: tenantFS, workers: DefaultWorkers}
}

// MigratePlatform brings the platform schema to the newest version.
func (p *Provisioner) MigratePlatform(ctx context.Context) (Result, error) {
	res, err := p.db.Migrate(ctx, db.PlatformSchema, p.platformFS, nil)
	r := Result{Kind: "platform", Slug: "platform", From: res.From, To: res.To, Outcome: versionOutcome(res), Err: err}
	if err != nil {
		r.Outcome = Failed
	}
	return r, err
}

// Sync makes the database match the definitions: the platform schema migrated, every region
// recorded, every district's schema created or migrated and its catalogues written. Each
// district is one transaction (schema, migrations, catalogues, platform row), so a failure
// leaves that district as it was and the others are still synced. A definition that has not
// changed writes nothing. Districts in the database but not in the definitions are left alone.
// The returned error joins the failures; the results say what happened to each.
func (p *Provisioner) Sync(ctx context.Context, defs Definitions) ([]Result, error) {
	plat, err := p.MigratePlatform(ctx)
	results := []Result{plat}
	if err != nil {
		return results, err
	}
	regions, err := p.syncRegions(ctx, defs.Regions)
	results = append(results, regions...)
	if err != nil {
		return p.logged(ctx, results, err)
	}
	current, err := p.districtStates(ctx)
	if err != nil {
		return p.logged(ctx, results, err)
	}
	todo := 0
	for _, d := range defs.Districts {
		region, _ := defs.Region(d.Region) // LoadDefinitions guarantees it exists
		if st, ok := current[d.Slug]; !ok || !st.current(hash(d, region.Catalogue)) {
			todo++
		}
	}
	bulk, err := p.bulk(todo)
	if err != nil {
		return p.logged(ctx, results, err)
	}
	if bulk != nil {
		defer bulk.Close()
	}
	districts := make([]Result, len(defs.Districts))
	p.each(len(defs.Districts), func(i int) Result {
		d := defs.Districts[i]
		region, _ := defs.Region(d.Region)
		st, ok := current[d.Slug]
		if ok && st.current(hash(d, region.Catalogue)) {
			return Result{Kind: "district", Slug: d.Slug, Outcome: Unchanged, From: st.Actual, To: st.Actual}
		}
		// A district without a schema is created from the script; one whose schema turns out
		// to exist (without goose's table, say) or whose migrations cannot be scripted is
		// migrated by goose.
		if !ok && bulk.Scripted() {
			if r := p.createDistrict(ctx, bulk, d, region); !errors.Is(r.Err, db.ErrSchemaExists) {
				return r
			}
		}
		return p.syncDistrict(ctx, bulk, d, region)
	}, districts)
	var failures []error
	for _, r := range districts {
		if r.Err != nil {
			failures = append(failures, fmt.Errorf("%s: %w", r.Slug, r.Err))
		}
	}
	return p.logged(ctx, append(results, districts...), errors.Join(failures...))
}

func (p *Provisioner) syncRegions(ctx context.Context, regions []RegionDef) ([]Result, error) {
	var results []Result
	err := p.db.Platform(ctx, func(tx *gorm.DB) error {
		results = results[:0]
		for _, r := range regions {
			def, err := json.Marshal(r)
			if err != nil {
				return err
			}
			var inserted []bool
			err = tx.Raw(`
				INSERT INTO platform.regions (slug, name, kind, definition, definition_hash, updated_at)
				VALUES (?, ?, ?, ?, ?, now())
				ON CONFLICT (slug) DO UPDATE
				SET name = excluded.name, kind = excluded.kind, definition = excluded.definition,
				    definition_hash = excluded.definition_hash, updated_at = excluded.updated_at
				WHERE regions.definition_hash <> excluded.definition_hash
				RETURNING (xmax = 0)`, r.Slug, r.Name, r.Kind, string(def), hash(r)).Scan(&inserted).Error
			if err != nil {
				return fmt.Errorf("tenancy: region %s: %w", r.Slug, err)
			}
			out := Unchanged
			if len(inserted) == 1 {
				out = map[bool]Outcome{true: Created, false: Updated}[inserted[0]]
			}
			results = append(results, Result{Kind: "region", Slug: r.Slug, Outcome: out})
		}
		return nil
	})
	return results, err
}

// districtRow is what both ways of provisioning a district write of it: its schema's name, its
// definition as stored, and the hash that tells a later sync whether anything changed.
func districtRow(d DistrictDef, region RegionDef) (schema string, def []byte, h string, err error) {
	if schema, err = SchemaName(d.Slug); err != nil {
		return "", nil, "", err
	}
	if def, err = json.Marshal(d); err != nil {
		return "", nil, "", err
	}
	return schema, def, hash(d, region.Catalogue), nil
}

func (p *Provisioner) syncDistrict(ctx context.Context, bulk *db.Bulk, d DistrictDef, region RegionDef) Result {
	r := Result{Kind: "district", Slug: d.Slug}
	schema, def, h, err := districtRow(d, region)
	if err != nil {
		r.Outcome, r.Err = Failed, err
		return r
	}
	res, err := bulk.Migrate(ctx, schema, func(ctx context.Context, tx *gorm.DB, res db.MigrateResult) error {
		var cur []struct {
			DefinitionHash string
			SchemaVersion  int64
		}
		if err := tx.Raw(`SELECT definition_hash, schema_version FROM platform.tenants WHERE slug = ?`, d.Slug).Scan(&cur).Error; err != nil {
			return fmt.Errorf("tenancy: read district: %w", err)
		}
		switch {
		case len(cur) == 0:
			r.Outcome = Created
		case cur[0].DefinitionHash != h:
			r.Outcome = Updated
		case cur[0].SchemaVersion != res.To:
			r.Outcome = Migrated
		default:
			r.Outcome = Unchanged
			return nil
		}
		err := tx.Exec(`
			INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, schema_version, definition, definition_hash, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())
			ON CONFLICT (slug) DO UPDATE
			SET name = excluded.name, short_name = excluded.short_name, region_slug = excluded.region_slug,
			    schema_version = excluded.schema_version, definition = excluded.definition,
			    definition_hash = excluded.definition_hash, updated_at = excluded.updated_at`,
			d.Slug, schema, d.Name, d.ShortName, d.Region, res.To, string(def), h).Error
		if err != nil {
			return fmt.Errorf("tenancy: record district: %w", err)
		}
		if r.Outcome == Migrated {
			return nil
		}
		return writeCatalogues(ctx, tx, d, region.Catalogue)
	})
	r.From, r.To = res.From, res.To
	if err != nil {
		r.Outcome, r.Err = Failed, err
	}
	return r
}

// MigrateTenants brings every provisioned district schema to the newest version, each in its
// own transaction: one failing leaves that district on its previous version and the others go
// on. The returned error joins the failures.
func (p *Provisioner) MigrateTenants(ctx context.Context) ([]Result, error) {
	var tenants []Tenant
	err := p.db.Platform(ctx, func(tx *gorm.DB) (err error) {
		tenants, err = listTenants(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	schemas := make([]string, len(tenants))
	for i, t := range tenants {
		schemas[i] = t.Schema
	}
	actual, err := p.db.SchemaVersions(ctx, schemas)
	if err != nil {
		return nil, err
	}
	latest, err := db.LatestVersion(p.tenantFS)
	if err != nil {
		return nil, err
	}
	current := func(t Tenant) bool {
		v, ok := actual[t.Schema]
		return ok && v >= latest && t.SchemaVersion == v
	}
	todo := 0
	for _, t := range tenants {
		if !current(t) {
			todo++
		}
	}
	bulk, err := p.bulk(todo)
	if err != nil {
		return nil, err
	}
	if bulk != nil {
		defer bulk.Close()
	}
	results := make([]Result, len(tenants))
	p.each(len(tenants), func(i int) Result {
		t := tenants[i]
		// Only the schemas behind (or whose recorded version lags) take a connection: with
		// nothing to do, a migration of a thousand districts is the two queries above.
		if current(t) {
			v := actual[t.Schema]
			return Result{Kind: "district", Slug: t.Slug, From: v, To: v, Outcome: Unchanged}
		}
		res, err := bulk.Migrate(ctx, t.Schema, func(ctx context.Context, tx *gorm.DB, res db.MigrateResult) error {
			return tx.Exec(`UPDATE platform.tenants SET schema_version = ?, updated_at = now() WHERE slug = ? AND schema_version <> ?`,
				res.To, t.Slug, res.To).Error
		})
		r := Result{Kind: "district", Slug: t.Slug, From: res.From, To: res.To, Outcome: versionOutcome(res), Err: err}
		if err != nil {
			r.Outcome = Failed
		}
		return r
	}, results)
	var failures []error
	for _, r := range results {
		if r.Err != nil {
			failures = append(failures, fmt.Errorf("%s: %w", r.Slug, r.Err))
		}
	}
	return p.logged(ctx, results, errors.Join(failures...))
}

func versionOutcome(res db.MigrateResult) Outcome {
	if res.From == 0 && res.To > 0 {
		return Created
	}
	if res.To != res.From {
		return Migrated
	}
	return Unchanged
}
