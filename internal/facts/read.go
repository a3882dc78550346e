package facts

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// District is an active district of a region with the sections stored for it.
type District struct {
	Slug      string
	Name      string
	ShortName string
	Sections  map[string]Record // by section name; a section never written is absent
}

// Record is one section of one district as stored.
type Record struct {
	Version   int
	Summary   json.RawMessage
	Detail    json.RawMessage // read by Store.District only: it is the large part
	UpdatedAt time.Time
}

// Decode fills summary and detail (either may be nil) from the record when it was written in
// version, and reports whether it was: a district without the section, or with it in another
// version, leaves them as they were.
func (r Record) Decode(version int, summary, detail any) (bool, error) {
	if r.Version == 0 || r.Version != version {
		return false, nil
	}
	for _, p := range []struct {
		raw json.RawMessage
		v   any
	}{{r.Summary, summary}, {r.Detail, detail}} {
		if p.v == nil || len(p.raw) == 0 {
			continue
		}
		if err := json.Unmarshal(p.raw, p.v); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Districts returns the active districts of a region by name, with their sections' summaries:
// one query, whatever the number of districts on the platform.
func (s *Store) Districts(ctx context.Context, region string) ([]District, error) {
	return s.read(ctx, region, "", nil)
}

// DistrictsWith is Districts reading only the named sections (the pathways' tables need no
// plan): less to send and to decode.
func (s *Store) DistrictsWith(ctx context.Context, region string, sections ...string) ([]District, error) {
	return s.read(ctx, region, "", sections)
}

// District returns one active district of the region with its sections' summaries and
// details; ok is false when the region has no such district.
func (s *Store) District(ctx context.Context, region, slug string) (d District, ok bool, err error) {
	ds, err := s.read(ctx, region, slug, nil)
	if err != nil || len(ds) != 1 {
		return District{}, false, err
	}
	return ds[0], true, nil
}

// read runs the regional query: every active district of region (only slug, when given, and
// then with the details), one row per stored section (of sections, when some are named).
func (s *Store) read(ctx context.Context, region, slug string, sections []string) ([]District, error) {
	cols := `t.slug, t.name, t.short_name, f.section, f.version, f.summary::text AS summary, f.updated_at`
	if slug != "" {
		cols += `, f.detail::text AS detail`
	}
	var args []any
	join := `f.tenant_slug = t.slug`
	if len(sections) > 0 {
		join += ` AND f.section IN ?`
		args = append(args, sections)
	}
	q := `SELECT ` + cols + ` FROM platform.tenants t LEFT JOIN platform.district_facts f ON ` + join + `
		WHERE t.region_slug = ? AND t.status = 'active'`
	args = append(args, region)
	if slug != "" {
		q += ` AND t.slug = ?`
		args = append(args, slug)
	}
	var rows []struct {
		Slug, Name, ShortName string
		Section               *string
		Version               *int
		Summary, Detail       *string
		UpdatedAt             *time.Time
	}
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(q+` ORDER BY t.name, t.slug`, args...).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("facts: read region %s: %w", region, err)
	}
	var out []District
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Slug != r.Slug {
			out = append(out, District{Slug: r.Slug, Name: r.Name, ShortName: r.ShortName, Sections: map[string]Record{}})
		}
		if r.Section == nil {
			continue // no section stored yet
		}
		rec := Record{Summary: raw(r.Summary), Detail: raw(r.Detail)}
		if r.Version != nil {
			rec.Version = *r.Version
		}
		if r.UpdatedAt != nil {
			rec.UpdatedAt = *r.UpdatedAt
		}
		out[len(out)-1].Sections[*r.Section] = rec
	}
	return out, nil
}

func raw(s *string) json.RawMessage {
	if s == nil {
		return nil
	}
	return json.RawMessage(*s)
}

// Region is a regional body with the number of its active districts.
type Region struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Districts int    `json:"districts"`
}

// Regions lists the named regions, by name.
func (s *Store) Regions(ctx context.Context, slugs []string) ([]Region, error) {
	var out []Region
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT r.slug, r.name, r.kind, count(t.slug) AS districts
			FROM platform.regions r LEFT JOIN platform.tenants t ON t.region_slug = r.slug AND t.status = 'active'
			WHERE r.slug IN ? GROUP BY r.slug ORDER BY r.name`, slugs).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("facts: read regions: %w", err)
	}
	return out, nil
}
