package tenancy_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// BenchmarkProvisionMany provisions AMBITI_BENCH_DISTRICTS synthetic districts (default 500)
// with tenants sync's provisioner (AMBITI_PROVISION_WORKERS, default DefaultWorkers, at a time), then times what an operator
// runs next: a sync with nothing to change, a migration with nothing to do (the timed loop),
// and a migration adding one table to every district. The one-off figures are reported as
// metrics (seconds) and logged; docs/benchmarks.md has them.
func BenchmarkProvisionMany(b *testing.B) {
	n := 500
	if v := os.Getenv("AMBITI_BENCH_DISTRICTS"); v != "" {
		fmt.Sscan(v, &n)
	}
	ctx := context.Background()
	d, url := dbtest.Open(b, db.Config{MaxOpenConns: 8})
	defs := tenancytest.Synthetic(b, n)
	workers := tenancy.DefaultWorkers
	if v := os.Getenv("AMBITI_PROVISION_WORKERS"); v != "" {
		fmt.Sscan(v, &workers)
	}
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).WithWorkers(workers)
	meter := newCPUMeter(b, url)
	// Each step's wall time, and the CPU time it took in this process and in PostgreSQL: on a
	// shared machine the wall time stretches with the others' load, the CPU time much less.
	timed := func(what string, fn func() error) time.Duration {
		c0, s0 := meter.read()
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatalf("%s: %v", what, err)
		}
		wall := time.Since(start)
		c1, s1 := meter.read()
		b.Logf("%s: %v wall, CPU %v here + %v PostgreSQL", what, wall.Round(time.Millisecond), (c1 - c0).Round(time.Millisecond), (s1 - s0).Round(10*time.Millisecond))
		return wall
	}
	sync := func() error { _, err := p.Sync(ctx, defs); return err }
	provision := timed("provision", sync)
	again := timed("sync again", sync)
	migrateNone := timed("migrate", func() error { _, err := p.MigrateTenants(ctx); return err })

	tenantFS := fstest.MapFS{}
	files, err := fsReadAll(migrations.Tenant())
	if err != nil {
		b.Fatal(err)
	}
	for k, v := range files {
		tenantFS[k] = &fstest.MapFile{Data: v}
	}
	tenantFS["00099_bench.sql"] = &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE bench_notes (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE bench_notes;\n")}
	next := tenancy.NewProvisioner(d, migrations.Platform(), tenantFS).WithWorkers(workers)
	migrateOne := timed("migrate one", func() error { _, err := next.MigrateTenants(ctx); return err })

	b.Logf("%d districts, %d workers: provisioned in %v; sync with nothing to change %v; migrate with nothing to do %v; migrate with one new migration %v",
		n, workers, provision.Round(time.Millisecond), again.Round(time.Millisecond), migrateNone.Round(time.Millisecond), migrateOne.Round(time.Millisecond))
	b.ReportMetric(provision.Seconds(), "provision-s")
	b.ReportMetric(again.Seconds(), "sync-unchanged-s")
	b.ReportMetric(migrateOne.Seconds(), "migrate-one-s")
	b.ResetTimer()
	for b.Loop() {
		if _, err := next.MigrateTenants(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
