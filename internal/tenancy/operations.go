package tenancy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// The operator's view of the platform: each district's state and what provisioning did. It
// holds slugs, versions, dates and outcomes, never a person's data (not even a user count).

// DistrictState is one district as the operator sees it.
type DistrictState struct {
	Slug, Name, Region string
	Status             string // active | suspended
	SchemaVersion      int64  // the district schema's migration version
	LatestVersion      int64  // the newest migration the server carries
	LastLogin          *time.Time
	LastChange         *time.Time // the last write to the plan (its facts' refresh)
	UpdatedAt          time.Time  // the last provisioning change
}

// Suspended reports whether the district is suspended.
func (s DistrictState) Suspended() bool { return s.Status == "suspended" }

// Behind reports whether the district's schema lags behind the server's migrations.
func (s DistrictState) Behind() bool { return s.SchemaVersion < s.LatestVersion }

// LogEntry is one line of the provisioning log.
type LogEntry struct {
	At          time.Time
	Kind, Slug  string
	Outcome     Outcome
	FromVersion int64
	ToVersion   int64
	Error       string
}

// Operations reads the platform's state for the operator.
type Operations struct {
	db       *db.DB
	tenantFS fs.FS
}

// NewOperations returns the operator's reader; tenantFS are the district migrations the
// server carries, to tell which districts lag behind.
func NewOperations(d *db.DB, tenantFS fs.FS) *Operations {
	return &Operations{db: d, tenantFS: tenantFS}
}

// Districts lists every district with its state, by slug.
func (o *Operations) Districts(ctx context.Context) ([]DistrictState, error) {
	latest, err := db.LatestVersion(o.tenantFS)
	if err != nil {
		return nil, err
	}
	var out []DistrictState
	err = o.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.WithContext(ctx).Raw(`
			SELECT t.slug, t.name, r.name AS region, t.status, t.schema_version, t.updated_at,
			       (SELECT max(s.last_seen_at) FROM platform.sessions s WHERE s.domain = t.slug) AS last_login,
			       (SELECT max(f.updated_at) FROM platform.district_facts f WHERE f.tenant_slug = t.slug) AS last_change
			FROM platform.tenants t JOIN platform.regions r ON r.slug = t.region_slug ORDER BY t.slug`).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("tenancy: districts' state: %w", err)
	}
	for i := range out {
		out[i].LatestVersion = latest
	}
	return out, nil
}

// Log is the newest limit lines of the provisioning log.
func (o *Operations) Log(ctx context.Context, limit int) ([]LogEntry, error) {
	var out []LogEntry
	err := o.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.WithContext(ctx).Raw(`
			SELECT at, kind, slug, outcome, from_version, to_version, error
			FROM platform.provisioning_log ORDER BY at DESC, id DESC LIMIT ?`, limit).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("tenancy: provisioning log: %w", err)
	}
	return out, nil
}

// record writes what a sync or a migration did into the provisioning log, in its own
// transaction: the work is done (each district committed its own), and the log says so.
// Only what changed something (or failed) is recorded: a sync that finds everything as it
// should be writes nothing, here as elsewhere.
func (p *Provisioner) record(ctx context.Context, results []Result) error {
	var changed []Result
	for _, r := range results {
		if r.Outcome != Unchanged && r.Outcome != "" {
			changed = append(changed, r)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return p.db.Platform(ctx, func(tx *gorm.DB) error {
		// A platform kept at an earlier version (a provisioner given only the older platform
		// migrations, as the upgrade tests do) has no log yet: nothing to write it to.
		var exists bool
		if err := tx.WithContext(ctx).Raw(`SELECT to_regclass('platform.provisioning_log') IS NOT NULL`).Scan(&exists).Error; err != nil || !exists {
			return err
		}
		for _, r := range changed {
			msg := ""
			if r.Err != nil {
				msg = truncate(r.Err.Error(), 500)
			}
			err := tx.WithContext(ctx).Exec(`
				INSERT INTO platform.provisioning_log (kind, slug, outcome, from_version, to_version, error)
				VALUES (?, ?, ?, ?, ?, ?)`, r.Kind, r.Slug, string(r.Outcome), r.From, r.To, msg).Error
			if err != nil {
				return fmt.Errorf("tenancy: provisioning log: %w", err)
			}
		}
		return nil
	})
}

// logged records results after the work that produced them; a failure to log joins err.
func (p *Provisioner) logged(ctx context.Context, results []Result, err error) ([]Result, error) {
	if lerr := p.record(ctx, results); lerr != nil {
		return results, errors.Join(err, lerr)
	}
	return results, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
