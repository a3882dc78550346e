package plan

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/facts"
)

// versionScope is what a version covers: the plan's tables only, or those and the pathways'
// facts, which the indicators bound to a programme read (the district home).
type versionScope bool

const (
	planTables       versionScope = false
	planWithPathways versionScope = true
)

// queueDataVersion reads what the plan's data was at: the district's plan data version (moved
// by every transaction that writes the plan's tables, migration 00016) and, with
// planWithPathways, the last write of the pathways' facts. Two reads at the same version read
// the same data. Each part carries its row's xmin, which a rewrite of the row changes even when
// it brings back an old number (a district imported from a dump).
//
// Queue it before the reads it versions: in read committed every statement of a batch sees
// what was committed before it started, so what follows it is at least as new, and a value
// kept under this version is never older than the version says.
func queueDataVersion(r *reads, scope versionScope, out *string) {
	scan := func(row pgx.Row) error {
		var v *string // NULL, left "", without the counter's row: nothing is then kept (versioned.put)
		if err := row.Scan(&v); err != nil {
			return err
		}
		if v != nil {
			*out = *v
		}
		return nil
	}
	if scope == planTables {
		r.queue(`SELECT xmin::text || '.' || version FROM data_versions WHERE subject = 'plan'`).QueryRow(scan)
		return
	}
	r.queue(`SELECT (SELECT xmin::text || '.' || version FROM data_versions WHERE subject = 'plan') || '/' ||
		coalesce((SELECT xmin::text FROM platform.district_facts WHERE tenant_slug = $1 AND section = $2), '-')`,
		r.slug, facts.PathwaysSection).QueryRow(scan)
}

// dataVersion reads the context's district's data version of scope, in one small round trip:
// what was kept under the same version (the district home, an API list) may be given again.
func (s *Service) dataVersion(ctx context.Context, actor Actor, scope versionScope) (string, error) {
	var v string
	err := s.read(ctx, actor, func(r *reads) { queueDataVersion(r, scope, &v) })
	return v, err
}

// PlanVersion is the version of the plan's tables (see queueDataVersion), for the API's lists.
func (s *Service) PlanVersion(ctx context.Context, actor Actor) (string, error) {
	return s.dataVersion(ctx, actor, planTables)
}
