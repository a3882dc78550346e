package tenancy_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// queryCounter counts every statement the pool sends.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}
func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func realDefinitions(t *testing.T) tenancy.Definitions { return tenancytest.Definitions(t) }

func provisioned(t *testing.T, cfg db.Config) (*db.DB, string, *tenancy.Provisioner) {
	return tenancytest.Provisioned(t, cfg)
}

func TestShippedDefinitions(t *testing.T) {
	defs := realDefinitions(t)
	got := map[string]string{}
	for _, d := range defs.Districts {
		got[d.Slug] = d.Region
	}
	want := map[string]string{"valle-trompia": "lombardia", "terre-dargine": "emilia-romagna", "trento": "trento"}
	for slug, region := range want {
		if got[slug] != region {
			t.Errorf("district %s: region %q, want %q", slug, got[slug], region)
		}
	}
	for _, d := range defs.Districts {
		if d.Slug == "valle-trompia" && len(d.Municipalities) != 18 {
			t.Errorf("Valle Trompia has 18 comuni, the file lists %d", len(d.Municipalities))
		}
	}
	if r, _ := defs.Region("lombardia"); len(r.Catalogue.Areas) != 10 {
		t.Errorf("Lombardy has 10 macro-areas, got %d", len(r.Catalogue.Areas))
	}
	er, _ := defs.Region("emilia-romagna")
	items := 0
	for _, a := range er.Catalogue.Areas {
		items += len(a.Items)
	}
	if len(er.Catalogue.Areas) != 5 || items != 39 {
		t.Errorf("Emilia-Romagna has 5 areas and 39 schede, got %d and %d", len(er.Catalogue.Areas), items)
	}
}

func TestSchemaNameRejectsHostileSlugs(t *testing.T) {
	for _, slug := range []string{
		`x"; drop schema platform cascade; --`, "../", "..", "Valle-Trompia", "VALLE", strings.Repeat("a", 60),
		"", "ab", "-abc", "abc-", "a_b_c", "valle trompia", "valle.trompia", "t_valle", "valle\x00x",
	} {
		if name, err := tenancy.SchemaName(slug); err == nil {
			t.Errorf("SchemaName(%q) = %q, want an error", slug, name)
		} else if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("SchemaName(%q): code %s, want invalid", slug, apperr.CodeOf(err))
		}
	}
	if name, err := tenancy.SchemaName("valle-trompia"); err != nil || name != "t_valle_trompia" {
		t.Errorf(`SchemaName("valle-trompia") = %q, %v`, name, err)
	}
}

func TestHostileSlugsNeverReachTheDatabase(t *testing.T) {
	counter := &queryCounter{}
	d, _, _ := provisioned(t, db.Config{Tracer: counter})
	reg := tenancy.NewRegistry(d, time.Minute)
	scope := tenancy.NewScope(d)
	ctx := context.Background()
	hostile := []string{`x"; drop schema`, "../", "Upper", strings.Repeat("a", 60)}
	before := counter.n.Load()
	for _, slug := range hostile {
		if _, err := reg.Lookup(ctx, slug); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("Lookup(%q): %v, want not_found", slug, err)
		}
		called := false
		err := scope.TxFor(ctx, tenancy.Tenant{Slug: slug}, tester, func(*tenancy.Tx) error { called = true; return nil })
		if err == nil || called {
			t.Errorf("TxFor(%q) ran (err %v)", slug, err)
		}
		err = scope.ReadFor(ctx, tenancy.Tenant{Slug: slug}, tester, func(r *tenancy.Reads) { r.Queue(`SELECT 1`) })
		if err == nil {
			t.Errorf("ReadFor(%q) ran", slug)
		}
	}
	if n := counter.n.Load() - before; n != 0 {
		t.Errorf("hostile slugs sent %d statements to the database, want 0", n)
	}
	if err := scope.Tx(ctx, tester, func(*tenancy.Tx) error { return nil }); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("Tx without a district in the context: %v, want an internal error", err)
	}
	if err := scope.Read(ctx, tester, func(r *tenancy.Reads) { r.Queue(`SELECT 1`) }); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("Read without a district in the context: %v, want an internal error", err)
	}
	if n := counter.n.Load() - before; n != 0 {
		t.Errorf("a context without district sent %d statements, want 0", n)
	}
}

