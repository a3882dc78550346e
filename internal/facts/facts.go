// Package facts keeps each district's aggregates for the regional bodies in
// platform.district_facts: figures and plan content, never people. The facts come in sections,
// one per feature ("plan" today, "pathways" next): a feature registers how to compute its
// section (a Section) and refreshes it at the end of each of its own write transactions
// (Store.Refresh), in that same transaction, so the facts change exactly when the feature's
// data does, or not at all. Readers (internal/region) read the sections of the districts of a
// region and decode the shapes declared here, without importing the feature that wrote them.
// Counts of people leave the platform only through Count (count.go).
package facts

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Section is what a feature registers: its section's name, the version of its JSON shape, and
// how to compute it for one district.
type Section struct {
	Name string
	// Version changes when a field changes meaning or goes away (adding one does not need it):
	// readers ignore a section written in a version they do not expect, until the next write of
	// that district or `ambiti facts rebuild`.
	Version int
	// Compute reads the district inside tx (search_path is the district's schema) and returns
	// the section's summary, which side-by-side tables read for every district of a region, and
	// its detail, the drill-down into one district. Both are stored as JSON; counts of people
	// in them are raw, and readers suppress them with Count.
	Compute func(ctx context.Context, tx *tenancy.Tx) (summary, detail any, err error)
	// Splice (optional) recomputes only the part of the section a write touched (part, the
	// feature's own value, such as a plan's id) into stored, the detail the section holds now,
	// and returns the whole section: what Compute would return. It says ok = false when it
	// cannot tell (stored in another shape, the part not in it, ...): Compute runs instead.
	Splice func(ctx context.Context, tx *tenancy.Tx, stored []byte, part any) (summary, detail any, ok bool, err error)
}

// Store reads and writes platform.district_facts. Its sections are fixed when it is built.
type Store struct {
	db       *db.DB
	scope    *tenancy.Scope
	sections []Section
}

// NewStore returns the store computing the given sections.
func NewStore(d *db.DB, sections ...Section) *Store {
	return &Store{db: d, scope: tenancy.NewScope(d), sections: sections}
}

func (s *Store) section(name string) (Section, error) {
	for _, sec := range s.sections {
		if sec.Name == name {
			return sec, nil
		}
	}
	return Section{}, apperr.New(apperr.Internal, "sezione dei dati regionali non registrata: "+name,
		"regional facts section not registered: "+name)
}

// Refresh recomputes the named section of tx's district and stores it inside tx: a feature
// calls it at the end of every write transaction.
//
// The section's row is locked before it is computed, so that two writes in one district take
// their turn: the second computes after the first has committed, and sees its change (in READ
// COMMITTED every statement reads what is committed when it starts). Computing first and
// locking at the upsert would let the second overwrite the facts with figures that miss the
// first write.
func (s *Store) Refresh(ctx context.Context, tx *tenancy.Tx, name string) error {
	return s.RefreshPart(ctx, tx, name, nil)
}

// RefreshPart is Refresh for a write that changed only part of the section (for the plan, one
// plan's content: part is its id): the section's Splice recomputes that part into the detail
// stored now, read under the same lock in a statement of its own, so that it holds every write
// committed before this one. Without a Splice, a part or a stored detail of this version, the
// whole section is computed, as Refresh.
func (s *Store) RefreshPart(ctx context.Context, tx *tenancy.Tx, name string, part any) error {
	sec, err := s.section(name)
	if err != nil {
		return err
	}
	slug := tx.District.Slug
	if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('ambiti.facts'), hashtext(?))`, slug+"/"+sec.Name).Error; err != nil {
		return fmt.Errorf("facts: lock %s of %s: %w", sec.Name, slug, err)
	}
	summary, detail, done := any(nil), any(nil), false
	if part != nil && sec.Splice != nil {
		var stored []string
		err := tx.Raw(`SELECT detail::text FROM platform.district_facts WHERE tenant_slug = ? AND section = ? AND version = ?`,
			slug, sec.Name, sec.Version).Scan(&stored).Error
		if err != nil {
			return fmt.Errorf("facts: read %s of %s: %w", sec.Name, slug, err)
		}
		if len(stored) == 1 {
			if summary, detail, done, err = sec.Splice(ctx, tx, []byte(stored[0]), part); err != nil {
				return fmt.Errorf("facts: splice %s of %s: %w", sec.Name, slug, err)
			}
		}
	}
	if !done {
		if summary, detail, err = sec.Compute(ctx, tx); err != nil {
			return fmt.Errorf("facts: compute %s of %s: %w", sec.Name, slug, err)
		}
	}
	sj, err := json.Marshal(summary)
	if err != nil {
		return fmt.Errorf("facts: encode %s of %s: %w", sec.Name, slug, err)
	}
	dj, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("facts: encode %s of %s: %w", sec.Name, slug, err)
	}
	// tx's search_path is the district's schema: the platform table is named in full.
	err = tx.Exec(`INSERT INTO platform.district_facts (tenant_slug, section, version, summary, detail, updated_at)
		VALUES (?, ?, ?, ?, ?, now())
		ON CONFLICT (tenant_slug, section) DO UPDATE SET version = excluded.version, summary = excluded.summary,
			detail = excluded.detail, updated_at = excluded.updated_at`,
		slug, sec.Name, sec.Version, string(sj), string(dj)).Error
	if err != nil {
		return fmt.Errorf("facts: record %s of %s: %w", sec.Name, slug, err)
	}
	return nil
}

// Rebuild recomputes every section of every district from the district's own data (after a
// deploy that changes a section's shape, or after restoring a district): one transaction per
// district, as the job facts-rebuild.
func (s *Store) Rebuild(ctx context.Context, tenants []tenancy.Tenant) error {
	job := actor.System("facts-rebuild")
	for _, t := range tenants {
		err := s.scope.TxFor(ctx, t, job, func(tx *tenancy.Tx) error {
			for _, sec := range s.sections {
				if err := s.Refresh(ctx, tx, sec.Name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("facts: rebuild %s: %w", t.Slug, err)
		}
	}
	return nil
}
