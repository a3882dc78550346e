package tenantdump

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

// relation is a table as the catalogue describes it.
type relation struct {
	oid     uint32
	name    string
	columns []string // stored columns, in order; generated ones are left out (COPY cannot write them)
	order   string   // the ORDER BY that makes the rows canonical
}

// districtTables lists the tables of schema, parents before the tables that reference them.
func districtTables(ctx context.Context, c *db.Conn, schema string) ([]relation, error) {
	rows, err := c.Query(ctx, `
		SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		ORDER BY c.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("tenantdump: list the tables of %s: %w", schema, err)
	}
	var rels []relation
	for rows.Next() {
		var r relation
		if err := rows.Scan(&r.oid, &r.name); err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range rels {
		if err := describe(ctx, c, &rels[i], false); err != nil {
			return nil, err
		}
	}
	return dependencyOrder(ctx, c, schema, rels)
}

// describe fills a relation's columns and canonical order. withoutIdentity leaves identity
// columns out: platform rows get new ids where they land.
func describe(ctx context.Context, c *db.Conn, r *relation, withoutIdentity bool) error {
	rows, err := c.Query(ctx, `
		SELECT attname FROM pg_attribute
		WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
		  AND (NOT $2 OR attidentity = '')
		ORDER BY attnum`, r.oid, withoutIdentity)
	if err != nil {
		return fmt.Errorf("tenantdump: columns of %s: %w", r.name, err)
	}
	r.columns, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("tenantdump: columns of %s: %w", r.name, err)
	}
	// The primary key orders the rows where there is one (and it is kept); else the row's text.
	// Text compares byte-wise (COLLATE "C"), so two clusters with other collations agree.
	rows, err = c.Query(ctx, `
		SELECT a.attname, a.attcollation <> 0
		FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`, r.oid)
	if err != nil {
		return fmt.Errorf("tenantdump: primary key of %s: %w", r.name, err)
	}
	var keys []string
	complete := true
	for rows.Next() {
		var name string
		var collatable bool
		if err := rows.Scan(&name, &collatable); err != nil {
			rows.Close()
			return err
		}
		complete = complete && slices.Contains(r.columns, name)
		k := pgx.Identifier{name}.Sanitize()
		if collatable {
			k += ` COLLATE "C"`
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	r.order = rowOrder(r.columns)
	if len(keys) > 0 && complete {
		r.order = strings.Join(keys, ", ")
	}
	return nil
}

func rowOrder(columns []string) string {
	return "ROW(" + columnList(columns) + `)::text COLLATE "C"`
}

func columnList(columns []string) string {
	q := make([]string, len(columns))
	for i, c := range columns {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// dependencyOrder sorts rels so that a table comes after those its foreign keys name
// (a reference to itself is checked at the end of the COPY statement, so it needs no order).
func dependencyOrder(ctx context.Context, c *db.Conn, schema string, rels []relation) ([]relation, error) {
	rows, err := c.Query(ctx, `
		SELECT k.conrelid, k.confrelid FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
		WHERE n.nspname = $1 AND k.contype = 'f' AND k.conrelid <> k.confrelid`, schema)
	if err != nil {
		return nil, fmt.Errorf("tenantdump: foreign keys of %s: %w", schema, err)
	}
	needs := map[uint32][]uint32{}
	for rows.Next() {
		var from, to uint32
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		needs[from] = append(needs[from], to)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []relation
	done := map[uint32]bool{}
	state := map[uint32]int{} // 1 visiting
	byOID := map[uint32]relation{}
	for _, r := range rels {
		byOID[r.oid] = r
	}
	var visit func(r relation) error
	visit = func(r relation) error {
		if done[r.oid] {
			return nil
		}
		if state[r.oid] == 1 {
			return fmt.Errorf("tenantdump: the foreign keys of %s form a cycle at %s", schema, r.name)
		}
		state[r.oid] = 1
		for _, to := range needs[r.oid] {
			if dep, ok := byOID[to]; ok {
				if err := visit(dep); err != nil {
					return err
				}
			}
		}
		done[r.oid] = true
		out = append(out, r)
		return nil
	}
	for _, r := range rels {
		if err := visit(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sequences lists the sequences of schema (those behind identity columns).
func sequences(ctx context.Context, c *db.Conn, schema string) ([]Sequence, error) {
	rows, err := c.Query(ctx, `
		SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`, schema)
	if err != nil {
		return nil, fmt.Errorf("tenantdump: sequences of %s: %w", schema, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	out := make([]Sequence, len(names))
	for i, n := range names {
		out[i].Name = n
		err := c.QueryRow(ctx, `SELECT last_value, is_called FROM `+pgx.Identifier{schema, n}.Sanitize()).
			Scan(&out[i].LastValue, &out[i].IsCalled)
		if err != nil {
			return nil, fmt.Errorf("tenantdump: sequence %s: %w", n, err)
		}
	}
	return out, nil
}

// canonical fixes, for this transaction, every setting that shapes COPY's text: the same rows
// give the same bytes on any server. The district's slug is a setting too, so the platform
// filters read it instead of having it written into their SQL.
func canonical(ctx context.Context, c *db.Conn, slug string) error {
	_, err := c.Exec(ctx, `SELECT set_config('DateStyle', 'ISO, YMD', true), set_config('IntervalStyle', 'postgres', true),
		set_config('TimeZone', 'UTC', true), set_config('extra_float_digits', '1', true),
		set_config('bytea_output', 'hex', true), set_config('ambiti.dump_slug', $1, true)`, slug)
	if err != nil {
		return fmt.Errorf("tenantdump: settings: %w", err)
	}
	return nil
}

// schemaVersion is the goose version recorded in schema (0 when it has none).
func schemaVersion(ctx context.Context, c *db.Conn, schema string) (int64, error) {
	var v int64
	err := c.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM `+pgx.Identifier{schema, gooseTable}.Sanitize()+` WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("tenantdump: schema version of %s: %w", schema, err)
	}
	return v, nil
}

// gooseTable is goose's version table, kept in each schema: it travels with the district.
const gooseTable = "goose_db_version"
