package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db/dbtest"
)

func ambiti(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String() + errOut.String(), err
}

// copyTenants copies the shipped tenants folder, so a test can break its copy.
func copyTenants(t *testing.T) string {
	t.Helper()
	root, _ := dbtest.RepoRoot()
	dst := t.TempDir()
	err := filepath.WalkDir(filepath.Join(root, "tenants"), func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(root, "tenants"), p)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// demoProfiles counts the link workers' profiles with a comune and a skill in a district schema.
func demoProfiles(t *testing.T, url, schema string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(context.Background(), `SELECT count(*) FROM `+schema+`.link_worker_profiles
		WHERE cardinality(municipality_ids) > 0 AND cardinality(skills) > 0`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// userTables counts the tables outside PostgreSQL's own catalogues.
const userTables = `SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`

func TestTenantsSyncMigrateAndList(t *testing.T) {
	t.Parallel()
	url := dbtest.NewDatabase(t)
	dir := copyTenants(t)
	env := map[string]string{"DATABASE_URL": url, "AMBITI_TENANTS_DIR": dir}

	out, err := ambiti(t, env, "tenants", "sync")
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	for _, want := range []string{"valle-trompia", "terre-dargine", "trento", "created"} {
		if !strings.Contains(out, want) {
			t.Errorf("sync output lacks %q:\n%s", want, out)
		}
	}
	out, err = ambiti(t, env, "tenants", "sync")
	if err != nil || strings.Contains(out, "created") || strings.Contains(out, "updated") {
		t.Errorf("second sync changed something (%v):\n%s", err, out)
	}
	out, err = ambiti(t, env, "migrate")
	if err != nil || strings.Count(out, "unchanged") != 4 {
		t.Errorf("migrate on a current database (%v):\n%s", err, out)
	}
	root, _ := dbtest.RepoRoot()
	env["AMBITI_DEMO_DIR"] = filepath.Join(root, "deploy/demo")
	// The demo pathways are made as the development provider's users, with the master key.
	env["AMBITI_DEV_IDP_ISSUER"], env["AMBITI_MASTER_KEY"] = "http://localhost:9998", testMasterKey
	out, err = ambiti(t, env, "demo", "load")
	if err != nil || !strings.Contains(out, "valle-trompia  2 piani") || !strings.Contains(out, "trento         1 piani") ||
		!strings.Contains(out, "valle-trompia  risorse: 16 organizzazioni e 31 servizi importati") ||
		!strings.Contains(out, "trento         risorse: 20 organizzazioni e 45 servizi importati") ||
		!strings.Contains(out, "trento         percorsi: 100 creati") || !strings.Contains(out, "valle-trompia  percorsi: 6 creati") {
		t.Fatalf("demo load (%v):\n%s", err, out)
	}
	for schema, want := range map[string]int{"t_trento": 6, "t_valle_trompia": 2} { // the link workers' demo profiles
		if n := demoProfiles(t, url, schema); n != want {
			t.Errorf("%s: %d link workers' profiles, want %d", schema, n, want)
		}
	}
	out, err = ambiti(t, env, "demo", "load")
	if err != nil || strings.Count(out, " 0 piani, 0 obiettivi, 0 partner, 0 incontri") != 3 ||
		strings.Count(out, "risorse: 0 organizzazioni e 0 servizi importati") != 2 || strings.Count(out, "percorsi: 0 creati") != 2 {
		t.Errorf("a second demo load imported again (%v):\n%s", err, out)
	}
	out, err = ambiti(t, env, "facts", "rebuild")
	if err != nil || !strings.Contains(out, "facts rebuilt for 3 districts") {
		t.Errorf("facts rebuild (%v):\n%s", err, out)
	}
	out, err = ambiti(t, env, "tenants", "suspend", "trento")
	if err != nil || !strings.Contains(out, "trento: suspended") {
		t.Errorf("suspend (%v): %s", err, out)
	}
	if _, err = ambiti(t, env, "tenants", "suspend", "atlantide"); err == nil {
		t.Error("suspending an unknown district succeeded")
	}
	out, err = ambiti(t, env, "tenants", "list")
	if err != nil || !strings.Contains(out, "suspended") {
		t.Errorf("list does not show the suspension (%v): %s", err, out)
	}
	ambiti(t, env, "tenants", "resume", "trento")
	out, err = ambiti(t, env, "tenants", "list")
	if err != nil || !strings.Contains(out, "t_valle_trompia") || !strings.Contains(out, "Unione delle Terre d'Argine") {
		t.Errorf("list (%v):\n%s", err, out)
	}
}

func TestTenantsSyncWithABrokenFileChangesNothing(t *testing.T) {
	t.Parallel()
	url := dbtest.NewDatabase(t)
	dir := copyTenants(t)
	f := filepath.Join(dir, "valle-trompia.yaml")
	b, _ := os.ReadFile(f)
	os.WriteFile(f, bytes.Replace(b, []byte("region: lombardia"), []byte("region: lombardy"), 1), 0o644)
	before := dbtest.QueryInt(t, url, userTables)
	out, err := ambiti(t, map[string]string{"DATABASE_URL": url, "AMBITI_TENANTS_DIR": dir}, "tenants", "sync")
	if err == nil {
		t.Fatalf("sync accepted a broken file:\n%s", out)
	}
	msg := err.Error()
	for _, want := range []string{"nothing changed", "valle-trompia.yaml: region", "lombardy"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if after := dbtest.QueryInt(t, url, userTables); after != before {
		t.Errorf("a refused sync created tables: %d → %d", before, after)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "missing command"},
		{[]string{"frobnicate"}, nil, "unknown command"},
		{[]string{"tenants"}, nil, "missing subcommand"},
		{[]string{"migrate"}, map[string]string{}, "DATABASE_URL is not set"},
		{[]string{"serve", "--log-level", "loud"}, map[string]string{"DATABASE_URL": "postgres://x"}, "log level"},
		{[]string{"serve", "extra"}, map[string]string{"DATABASE_URL": "postgres://x"}, "unexpected arguments"},
	} {
		_, err := ambiti(t, c.env, c.args...)
		var ue usageError
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ambiti %v: %v, want %q", c.args, err, c.want)
		} else if !errors.As(err, &ue) {
			t.Errorf("ambiti %v: %v is not a usage error (exit 2)", c.args, err)
		}
	}
	if out, err := ambiti(t, nil, "help"); err != nil || !strings.Contains(out, "DATABASE_URL") || !strings.Contains(out, "AMBITI_BASE_DOMAIN") {
		t.Errorf("help does not document the environment: %v\n%s", err, out)
	}
}
