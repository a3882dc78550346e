package db_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// Behind a transaction pooler (a DirectURL other than URL) the pool's connections start with
// the role's default search_path, as PgBouncer's server connections do: every platform
// transaction still runs with NoSchema, so an unqualified table is not found even where one
// exists on the default path; migrations take the direct URL.
func TestAPooledURLStillRunsEveryTransactionWithoutASchema(t *testing.T) {
	t.Parallel()
	url := dbtest.NewDatabase(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	ctx := context.Background()
	d, err := db.Open(ctx, db.Config{URL: url, DirectURL: url + sep + "application_name=ambiti-direct", MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx, "t_pooled", twoMigrations, nil); err != nil {
		t.Fatal(err)
	}
	var path string
	err = d.Platform(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`CREATE TABLE public.leak (id int)`).Error; err != nil {
			return err
		}
		return tx.Raw(`SHOW search_path`).Scan(&path).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if path != db.NoSchema {
		t.Errorf("platform search_path = %q, want %s", path, db.NoSchema)
	}
	if err := d.Probe(ctx, func(tx *gorm.DB) error { return tx.Exec(`SELECT * FROM leak`).Error }); err == nil {
		t.Error("an unqualified table on the role's default path was found by the probe")
	}
	if err := d.Platform(ctx, func(tx *gorm.DB) error { return tx.Exec(`SELECT * FROM leak`).Error }); err == nil {
		t.Error("an unqualified table on the role's default path was found by a platform transaction")
	}
	var n int
	if err := d.InSchema(ctx, "t_pooled", func(tx *gorm.DB) error { return tx.Raw(`SELECT count(*) FROM a`).Scan(&n).Error }); err != nil || n != 1 {
		t.Errorf("district read: %d, %v", n, err)
	}
}
