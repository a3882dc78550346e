package db_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// What PostgreSQL refuses as data is the caller's mistake (Invalid), an unreachable database is
// an outage (Unavailable), and anything else stays unclassified (a bug, 500).
func TestClassifyTellsBadDataAndOutagesFromBugs(t *testing.T) {
	d, _ := dbtest.Open(t, db.Config{})
	ctx := context.Background()
	run := func(q string, args ...any) error {
		return d.Platform(ctx, func(tx *gorm.DB) error {
			var out []map[string]any
			return tx.Raw(q, args...).Scan(&out).Error
		})
	}
	for _, tc := range []struct {
		query string
		args  []any
		code  apperr.Code // "" for not classified
	}{
		{"SELECT ?::integer", []any{int64(2147483648)}, apperr.Invalid},
		{"SELECT ?::numeric(14, 2)", []any{1e13}, apperr.Invalid},
		{"SELECT ?::text", []any{"a\x00b"}, apperr.Invalid},
		{"SELECT ?::text", []any{"caf\xff\xfe"}, apperr.Invalid},
		{"SELECT ?::date", []any{"0000-01-01"}, apperr.Invalid},
		{"SELECT 1/0", nil, ""}, // our arithmetic: a bug
		{"SELECT no_such_column", nil, ""},
		{"SELECT ?::integer", []any{int64(12)}, ""},
	} {
		err := run(tc.query, tc.args...)
		got := db.Classify(err)
		switch {
		case tc.code == "" && got != nil:
			t.Errorf("%s %v: %v classified as %s", tc.query, tc.args, err, got.Code)
		case tc.code != "" && (got == nil || got.Code != tc.code || got.Message == "" || got.MessageEN == ""):
			t.Errorf("%s %v: %v classified as %v, want %s", tc.query, tc.args, err, got, tc.code)
		case got != nil && !errors.Is(got, err):
			t.Errorf("%s: the cause is lost", tc.query)
		}
	}

	// A server that is not there: nothing listens on a port just released.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = db.Open(ctx, db.Config{URL: "postgres://ambiti@" + addr + "/ambiti?sslmode=disable&connect_timeout=5"})
	if e := db.Classify(err); err == nil || e == nil || e.Code != apperr.Unavailable {
		t.Errorf("connecting to nothing: %v classified as %v, want unavailable", err, e)
	}
	for _, err := range []error{driver.ErrBadConn, fmt.Errorf("q: %w", context.DeadlineExceeded), &net.OpError{Op: "read", Err: errors.New("reset")}} {
		if e := db.Classify(err); e == nil || e.Code != apperr.Unavailable {
			t.Errorf("%v classified as %v, want unavailable", err, e)
		}
	}
	if e := db.Classify(nil); e != nil {
		t.Errorf("nil classified as %v", e)
	}
}
