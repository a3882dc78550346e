package db_test

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
)

var twoMigrations = fstest.MapFS{
	"00001_a.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n-- +goose Down\nDROP TABLE a;\n")},
	"00002_b.sql": {Data: []byte("-- +goose Up\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n")},
}

func schemaExists(t *testing.T, d *db.DB, name string) bool {
	t.Helper()
	var ok bool
	err := d.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Raw(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)`, name).Scan(&ok).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestMigrateIsAllOrNothing(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()

	// The seeding step fails after both migrations ran: nothing remains, not even the schema.
	boom := errors.New("seeding failed")
	_, err := d.Migrate(ctx, "t_all_or_nothing", twoMigrations, func(context.Context, *gorm.DB, db.MigrateResult) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Migrate = %v, want the seeding error", err)
	}
	if schemaExists(t, d, "t_all_or_nothing") {
		t.Error("a failed provisioning left its schema behind")
	}

	// A broken second migration: same.
	broken := fstest.MapFS{"00001_a.sql": twoMigrations["00001_a.sql"], "00002_bad.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id int);\n")}}
	if _, err := d.Migrate(ctx, "t_broken", broken, nil); err == nil {
		t.Fatal("Migrate with a broken migration succeeded")
	}
	if schemaExists(t, d, "t_broken") {
		t.Error("a failed migration left its schema behind")
	}

	// And the happy path reports the versions.
	res, err := d.Migrate(ctx, "t_ok", twoMigrations, nil)
	if err != nil || res.From != 0 || res.To != 2 {
		t.Fatalf("Migrate = %+v, %v; want 0 → 2", res, err)
	}
	res, err = d.Migrate(ctx, "t_ok", twoMigrations, nil)
	if err != nil || res.From != 2 || res.To != 2 {
		t.Fatalf("second Migrate = %+v, %v; want 2 → 2", res, err)
	}
}

func TestEachSchemaKeepsItsOwnVersion(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	one := fstest.MapFS{"00001_a.sql": twoMigrations["00001_a.sql"]}
	if _, err := d.Migrate(ctx, "t_one", one, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx, "t_two", twoMigrations, nil); err != nil {
		t.Fatal(err)
	}
	version := func(schema string) (v int64) {
		err := d.InSchema(ctx, schema, func(tx *gorm.DB) error {
			return tx.Raw(`SELECT max(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if a, b := version("t_one"), version("t_two"); a != 1 || b != 2 {
		t.Errorf("versions t_one=%d t_two=%d, want 1 and 2", a, b)
	}
}

func TestSearchPathNeverOutlivesItsTransaction(t *testing.T) {
	// One connection, so every call below reuses the same backend.
	d, _ := dbtest.Open(t, db.Config{MaxOpenConns: 1})
	ctx := context.Background()
	if _, err := d.Migrate(ctx, "t_leak", twoMigrations, nil); err != nil {
		t.Fatal(err)
	}
	var inside, after string
	if err := d.InSchema(ctx, "t_leak", func(tx *gorm.DB) error { return tx.Raw(`SELECT current_schema()`).Scan(&inside).Error }); err != nil {
		t.Fatal(err)
	}
	if err := d.Platform(ctx, func(tx *gorm.DB) error { return tx.Raw(`SHOW search_path`).Scan(&after).Error }); err != nil {
		t.Fatal(err)
	}
	if inside != "t_leak" || after != db.NoSchema {
		t.Errorf("search_path inside %q, after %q; want t_leak then %s", inside, after, db.NoSchema)
	}
	// A rolled-back district transaction does not leak its path either.
	_ = d.InSchema(ctx, "t_leak", func(tx *gorm.DB) error { return errors.New("rollback") })
	_ = d.Platform(ctx, func(tx *gorm.DB) error { return tx.Raw(`SHOW search_path`).Scan(&after).Error })
	if after != db.NoSchema {
		t.Errorf("after a rollback search_path = %q", after)
	}
}

func TestMalformedSchemaNamesAreRefused(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	for _, s := range []string{`t_x"; drop schema platform; --`, "T_UPPER", "", "a b", "t-dash"} {
		if err := d.InSchema(ctx, s, func(*gorm.DB) error { return nil }); !errors.Is(err, db.ErrBadSchema) {
			t.Errorf("InSchema(%q) = %v, want ErrBadSchema", s, err)
		}
		if _, err := d.Migrate(ctx, s, twoMigrations, nil); !errors.Is(err, db.ErrBadSchema) {
			t.Errorf("Migrate(%q) = %v, want ErrBadSchema", s, err)
		}
	}
}
