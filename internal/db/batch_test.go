package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// TestBatchIsOneScopedReadOnlyRoundTrip: a batch reads the schema it names and no other, in
// one round trip, cannot write, and leaves nothing of its scope on the connection.
func TestBatchIsOneScopedReadOnlyRoundTrip(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{MaxOpenConns: 1}) // one connection: the next statement reuses it
	ctx := context.Background()
	for _, s := range []string{"t_batch_a", "t_batch_b"} {
		err := d.InSchema(ctx, "public", func(tx *gorm.DB) error {
			return tx.Exec(`CREATE SCHEMA ` + s + `; CREATE TABLE ` + s + `.things (name text); INSERT INTO ` + s + `.things VALUES ('` + s + `')`).Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	var name, path string
	var count int
	b := &pgx.Batch{}
	b.Queue(`SELECT name FROM things`).QueryRow(func(r pgx.Row) error { return r.Scan(&name) })
	b.Queue(`SELECT count(*) FROM things`).QueryRow(func(r pgx.Row) error { return r.Scan(&count) })
	b.Queue(`SELECT current_setting('search_path')`).QueryRow(func(r pgx.Row) error { return r.Scan(&path) })
	before := d.RoundTrips()
	if err := d.Batch(ctx, "t_batch_b", b); err != nil {
		t.Fatal(err)
	}
	if trips := d.RoundTrips() - before; trips != 1 {
		t.Errorf("the batch took %d round trips, want 1", trips)
	}
	if name != "t_batch_b" || count != 1 || path != `"t_batch_b"` {
		t.Errorf("read %q (%d rows) on path %q, want t_batch_b's one row on its path alone", name, count, path)
	}

	// Read-only: a write among the reads fails, and the whole batch with it.
	w := &pgx.Batch{}
	w.Queue(`INSERT INTO things VALUES ('intruder')`)
	if err := d.Batch(ctx, "t_batch_a", w); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("a write in a batch: %v, want a read-only transaction's refusal", err)
	}

	// The scope ended with the batch: the same connection is back on the path that names nothing.
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		var after string
		var ro string
		if err := tx.Raw(`SELECT current_setting('search_path'), current_setting('transaction_read_only')`).Row().Scan(&after, &ro); err != nil {
			return err
		}
		if after != db.NoSchema || ro != "off" {
			t.Errorf("after a batch the connection has search_path %q, read-only %q", after, ro)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A callback's error is the batch's, and the connection is still good for the next one.
	boom := errors.New("boom")
	e := &pgx.Batch{}
	e.Queue(`SELECT 1`).Exec(func(pgconn.CommandTag) error { return boom })
	if err := d.Batch(ctx, "t_batch_a", e); !errors.Is(err, boom) {
		t.Errorf("a failing callback: %v", err)
	}
	if err := d.Batch(ctx, `t_batch_a"; DROP SCHEMA t_batch_b; --`, b); !errors.Is(err, db.ErrBadSchema) {
		t.Errorf("a malformed schema: %v, want ErrBadSchema", err)
	}
	name = ""
	if err := d.Batch(ctx, "t_batch_a", b); err != nil || name != "t_batch_a" {
		t.Errorf("the next batch read %q, %v", name, err)
	}
}
