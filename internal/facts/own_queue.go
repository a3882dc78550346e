package facts

import (
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Queuer is where a read is queued: a district's batch (tenancy.Reads) or anything else that
// sends pgx's queued queries and calls their callbacks.
type Queuer interface {
	Queue(sql string, args ...any) *pgx.QueuedQuery
}

// QueueOwn queues the read Own makes, for a district's batch: out is filled when the batch
// returns (left zero when the district has no such section). The batch's search_path is the
// district's schema: the platform table is named in full.
func QueueOwn(q Queuer, slug, section string, out *Record) {
	q.Queue(`SELECT version, summary::text FROM platform.district_facts WHERE tenant_slug = $1 AND section = $2`, slug, section).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var summary string
				if err := rows.Scan(&out.Version, &summary); err != nil {
					return fmt.Errorf("facts: read %s of %s: %w", section, slug, err)
				}
				out.Summary = []byte(summary)
			}
			return rows.Err()
		})
}
