package db_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// No Citus here: the test shows the two halves of the guard on plain PostgreSQL. Without the
// setting the statement is a no-op (no placeholder either); on a setting that exists the same
// statement sets it for the transaction only.
func TestPlatformMigrationKeepsCitusShardingOff(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{MaxOpenConns: 1})
	ctx := context.Background()

	probe := fstest.MapFS{"00001_probe.sql": {Data: []byte("-- +goose Up\n" +
		"CREATE TABLE probe AS SELECT current_setting('citus.enable_schema_based_sharding', true) AS sharding;\n" +
		"-- +goose Down\nDROP TABLE probe;\n")}}
	if _, err := d.Migrate(ctx, db.PlatformSchema, probe, nil); err != nil {
		t.Fatalf("platform migration on plain PostgreSQL: %v", err)
	}
	var sharding *string
	if err := d.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT sharding FROM platform.probe`).Scan(&sharding).Error
	}); err != nil {
		t.Fatal(err)
	}
	if sharding != nil {
		t.Errorf("without Citus the migration saw citus.enable_schema_based_sharding = %q, want it undefined", *sharding)
	}

	// The same statement on a setting that exists (enable_seqscan stands in for Citus's).
	stand := strings.ReplaceAll(db.KeepLocal, "citus.enable_schema_based_sharding", "enable_seqscan")
	var inside, after string
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(stand).Error; err != nil {
			return err
		}
		return tx.Raw(`SHOW enable_seqscan`).Scan(&inside).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Platform(ctx, func(tx *gorm.DB) error { return tx.Raw(`SHOW enable_seqscan`).Scan(&after).Error }); err != nil {
		t.Fatal(err)
	}
	if inside != "off" || after != "on" {
		t.Errorf("enable_seqscan inside %q, after %q; want off for the transaction only, then on", inside, after)
	}
}
