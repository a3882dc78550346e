package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
)

// newFamily is a template family of this test's own, so that tests (and parallel runs) never
// share templates; its databases are dropped when the test ends.
func newFamily(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	family := "self" + hex.EncodeToString(b)
	admin := ServerURL(t)
	t.Cleanup(func() {
		ctx := context.Background()
		conn := connect(t, ctx, admin)
		names, err := familyDatabases(ctx, conn, family)
		if err != nil {
			t.Error(err)
		}
		for _, n := range names {
			if err := dropTemplate(ctx, conn, n.name, true); err != nil {
				t.Error(err)
			}
		}
	})
	return family
}

// markTemplate builds a table holding the key, and counts its builds.
func markTemplate(family, key string, builds *atomic.Int32) Template {
	return Template{Family: family, Key: key, Build: func(ctx context.Context, url string) error {
		builds.Add(1)
		return execOn(ctx, url, "CREATE TABLE marks (key text)", "INSERT INTO marks VALUES ('"+key+"')")
	}}
}

func execOn(ctx context.Context, url string, stmts ...string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func connect(t *testing.T, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

// mark reads what the build wrote into a copy.
func mark(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	var key string
	if err := connect(t, ctx, url).QueryRow(ctx, "SELECT key FROM marks").Scan(&key); err != nil {
		t.Fatalf("the copy lacks the template's table: %v", err)
	}
	return key
}

func exists(t *testing.T, name string) bool {
	t.Helper()
	ctx := context.Background()
	ok, err := databaseExists(ctx, connect(t, ctx, ServerURL(t)), name)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func ensure(t *testing.T, tpl Template) (bool, error) {
	t.Helper()
	ctx := context.Background()
	return ensureTemplate(ctx, connect(t, ctx, ServerURL(t)), ServerURL(t), tpl)
}

func TestACopyHoldsWhatTheBuildWroteAndTheTemplateStays(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	var builds atomic.Int32
	tpl := markTemplate(newFamily(t), "one", &builds)
	var first string
	t.Run("first test", func(t *testing.T) {
		first = Clone(t, tpl)
		if got := mark(t, first); got != "one" {
			t.Errorf("mark = %q, want one", got)
		}
	})
	if exists(t, dbName(first)) {
		t.Errorf("the copy %s outlived its test", dbName(first))
	}
	if !exists(t, tpl.Name()) {
		t.Fatalf("the template %s was dropped with the test", tpl.Name())
	}
	if name := EnsureTemplate(t, tpl); name != tpl.Name() {
		t.Errorf("EnsureTemplate = %s, want %s", name, tpl.Name())
	}
	if got := mark(t, Clone(t, tpl)); got != "one" {
		t.Errorf("second copy: mark = %q, want one", got)
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times, want once", n)
	}
	ctx := context.Background()
	var isTemplate, allowConn bool
	err := connect(t, ctx, ServerURL(t)).QueryRow(ctx,
		"SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1", tpl.Name()).Scan(&isTemplate, &allowConn)
	if err != nil || !isTemplate || allowConn {
		t.Errorf("template flags: is_template %v, allow_connections %v (%v), want true, false", isTemplate, allowConn, err)
	}
}

func dbName(url string) string {
	head, _, _ := strings.Cut(url, "?")
	return head[strings.LastIndex(head, "/")+1:]
}

func TestParallelCopiesBuildTheTemplateOnce(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	var builds atomic.Int32
	tpl := markTemplate(newFamily(t), "shared", &builds)
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				url := Clone(t, tpl)
				if got := mark(t, url); got != "shared" {
					t.Errorf("mark = %q", got)
				}
				// The copy is a database of its own.
				if err := execOn(context.Background(), url, "INSERT INTO marks VALUES ('"+fmt.Sprint(i)+"')"); err != nil {
					t.Error(err)
				}
			})
		}
	})
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times by 4 parallel tests, want once", n)
	}
}

func TestAChangedKeyBuildsANewTemplateAndStaleOnesGo(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	family := newFamily(t)
	var builds atomic.Int32
	a, b := markTemplate(family, "a", &builds), markTemplate(family, "b", &builds)
	if a.Name() == b.Name() {
		t.Fatal("two keys, one name")
	}
	if got := mark(t, Clone(t, a)); got != "a" {
		t.Errorf("mark = %q, want a", got)
	}
	if got := mark(t, Clone(t, b)); got != "b" {
		t.Errorf("mark = %q, want b (a template of another key was copied)", got)
	}
	if n := builds.Load(); n != 2 {
		t.Errorf("built %d times, want twice", n)
	}
	if !exists(t, a.Name()) {
		t.Error("a template built a moment ago was dropped for another key: another checkout may be using it")
	}

	// Made to look built long ago, a is dropped by the next build of the family; b is kept.
	ctx := context.Background()
	old := time.Now().Add(-2 * staleAfter).UTC().Format(time.RFC3339)
	if _, err := connect(t, ctx, ServerURL(t)).Exec(ctx, "COMMENT ON DATABASE "+a.Name()+" IS '"+templateComment+old+"'"); err != nil {
		t.Fatal(err)
	}
	if built, err := ensure(t, markTemplate(family, "c", &builds)); err != nil || !built {
		t.Fatalf("ensure c: built %v, %v", built, err)
	}
	if exists(t, a.Name()) {
		t.Error("the stale template was kept")
	}
	if !exists(t, b.Name()) {
		t.Error("a recent template was dropped")
	}
	if got := mark(t, Clone(t, a)); got != "a" {
		t.Errorf("rebuilt a: mark = %q", got)
	}
}

