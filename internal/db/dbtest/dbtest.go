// Package dbtest gives tests a real PostgreSQL: a fresh database per test, dropped afterwards.
// The database is empty (NewDatabase, Open) or a copy of a template database built once per
// cluster and kept between runs (Template, Clone, OpenClone), which spares every test the
// migrations.
//
// The server is TEST_DATABASE_URL, else DATABASE_URL, else the project's private cluster in
// .data/pgtest, started with deploy/dev/pg.sh (the same script `make run` uses) when needed.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
)

// ServerURL returns the URL of the test PostgreSQL server, starting the private cluster if no
// URL is configured.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	serverOnce.Do(func() {
		for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
			if u := os.Getenv(k); u != "" {
				serverURL = u
				return
			}
		}
		root, err := RepoRoot()
		if err != nil {
			serverErr = err
			return
		}
		out, err := exec.Command(filepath.Join(root, "deploy/dev/pg.sh"), "start", filepath.Join(root, ".data/pgtest")).Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				err = fmt.Errorf("%w: %s", err, ee.Stderr)
			}
			serverErr = fmt.Errorf("dbtest: start the private PostgreSQL cluster: %w", err)
			return
		}
		serverURL = strings.TrimSpace(string(out))
	})
	if serverErr != nil {
		tb.Fatal(serverErr)
	}
	return serverURL
}

// RepoRoot is the folder holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("dbtest: go.mod not found above the working directory")
		}
		dir = parent
	}
}

// NewDatabase creates an empty database for this test and returns its URL; the database is
// dropped when the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	admin := ServerURL(tb)
	name := newDatabaseName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("dbtest: create database: %v", err)
	}
	dropAtCleanup(tb, admin, name)
	return withDatabase(admin, name)
}

// newDatabaseName is a name no other test, here or in a parallel process, will pick.
func newDatabaseName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "ambiti_test_" + hex.EncodeToString(b)
}

// dropAtCleanup drops the test's database when the test ends, disconnecting whatever the test
// left connected to it.
func dropAtCleanup(tb testing.TB, admin, name string) {
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("dbtest: connect to drop %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("dbtest: drop %s: %v", name, err)
		}
	})
}

// withDatabase replaces the database name in a postgres:// URL or a key=value DSN.
func withDatabase(url, name string) string {
	if !strings.Contains(url, "://") {
		return url + " dbname=" + name
	}
	head, query, _ := strings.Cut(url, "?")
	i := strings.LastIndex(head, "/")
	if i < len("postgres://") {
		head += "/" + name
	} else {
		head = head[:i+1] + name
	}
	if query != "" {
		return head + "?" + query
	}
	return head
}

// Open opens a pool on a fresh database and closes it when the test ends.
func Open(tb testing.TB, cfg db.Config) (*db.DB, string) {
	tb.Helper()
	url := NewDatabase(tb)
	return openPool(tb, cfg, url), url
}

// openPool opens a pool on url with cfg's settings and closes it when the test ends.
func openPool(tb testing.TB, cfg db.Config, url string) *db.DB {
	tb.Helper()
	cfg.URL = url
	d, err := db.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("dbtest: open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}
