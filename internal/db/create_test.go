package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/migrations"
)

// shapeQueries describe a schema ($1) in a canonical order, with nothing that differs between
// two equal schemas (oids, the schema's own name: replaced by "S"). Internal triggers (a
// foreign key's) are counted rather than named, their names holding oids.
var shapeQueries = []string{
	`SELECT c.relname, c.relkind, c.relpersistence, c.reloptions::text, c.relacl::text, c.reltoastrelid <> 0,
	        c.relrowsecurity, c.relforcerowsecurity, c.relreplident, obj_description(c.oid, 'pg_class')
	 FROM pg_class c WHERE c.relnamespace = $1::regnamespace ORDER BY 1`,
	`SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attisdropped,
	        pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attcollation, a.attstorage,
	        a.attcompression, a.attacl::text, col_description(c.oid, a.attnum)
	 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	 WHERE c.relnamespace = $1::regnamespace AND a.attnum > 0 ORDER BY 1, 2`,
	`SELECT cl.relname, t.typname, con.conname, con.contype, pg_get_constraintdef(con.oid), con.condeferrable,
	        con.condeferred, con.convalidated, con.connoinherit
	 FROM pg_constraint con LEFT JOIN pg_class cl ON cl.oid = con.conrelid LEFT JOIN pg_type t ON t.oid = con.contypid
	 WHERE con.connamespace = $1::regnamespace ORDER BY 1, 2, 3`,
	`SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary, i.indisvalid, i.indisready
	 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = $1::regnamespace ORDER BY 1`,
	`SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
	 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	 WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2`,
	`SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	 WHERE c.relnamespace = $1::regnamespace AND t.tgisinternal GROUP BY 1 ORDER BY 1`,
	`SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid), p.proacl::text,
	        obj_description(p.oid, 'pg_proc')
	 FROM pg_proc p WHERE p.pronamespace = $1::regnamespace ORDER BY 1, 2`,
	`SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle, cache_size, last_value
	 FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`,
	`SELECT seq.relname, tab.relname, d.refobjsubid, d.deptype FROM pg_depend d
	 JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S' JOIN pg_class tab ON tab.oid = d.refobjid
	 WHERE seq.relnamespace = $1::regnamespace ORDER BY 1, 2`,
	`SELECT t.typname, t.typtype, t.typcategory, e.enumsortorder, e.enumlabel
	 FROM pg_type t LEFT JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = $1::regnamespace ORDER BY 1, 4`,
	`SELECT c.relname, pg_get_viewdef(c.oid) FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1`,
	`SELECT c.relname, p.polname, p.polcmd, p.polpermissive, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
	 FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = $1::regnamespace ORDER BY 1, 2`,
	`SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', $1::text, c.relname), false, true, '')))[1]::text
	 FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' ORDER BY 1`,
	`SELECT id, version_id, is_applied FROM %s.goose_db_version ORDER BY id`,
}

// shape is the description of schema, one line per row.
func shape(t *testing.T, url, schema string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out []string
	for i, q := range shapeQueries {
		var args []any
		if strings.Contains(q, "%s") {
			q = fmt.Sprintf(q, pgx.Identifier{schema}.Sanitize())
		} else {
			args = []any{schema}
		}
		rows, err := conn.Query(ctx, q, args...)
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			line := strings.ReplaceAll(fmt.Sprintf("%d %v", i, vals), schema, "S")
			out = append(out, line)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
	}
	return out
}

