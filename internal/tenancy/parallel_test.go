package tenancy_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// holdMigrationLock takes, on its own connection, the advisory lock db.Migrate takes for
// schema, so that any migration of that schema would wait until the test ends: a run that
// finishes proves it never opened that schema's migration.
func holdMigrationLock(t *testing.T, url, schema string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(context.Background(), "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "SELECT pg_advisory_xact_lock(hashtext($1))", "ambiti.migrate."+schema); err != nil {
		t.Fatal(err)
	}
}

func TestSyncProvisionsDistrictsInParallelAndSkipsTheCurrentOnes(t *testing.T) {
	t.Parallel()
	d, url := dbtest.Open(t, db.Config{})
	defs := tenancytest.Definitions(t)
	for i := 1; i <= 9; i++ {
		extra := defs.Districts[i%len(defs.Districts)]
		extra.Slug = fmt.Sprintf("prova-%02d", i)
		extra.Name = fmt.Sprintf("Ambito di prova %d", i)
		defs.Districts = append(defs.Districts, extra)
	}
	var reports atomic.Int64
	var last tenancy.Progress
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).WithWorkers(4).
		WithProgress(func(pr tenancy.Progress) { reports.Add(1); last = pr })
	ctx := context.Background()
	results, err := p.Sync(ctx, defs)
	if err != nil {
		t.Fatal(err)
	}
	districts := results[len(results)-len(defs.Districts):]
	for i, r := range districts {
		if r.Slug != defs.Districts[i].Slug || r.Outcome != tenancy.Created {
			t.Errorf("district %d: %s %s, want %s created (reported in the definitions' order)", i, r.Slug, r.Outcome, defs.Districts[i].Slug)
		}
	}
	if n := int(reports.Load()); n != len(defs.Districts) || last.Done != n || last.Total != n {
		t.Errorf("progress: %d reports, last %d/%d; want %d", n, last.Done, last.Total, len(defs.Districts))
	}

	// Nothing changed: the second sync reads the states in a few queries and opens no district's
	// migration (one of them is locked by another session and would block it).
	holdMigrationLock(t, url, "t_prova_05")
	ctx2, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	again, err := p.Sync(ctx2, defs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again[len(again)-len(defs.Districts):] {
		if r.Outcome != tenancy.Unchanged {
			t.Errorf("second sync: %s %s, want unchanged", r.Slug, r.Outcome)
		}
	}
}

func TestMigrateTouchesOnlyTheSchemasBehind(t *testing.T) {
	t.Parallel()
	d, url, _ := provisioned(t, db.Config{})
	tenantFS := fstest.MapFS{}
	base, _ := fsReadAll(migrations.Tenant())
	for k, v := range base {
		tenantFS[k] = &fstest.MapFile{Data: v}
	}
	tenantFS["00099_notes.sql"] = &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE notes (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE notes;\n")}
	p := tenancy.NewProvisioner(d, migrations.Platform(), tenantFS)
	ctx := context.Background()
	results, err := p.MigrateTenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Outcome != tenancy.Migrated || r.To != 99 {
			t.Errorf("%s: %s to %d, want migrated to 99", r.Slug, r.Outcome, r.To)
		}
	}
	holdMigrationLock(t, url, "t_trento")
	ctx2, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	again, err := p.MigrateTenants(ctx2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Outcome != tenancy.Unchanged || r.From != 99 {
			t.Errorf("second migration: %s %s from %d, want unchanged at 99", r.Slug, r.Outcome, r.From)
		}
	}
}

func TestSchemaVersionsReadsManySchemasAtOnce(t *testing.T) {
	t.Parallel()
	d, _, _ := provisioned(t, db.Config{})
	latest, _ := db.LatestVersion(migrations.Tenant())
	got, err := d.SchemaVersions(context.Background(), []string{"t_trento", "t_valle_trompia", "t_nessuno"})
	if err != nil {
		t.Fatal(err)
	}
	if got["t_trento"] != latest || got["t_valle_trompia"] != latest {
		t.Errorf("versions %v, want %d for both districts", got, latest)
	}
	if _, ok := got["t_nessuno"]; ok {
		t.Errorf("a schema that does not exist has a version: %v", got)
	}
	if _, err := d.SchemaVersions(context.Background(), []string{"t_x; DROP TABLE y"}); err == nil {
		t.Error("a malformed schema name was accepted")
	}
}
