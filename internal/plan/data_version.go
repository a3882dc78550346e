package plan

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/facts"
)

// queueDataVersion reads what the plan's data was at: the district's plan data version (moved
// by every transaction that writes the plan's tables, migration 00016) and the last write of
// the pathways' facts, which the indicators bound to a programme read. Two reads at the same
// version read the same data. Each part carries its row's xmin, which a rewrite of the row
// changes even when it brings back an old number (a district imported from a dump).
//
// Queue it before the reads it versions: in read committed every statement of a batch sees
// what was committed before it started, so what follows it is at least as new, and a value
// kept under this version is never older than the version says.
func queueDataVersion(r *reads, out *string) {
	// NULL, read as "", without the counter's row: nothing is then kept (versioned.put).
	r.queue(`SELECT (SELECT xmin::text || '.' || version FROM data_versions WHERE subject = 'plan') || '/' ||
		coalesce((SELECT xmin::text FROM platform.district_facts WHERE tenant_slug = $1 AND section = $2), '-')`,
		r.slug, facts.PathwaysSection).QueryRow(func(row pgx.Row) error {
		var v *string
		if err := row.Scan(&v); err != nil {
			return err
		}
		if v != nil {
			*out = *v
		}
		return nil
	})
}

// DataVersion reads the context's district's plan data version, in one small round trip: what
// was kept under the same version (the district home, an API list) may be given again as it is.
func (s *Service) DataVersion(ctx context.Context, actor Actor) (string, error) {
	var v string
	err := s.read(ctx, actor, func(r *reads) { queueDataVersion(r, &v) })
	return v, err
}