// TestCreateBuildsWhatGooseBuilds creates one district schema with goose and one with the
// script, and compares everything the catalogue says about them, goose's versions included.
func TestCreateBuildsWhatGooseBuilds(t *testing.T) {
	d, url := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	if _, err := d.Migrate(ctx, "t_by_goose", migrations.Tenant(), nil); err != nil {
		t.Fatal(err)
	}
	c, err := d.NewBulk(migrations.Tenant(), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Create(ctx, "t_by_script", nil)
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := db.LatestVersion(migrations.Tenant())
	if res.From != 0 || res.To != latest {
		t.Errorf("Create = %+v, want from 0 to %d", res, latest)
	}
	goose, script := shape(t, url, "t_by_goose"), shape(t, url, "t_by_script")
	if len(goose) < 300 {
		t.Fatalf("the description is too thin to compare (%d lines)", len(goose))
	}
	for i := 0; i < max(len(goose), len(script)); i++ {
		var g, s string
		if i < len(goose) {
			g = goose[i]
		}
		if i < len(script) {
			s = script[i]
		}
		if g != s {
			t.Fatalf("line %d differs:\n goose:  %s\n script: %s", i, g, s)
		}
	}
}

// A schema created by the script is at goose's version for goose: a later migration applies,
// once, and the versions read in bulk agree.
func TestCreatedSchemaMigratesWithGoose(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	c, err := d.NewBulk(twoMigrations, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var seeded int
	_, err = c.Create(ctx, "t_created", func(ctx context.Context, conn *pgx.Conn, res db.MigrateResult) error {
		return conn.QueryRow(ctx, "SELECT count(*) FROM a").Scan(&seeded) // the search_path is the schema
	})
	if err != nil || seeded != 1 {
		t.Fatalf("Create = %v, rows in a %d, want 1", err, seeded)
	}
	if _, err := c.Create(ctx, "t_created", nil); !errors.Is(err, db.ErrSchemaExists) {
		t.Fatalf("a second Create = %v, want ErrSchemaExists", err)
	}
	three := fstest.MapFS{"00003_c.sql": {Data: []byte("-- +goose Up\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE c;\n")}}
	for k, v := range twoMigrations {
		three[k] = v
	}
	res, err := d.Migrate(ctx, "t_created", three, nil)
	if err != nil || res.From != 2 || res.To != 3 {
		t.Fatalf("Migrate = %+v, %v; want from 2 to 3", res, err)
	}
	// The same on a kept connection, twice: the second run finds nothing to do.
	if _, err := c.Create(ctx, "t_created_too", nil); err != nil {
		t.Fatal(err)
	}
	b, err := d.NewBulk(three, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i, want := range []int64{2, 3} {
		if res, err := b.Migrate(ctx, "t_created_too", nil); err != nil || res.From != want || res.To != 3 {
			t.Fatalf("Bulk.Migrate #%d = %+v, %v; want from %d to 3", i+1, res, err, want)
		}
	}
	v, err := d.SchemaVersions(ctx, []string{"t_created", "t_created_too"})
	if err != nil || v["t_created"] != 3 || v["t_created_too"] != 3 {
		t.Fatalf("SchemaVersions = %v, %v", v, err)
	}
}

// A failure anywhere leaves nothing, not even the schema, and the connection is usable again.
func TestCreateIsAllOrNothing(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	c, err := d.NewBulk(twoMigrations, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	boom := errors.New("seeding failed")
	if _, err := c.Create(ctx, "t_boom", func(context.Context, *pgx.Conn, db.MigrateResult) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("Create = %v, want the seeding error", err)
	}
	bad := fstest.MapFS{"00001_bad.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id int);\nSELECT no_such_function();\n")}}
	cb, err := d.NewBulk(bad, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	if _, err := cb.Create(ctx, "t_bad", nil); err == nil {
		t.Fatal("a failing migration was created")
	}
	for _, s := range []string{"t_boom", "t_bad"} {
		if schemaExists(t, d, s) {
			t.Errorf("schema %s left behind", s)
		}
	}
	if _, err := c.Create(ctx, "t_after", nil); err != nil {
		t.Fatalf("the creator after a failure: %v", err)
	}
}

func TestMigrationsThatCannotBeScripted(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	for name, fsys := range map[string]fstest.MapFS{
		"no transaction": {"00001_a.sql": {Data: []byte("-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON a (id);\n")}},
		"envsub":         {"00001_a.sql": {Data: []byte("-- +goose ENVSUB ON\n-- +goose Up\nCREATE TABLE ${T} (id int);\n")}},
		"no up":          {"00001_a.sql": {Data: []byte("CREATE TABLE a (id int);\n")}},
		"a Go migration": {"00001_a.go": {Data: []byte("package x")}},
	} {
		b, err := d.NewBulk(fsys, 1)
		if err != nil {
			t.Fatalf("%s: NewBulk = %v", name, err)
		}
		if _, err := b.Create(ctx, "t_x", nil); b.Scripted() || !errors.Is(err, db.ErrNotScriptable) {
			t.Errorf("%s: scripted %v, Create = %v, want ErrNotScriptable", name, b.Scripted(), err)
		}
		b.Close()
	}
}