func TestRowsOfOneDistrictAreInvisibleToAnother(t *testing.T) {
	d, _, _ := provisioned(t, db.Config{})
	reg := tenancy.NewRegistry(d, time.Minute)
	scope := tenancy.NewScope(d)
	ctx := context.Background()
	vt, err := reg.Lookup(ctx, "valle-trompia")
	if err != nil {
		t.Fatal(err)
	}
	tn, err := reg.Lookup(ctx, "trento")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "Comune di prova (solo Valle Trompia)"
	err = scope.Tx(tenancy.WithTenant(ctx, vt), tester, func(tx *tenancy.Tx) error {
		return tx.Exec(`INSERT INTO municipalities (name) VALUES (?)`, marker).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func(tn tenancy.Tenant) (n int64) {
		t.Helper()
		err := scope.Tx(tenancy.WithTenant(ctx, tn), tester, func(tx *tenancy.Tx) error {
			return tx.Raw(`SELECT count(*) FROM municipalities WHERE name = ?`, marker).Scan(&n).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The batched reads (one round trip) see what the transactions see.
	read := func(tn tenancy.Tenant) (n int64) {
		t.Helper()
		err := scope.Read(tenancy.WithTenant(ctx, tn), tester, func(r *tenancy.Reads) {
			r.Queue(`SELECT count(*) FROM municipalities WHERE name = $1`, marker).QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, m := count(vt), read(vt); n != 1 || m != 1 {
		t.Errorf("Valle Trompia sees %d (Tx) and %d (Read) rows of its own, want 1", n, m)
	}
	if n, m := count(tn), read(tn); n != 0 || m != 0 {
		t.Errorf("Trento sees %d (Tx) and %d (Read) rows written by Valle Trompia, want 0", n, m)
	}
	// The pool's default search_path names no schema: a query outside a district fails.
	err = d.Platform(ctx, func(tx *gorm.DB) error {
		var n int64
		return tx.Raw(`SELECT count(*) FROM municipalities`).Scan(&n).Error
	})
	if err == nil {
		t.Error("an unscoped query on a district table succeeded; it must fail closed")
	}
}

// snapshot renders every row of the platform and district tables, with its xmin (the id of
// the transaction that last wrote it), so that "nothing changed" includes "nothing rewritten".
func snapshot(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
		WHERE table_schema = 'platform' OR table_schema LIKE 't\_%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := conn.Query(ctx, `SELECT x.xmin::text || ' ' || x::text FROM `+tbl+` x ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(tbl + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

func TestSyncTwiceChangesNothing(t *testing.T) {
	_, url, p := provisioned(t, db.Config{})
	before := snapshot(t, url)
	if !strings.Contains(before, "Lumezzane") || !strings.Contains(before, "Budget di salute") {
		t.Fatalf("catalogues not written:\n%.2000s", before)
	}
	results, err := p.Sync(context.Background(), realDefinitions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Outcome != tenancy.Unchanged {
			t.Errorf("second sync: %s %s was %s, want unchanged", r.Kind, r.Slug, r.Outcome)
		}
	}
	if after := snapshot(t, url); after != before {
		t.Errorf("second sync changed the database:\nbefore:\n%.3000s\nafter:\n%.3000s", before, after)
	}
}

func TestSyncAppliesAChangedDefinition(t *testing.T) {
	d, _, p := provisioned(t, db.Config{})
	defs := realDefinitions(t)
	for i := range defs.Districts {
		if defs.Districts[i].Slug == "trento" {
			defs.Districts[i].Municipalities = append(defs.Districts[i].Municipalities, tenancy.Municipality{Name: "Rovereto"})
		}
	}
	results, err := p.Sync(context.Background(), defs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		want := tenancy.Unchanged
		if r.Slug == "trento" && r.Kind == "district" {
			want = tenancy.Updated
		}
		if r.Outcome != want {
			t.Errorf("%s %s: %s, want %s", r.Kind, r.Slug, r.Outcome, want)
		}
	}
	var names []string
	scope := tenancy.NewScope(d)
	err = scope.TxFor(context.Background(), tenancy.Tenant{Slug: "trento"}, tester, func(tx *tenancy.Tx) error {
		return tx.Raw(`SELECT name FROM municipalities ORDER BY name`).Scan(&names).Error
	})
	if err != nil || strings.Join(names, ",") != "Rovereto,Trento" {
		t.Errorf("trento municipalities = %v (%v)", names, err)
	}
}

func TestBrokenDefinitionsAreRefusedWithFileAndField(t *testing.T) {
	root, _ := dbtest.RepoRoot()
	good := fstest.MapFS{}
	for _, f := range []string{"valle-trompia.yaml", "trento.yaml", "regions/lombardia.yaml", "regions/trento.yaml"} {
		b, err := os.ReadFile(root + "/tenants/" + f)
		if err != nil {
			t.Fatal(err)
		}
		good[f] = &fstest.MapFile{Data: b}
	}
	if _, err := tenancy.LoadDefinitions(good, "tenants"); err != nil {
		t.Fatalf("the unmodified copies must load: %v", err)
	}
	cases := []struct {
		name, file, from, to, want string
	}{
		{"unknown key", "trento.yaml", "short_name:", "shortname:", "tenants/trento.yaml"},
		{"unknown region", "trento.yaml", "region: trento", "region: veneto", "tenants/trento.yaml: region"},
		{"bad slug", "trento.yaml", "slug: trento", "slug: Trento", "tenants/trento.yaml: slug"},
		{"file name", "trento.yaml", "slug: trento", "slug: trentino", "tenants/trento.yaml: slug"},
		{"negative figure", "valle-trompia.yaml", "residents: 2093", "residents: -2093", "tenants/valle-trompia.yaml: municipalities[0].population.residents"},
		{"not yaml", "trento.yaml", "slug: trento", "slug: [trento", "tenants/trento.yaml"},
		{"region kind", "regions/lombardia.yaml", "kind: regione", "kind: stato", "tenants/regions/lombardia.yaml: kind"},
		{"missing name", "valle-trompia.yaml", `short_name: "Valle Trompia"`, `short_name: ""`, "tenants/valle-trompia.yaml: short_name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range good {
				fsys[k] = v
			}
			src := string(good[c.file].Data)
			if !strings.Contains(src, c.from) {
				t.Fatalf("%s does not contain %q", c.file, c.from)
			}
			fsys[c.file] = &fstest.MapFile{Data: []byte(strings.Replace(src, c.from, c.to, 1))}
			_, err := tenancy.LoadDefinitions(fsys, "tenants")
			if err == nil {
				t.Fatal("loaded a broken definition")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name %q", err, c.want)
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("code %s, want invalid", apperr.CodeOf(err))
			}
		})
	}
}

func TestFailedMigrationLeavesThatDistrictAsItWasAndMigratesTheOthers(t *testing.T) {
	d, url, _ := provisioned(t, db.Config{})
	// Trento already holds a table that migration 2 wants to create: its migration fails.
	scope := tenancy.NewScope(d)
	ctx := context.Background()
	err := scope.TxFor(ctx, tenancy.Tenant{Slug: "trento"}, tester, func(tx *tenancy.Tx) error {
		return tx.Exec(`CREATE TABLE notes (id int)`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, url)
	latest, _ := db.LatestVersion(migrations.Tenant())
	tenantFS := fstest.MapFS{}
	base, _ := fsReadAll(migrations.Tenant())
	for k, v := range base {
		tenantFS[k] = &fstest.MapFile{Data: v}
	}
	tenantFS["00099_notes.sql"] = &fstest.MapFile{Data: []byte(
		"-- +goose Up\nCREATE TABLE notes (id bigint PRIMARY KEY, body text);\nINSERT INTO policy_areas (code, name, position) VALUES ('Z', 'prova', 99);\n-- +goose Down\nDROP TABLE notes;\n")}
	p := tenancy.NewProvisioner(d, migrations.Platform(), tenantFS)
	results, err := p.MigrateTenants(ctx)
	if err == nil || !strings.Contains(err.Error(), "trento") {
		t.Fatalf("MigrateTenants error = %v, want one naming trento", err)
	}
	got := map[string]tenancy.Result{}
	for _, r := range results {
		got[r.Slug] = r
	}
	if r := got["trento"]; r.Outcome != tenancy.Failed || r.Err == nil {
		t.Errorf("trento: %+v, want failed", r)
	}
	for _, slug := range []string{"valle-trompia", "terre-dargine"} {
		if r := got[slug]; r.Outcome != tenancy.Migrated || r.From != latest || r.To != 99 {
			t.Errorf("%s: %+v, want migrated %d → 99", slug, r, latest)
		}
	}
	// Trento is exactly as before; only the other two districts changed.
	after := snapshot(t, url)
	if a, b := section(after, "t_trento"), section(before, "t_trento"); a != b {
		t.Errorf("the failed district changed:\nbefore:\n%s\nafter:\n%s", b, a)
	}
	reg := tenancy.NewRegistry(d, time.Minute)
	tn, _ := reg.Lookup(ctx, "trento")
	vt, _ := reg.Lookup(ctx, "valle-trompia")
	if tn.SchemaVersion != latest || vt.SchemaVersion != 99 {
		t.Errorf("recorded versions: trento %d (want %d), valle-trompia %d (want 99)", tn.SchemaVersion, latest, vt.SchemaVersion)
	}
}

// section returns the snapshot lines of the tables of one schema.
func section(snap, schema string) string {
	var b strings.Builder
	in := false
	for _, line := range strings.Split(snap, "\n") {
		if strings.HasPrefix(line, "platform.") || strings.HasPrefix(line, "t_") {
			in = strings.HasPrefix(line, schema+".")
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// tester is who the tests' district transactions run for.
var tester = actor.System("test")

func TestTxNeedsAnActorBeforeAnySQL(t *testing.T) {
	d, _, _ := provisioned(t, db.Config{})
	scope := tenancy.NewScope(d)
	ctx := tenancy.WithTenant(context.Background(), tenancy.Tenant{Slug: "trento"})
	called := false
	err := scope.Tx(ctx, actor.Actor{}, func(*tenancy.Tx) error { called = true; return nil })
	if apperr.CodeOf(err) != apperr.Internal || called {
		t.Fatalf("Tx for nobody: ran %v, err %v; want an internal error before fn", called, err)
	}
	err = scope.Tx(ctx, tester, func(tx *tenancy.Tx) error {
		if tx.District.Slug != "trento" || tx.Actor.ID != tester.ID {
			t.Errorf("Tx carries district %q and actor %q", tx.District.Slug, tx.Actor.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
