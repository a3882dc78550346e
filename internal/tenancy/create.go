package tenancy

import (
	"context"

	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

// createDistrict provisions a district whose schema does not exist yet, in one transaction
// and four round trips (db.Bulk): the schema at the newest version, then its platform row
// and its catalogues in one batch. It is syncDistrict's fast path: ~150 statements that goose
// would send one by one, each migration in its own savepoint, plus one per catalogue row.
// db.ErrSchemaExists means the schema is there after all: syncDistrict then.
func (p *Provisioner) createDistrict(ctx context.Context, c *db.Bulk, d DistrictDef, region RegionDef) Result {
	r := Result{Kind: "district", Slug: d.Slug}
	schema, def, h, err := districtRow(d, region)
	if err != nil {
		r.Outcome, r.Err = Failed, err
		return r
	}
	res, err := c.Create(ctx, schema, func(ctx context.Context, conn *pgx.Conn, res db.MigrateResult) error {
		b := &pgx.Batch{}
		// The row may be there already, its schema gone (dropped by hand): it is updated, and the
		// district is created all the same.
		b.Queue(`
			INSERT INTO platform.tenants (slug, schema_name, name, short_name, region_slug, schema_version, definition, definition_hash, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
			ON CONFLICT (slug) DO UPDATE
			SET name = excluded.name, short_name = excluded.short_name, region_slug = excluded.region_slug,
			    schema_version = excluded.schema_version, definition = excluded.definition,
			    definition_hash = excluded.definition_hash, updated_at = excluded.updated_at`,
			d.Slug, schema, d.Name, d.ShortName, d.Region, res.To, string(def), h)
		stmts := catalogueStatements(d, region.Catalogue)
		for _, s := range stmts {
			b.Queue(dollarParams(s.q), s.args...)
		}
		br := conn.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("tenancy: record district: %w", err)
		}
		for _, s := range stmts {
			if _, err := br.Exec(); err != nil {
				return s.fail(err)
			}
		}
		return br.Close()
	})
	r.From, r.To, r.Outcome = res.From, res.To, Created
	if err != nil {
		r.Outcome, r.Err = Failed, err
	}
	return r
}

// dollarParams turns GORM's ? placeholders into PostgreSQL's $1, $2… for pgx. The statements
// it is given are this package's constants, which hold no other question mark.
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bulk returns the kept connections for the districts to create or migrate (nil when there
// is none), on as many connections as workers.
func (p *Provisioner) bulk(todo int) (*db.Bulk, error) {
	if todo == 0 {
		return nil, nil
	}
	return p.db.NewBulk(p.tenantFS, min(p.workers, todo))
}