func TestAHalfBuiltTemplateIsNeverCopied(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	var builds atomic.Int32
	tpl := markTemplate(newFamily(t), "whole", &builds)
	ctx := context.Background()
	admin := ServerURL(t)
	// What a process killed during the build leaves behind.
	if _, err := connect(t, ctx, admin).Exec(ctx, "CREATE DATABASE "+tpl.buildingName()); err != nil {
		t.Fatal(err)
	}
	if err := execOn(ctx, withDatabase(admin, tpl.buildingName()), "CREATE TABLE half (x int)"); err != nil {
		t.Fatal(err)
	}
	url := Clone(t, tpl)
	if got := mark(t, url); got != "whole" {
		t.Errorf("mark = %q", got)
	}
	var half bool
	if err := connect(t, ctx, url).QueryRow(ctx, "SELECT to_regclass('half') IS NOT NULL").Scan(&half); err != nil || half {
		t.Errorf("the copy holds the half-built table (%v)", err)
	}
	if builds.Load() != 1 || exists(t, tpl.buildingName()) {
		t.Errorf("builds %d, leftover kept %v: want a build and no leftover", builds.Load(), exists(t, tpl.buildingName()))
	}
}

func TestAFailedBuildLeavesNothing(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	family := newFamily(t)
	broken := Template{Family: family, Key: "k", Build: func(ctx context.Context, url string) error {
		if err := execOn(ctx, url, "CREATE TABLE marks (key text)"); err != nil {
			return err
		}
		return errors.New("migration 3 failed")
	}}
	if _, err := ensure(t, broken); err == nil || !strings.Contains(err.Error(), "migration 3 failed") {
		t.Fatalf("ensure: %v, want the build's error", err)
	}
	if exists(t, broken.Name()) || exists(t, broken.buildingName()) {
		t.Error("a failed build left a database")
	}
	var builds atomic.Int32
	if got := mark(t, Clone(t, markTemplate(family, "k", &builds))); got != "k" {
		t.Errorf("mark = %q", got)
	}
}

// A build that leaves its pool open would make every copy fail; it is refused, naming the
// sessions, after the bounded wait (about 15 s).
func TestABuildLeavingASessionOpenIsRefused(t *testing.T) {
	t.Parallel() // each test has a template family of its own
	if testing.Short() {
		t.Skip("waits for the bounded retries")
	}
	var leaked *pgx.Conn
	tpl := Template{Family: newFamily(t), Key: "k", Build: func(ctx context.Context, url string) (err error) {
		leaked, err = pgx.Connect(ctx, url)
		return err
	}}
	_, err := ensure(t, tpl)
	if leaked != nil {
		defer leaked.Close(context.Background())
	}
	// The sessions are listed by kind; an autovacuum worker may be listed beside the leaked
	// client backend on a busy machine.
	if err == nil || !strings.Contains(err.Error(), "left sessions open (") || !strings.Contains(err.Error(), "client backend") {
		t.Fatalf("ensure: %v, want an error naming the open session", err)
	}
	if exists(t, tpl.Name()) || exists(t, tpl.buildingName()) {
		t.Error("the refused build left a database")
	}
}

func TestTemplateFamilyMustFitADatabaseName(t *testing.T) {
	for _, family := range []string{"", "Demo", "de_mo", "demo-x", strings.Repeat("a", maxFamilyLen+1)} {
		tpl := Template{Family: family, Key: "k", Build: func(context.Context, string) error { return nil }}
		if err := tpl.check(); err == nil {
			t.Errorf("family %q accepted", family)
		}
	}
	if n := len(Template{Family: strings.Repeat("a", maxFamilyLen)}.buildingName()); n > 63 {
		t.Errorf("the longest name has %d bytes, PostgreSQL keeps 63", n)
	}
}

func TestDigestFollowsNamesAndContents(t *testing.T) {
	fsys := fstest.MapFS{
		"a.sql":       {Data: []byte("one")},
		"sub/b.yaml":  {Data: []byte("two")},
		"x_test.go":   {Data: []byte("ignored")},
		"sub/c.other": {Data: []byte("not matched")},
	}
	digest := func(fsys fstest.MapFS) string {
		t.Helper()
		d, err := Digest(fsys, "*", "sub/*.yaml")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	base := digest(fsys)
	change := func(name string, f *fstest.MapFile) fstest.MapFS {
		c := fstest.MapFS{}
		for k, v := range fsys {
			c[k] = v
		}
		if f == nil {
			delete(c, name)
		} else {
			c[name] = f
		}
		return c
	}
	for what, c := range map[string]fstest.MapFS{
		"content": change("a.sql", &fstest.MapFile{Data: []byte("One")}),
		"new":     change("z.sql", &fstest.MapFile{}),
		"renamed": change("a.sql", nil),
	} {
		if what == "renamed" {
			c["b.sql"] = fsys["a.sql"]
		}
		if digest(c) == base {
			t.Errorf("%s: same digest", what)
		}
	}
	for what, c := range map[string]fstest.MapFS{
		"test file":   change("x_test.go", &fstest.MapFile{Data: []byte("edited")}),
		"not matched": change("sub/c.other", &fstest.MapFile{Data: []byte("edited")}),
	} {
		if digest(c) != base {
			t.Errorf("%s: the digest changed", what)
		}
	}
	if _, err := Digest(fsys, "missing/*"); err == nil {
		t.Error("a pattern matching nothing was accepted")
	}
}
