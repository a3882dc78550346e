package plan

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

var readTables = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\b`)

// A kept Home is only as good as its version: every district table the Home reads must move
// the plan's data version when written (migration 00016). A new read of a new table fails
// here until the table gets the trigger.
func TestTheHomeReadsOnlyVersionedTables(t *testing.T) {
	t.Parallel()
	var b pgx.Batch
	var h Home
	queueHome(&reads{q: &b, slug: "valle-trompia"}, DistrictInfo{}, true, &h)
	read := map[string]bool{}
	for _, q := range b.QueuedQueries {
		for _, m := range readTables.FindAllStringSubmatch(q.SQL, -1) {
			read[strings.ToLower(m[1])] = true
		}
	}
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	var tables, versioned []string
	err := d.InSchema(context.Background(), "t_valle_trompia", func(g *gorm.DB) error {
		if err := g.Raw(`SELECT relname FROM pg_class WHERE relnamespace = 't_valle_trompia'::regnamespace AND relkind IN ('r', 'p')`).
			Scan(&tables).Error; err != nil {
			return err
		}
		return g.Raw(`SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
			WHERE g.tgname = 'plan_data_version' AND c.relnamespace = 't_valle_trompia'::regnamespace`).Scan(&versioned).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	isVersioned := map[string]bool{}
	for _, v := range versioned {
		isVersioned[v] = true
	}
	n := 0
	for _, tb := range tables {
		if !read[tb] || tb == "data_versions" {
			continue // not read, or a name that is no table of the district (a function, a CTE)
		}
		n++
		if !isVersioned[tb] {
			t.Errorf("the district home reads %s, which does not move the plan's data version", tb)
		}
	}
	if n < 10 {
		t.Errorf("found %d district tables in the Home's reads: the pattern no longer finds them (%v)", n, read)
	}
}
