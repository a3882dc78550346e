package tenancy_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// catalogueRows is what a district's catalogues hold, timestamps aside, one string per table.
func catalogueRows(t *testing.T, conn *pgx.Conn, schema string) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT coalesce(string_agg((to_jsonb(m) - 'created_at' - 'updated_at')::text, ';' ORDER BY id), '') FROM %s.municipalities m`,
		`SELECT coalesce(string_agg(to_jsonb(a)::text, ';' ORDER BY code), '') FROM %s.policy_areas a`,
		`SELECT coalesce(string_agg(to_jsonb(i)::text, ';' ORDER BY code), '') FROM %s.policy_area_items i`,
		`SELECT coalesce(string_agg(version_id || ':' || is_applied, ',' ORDER BY id), '') FROM %s.goose_db_version`,
	} {
		var s string
		if err := conn.QueryRow(context.Background(), fmt.Sprintf(q, pgx.Identifier{schema}.Sanitize())).Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// A new district is created from the script; one whose schema is already there (empty) goes
// through goose. Both end up with the same catalogues, versions and platform row; a district
// whose schema was dropped is created again, its row kept.
func TestSyncCreatesNewDistrictsLikeGoose(t *testing.T) {
	t.Parallel()
	d, url := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	defs := tenancytest.Synthetic(t, 2) // ambito-0000 and ambito-0001, the same definition
	if _, err := conn.Exec(ctx, "CREATE SCHEMA t_ambito_0001"); err != nil {
		t.Fatal(err)
	}
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant())
	results, err := p.Sync(ctx, defs)
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := db.LatestVersion(migrations.Tenant())
	for _, r := range results[len(results)-2:] {
		if r.Outcome != tenancy.Created || r.To != latest {
			t.Errorf("%s: %s to %d, want created at %d", r.Slug, r.Outcome, r.To, latest)
		}
	}
	script, goose := catalogueRows(t, conn, "t_ambito_0000"), catalogueRows(t, conn, "t_ambito_0001")
	if script[0] == "" || script[1] == "" {
		t.Fatalf("the created district has empty catalogues: %q", script)
	}
	for i := range script {
		if script[i] != goose[i] {
			t.Errorf("table %d differs:\n script: %s\n goose:  %s", i, script[i], goose[i])
		}
	}
	var rows int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM platform.tenants WHERE schema_version = $1 AND definition_hash <> ''`, latest).Scan(&rows); err != nil || rows != 2 {
		t.Fatalf("platform rows at version %d: %d, %v; want 2", latest, rows, err)
	}

	if _, err := conn.Exec(ctx, "DROP SCHEMA t_ambito_0000 CASCADE"); err != nil {
		t.Fatal(err)
	}
	results, err = p.Sync(ctx, defs)
	if err != nil {
		t.Fatal(err)
	}
	if r := results[len(results)-2]; r.Outcome != tenancy.Created {
		t.Errorf("the dropped district: %s, want created again", r.Outcome)
	}
	if r := results[len(results)-1]; r.Outcome != tenancy.Unchanged {
		t.Errorf("the other: %s, want unchanged", r.Outcome)
	}
	if again := catalogueRows(t, conn, "t_ambito_0000"); again[0] != script[0] || again[2] != script[2] {
		t.Error("the district created again lacks its catalogues")
	}
}
