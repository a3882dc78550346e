package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// versionBatch bounds one version query: a UNION ALL of 500 tiny index scans is one round trip
// and well within what the planner handles quickly.
const versionBatch = 500

// SchemaVersions reads the goose version of many schemas in a few round trips (one to find the
// schemas that have a version table, then one per 500 of them), rather than opening a
// connection and a transaction per schema. A schema that does not exist, or has no version
// table yet, is absent from the map. Names are checked like Migrate's; a malformed one fails
// the whole call.
func (d *DB) SchemaVersions(ctx context.Context, schemas []string) (map[string]int64, error) {
	for _, s := range schemas {
		if !schemaRE.MatchString(s) {
			return nil, ErrBadSchema
		}
	}
	out := make(map[string]int64, len(schemas))
	if len(schemas) == 0 {
		return out, nil
	}
	var present []string
	err := d.gorm.WithContext(ctx).Raw(`SELECT n.nspname FROM pg_namespace n
		JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'goose_db_version'
		WHERE n.nspname IN ?`, schemas).Scan(&present).Error
	if err != nil {
		return nil, fmt.Errorf("db: schema versions: %w", err)
	}
	for start := 0; start < len(present); start += versionBatch {
		batch := present[start:min(start+versionBatch, len(present))]
		parts := make([]string, len(batch))
		for i, s := range batch {
			// The literal is the checked name itself; the identifier is quoted by pgx.
			parts[i] = fmt.Sprintf(`SELECT '%s' AS schema, coalesce(max(version_id) FILTER (WHERE is_applied), 0) AS version FROM %s.goose_db_version`,
				s, pgx.Identifier{s}.Sanitize())
		}
		var rows []struct {
			Schema  string
			Version int64
		}
		if err := d.gorm.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL ")).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("db: schema versions: %w", err)
		}
		for _, r := range rows {
			out[r.Schema] = r.Version
		}
	}
	return out, nil
}
