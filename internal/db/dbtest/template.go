package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ambiti/ambiti/internal/db"
)

// Template is a database built once per PostgreSQL cluster and copied (CREATE DATABASE …
// TEMPLATE) for every test that needs its content: a copy takes a fraction of the time that
// migrating and provisioning takes.
//
// The template is named ambiti_tpl_<Family>_<16 hex digits of SHA-256(Key)>. It is kept when
// the tests end, so the next run on the same cluster (the private one in .data/pgtest persists)
// reuses it; a different Key names another template, so a stale one is never copied. When a
// new template of a family is built, the family's templates with another key are dropped if
// they were built more than staleAfter ago and nobody is copying them: recently built ones are
// kept because another checkout with other migrations may be testing on the same cluster.
type Template struct {
	// Family says what the template holds, in lowercase letters and digits (at most 20), e.g.
	// "demo". Builds of one family are serialised and replace each other's stale templates.
	Family string
	// Key is everything the content depends on: a new key builds a new template. Digest
	// computes one from the files a build reads (migrations, definitions, source).
	Key string
	// Build fills the empty database at url. It must close every connection it opened before
	// returning (db.DB.Close): PostgreSQL copies no database that has sessions.
	Build func(ctx context.Context, url string) error
}

const (
	templatePrefix  = "ambiti_tpl_"
	buildingSuffix  = "_building"
	templateComment = "ambiti dbtest template, built "
	maxFamilyLen    = 20
	staleAfter      = time.Hour
	templateTimeout = 5 * time.Minute // waiting for another process's build included
	inUseAttempts   = 3               // PostgreSQL waits up to 5 s at each, see retryInUse
	cloneAttempts   = 3
	sqlObjectInUse  = "55006" // "source database … is being accessed by other users"
	sqlUndefinedDB  = "3D000" // the template vanished between the check and the copy
	lockNamespace   = "ambiti.dbtest.template."
	inUseBackoff    = 100 * time.Millisecond
)

// Name is the database name of the complete template.
func (t Template) Name() string {
	sum := sha256.Sum256([]byte(t.Key))
	return templatePrefix + t.Family + "_" + hex.EncodeToString(sum[:8])
}

// buildingName is where the template is built: only the rename to Name marks it complete, so
// a build that dies half way leaves a database nobody copies (the next build drops it).
func (t Template) buildingName() string { return t.Name() + buildingSuffix }

func (t Template) check() error {
	if t.Build == nil {
		return errors.New("dbtest: template without Build")
	}
	if t.Family == "" || len(t.Family) > maxFamilyLen {
		return fmt.Errorf("dbtest: template family %q: want 1 to %d characters", t.Family, maxFamilyLen)
	}
	for _, r := range t.Family {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return fmt.Errorf("dbtest: template family %q: only lowercase letters and digits", t.Family)
		}
	}
	return nil
}

// EnsureTemplate makes sure the cluster holds the complete template, building it when it does
// not, and returns its name. Parallel test processes build it once: the others wait for that
// build and use its result.
func EnsureTemplate(tb testing.TB, t Template) string {
	tb.Helper()
	withAdmin(tb, func(ctx context.Context, conn *pgx.Conn, admin string) error {
		_, err := ensureTemplate(ctx, conn, admin, t)
		return err
	})
	return t.Name()
}

// Clone creates a fresh database for this test, a copy of the template (built first if the
// cluster does not hold it yet), and returns its URL. The copy is dropped when the test ends;
// the template stays for the next tests and runs.
func Clone(tb testing.TB, t Template) string {
	tb.Helper()
	name := newDatabaseName()
	withAdmin(tb, func(ctx context.Context, conn *pgx.Conn, admin string) error {
		return clone(ctx, conn, admin, t, name)
	})
	admin := ServerURL(tb)
	dropAtCleanup(tb, admin, name)
	return withDatabase(admin, name)
}

// OpenClone is Open on a Clone: a pool on a fresh copy of the template, closed when the test
// ends.
func OpenClone(tb testing.TB, cfg db.Config, t Template) (*db.DB, string) {
	tb.Helper()
	url := Clone(tb, t)
	return openPool(tb, cfg, url), url
}

// withAdmin runs fn on a session of the server's own database, within templateTimeout, and
// ends the test on its error.
func withAdmin(tb testing.TB, fn func(ctx context.Context, conn *pgx.Conn, admin string) error) {
	tb.Helper()
	admin := ServerURL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), templateTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if err := fn(ctx, conn, admin); err != nil {
		tb.Fatal(err)
	}
}

// clone copies the template into the new database name. A template dropped as stale by a run
// with another key between the check and the copy is built again.
func clone(ctx context.Context, conn *pgx.Conn, admin string, t Template, name string) error {
	for attempt := 1; ; attempt++ {
		if _, err := ensureTemplate(ctx, conn, admin, t); err != nil {
			return err
		}
		err := retryInUse(ctx, func() error {
			_, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+t.Name())
			return err
		})
		if err == nil {
			return nil
		}
		if !isCode(err, sqlUndefinedDB) || attempt == cloneAttempts {
			return fmt.Errorf("dbtest: copy template %s: %w", t.Name(), err)
		}
	}
}

// ensureTemplate builds the template unless the cluster holds it complete; built says whether
// this call built it. conn is a session on the admin database, where every process takes the
// family's advisory lock (advisory locks belong to one database).
func ensureTemplate(ctx context.Context, conn *pgx.Conn, admin string, t Template) (built bool, err error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if ok, err := databaseExists(ctx, conn, t.Name()); err != nil || ok {
		return false, err
	}
	unlock, err := lockFamily(ctx, conn, t.Family)
	if err != nil {
		return false, err
	}
	defer unlock()
	// Another process may have finished the build while we waited for the lock.
	if ok, err := databaseExists(ctx, conn, t.Name()); err != nil || ok {
		return false, err
	}
	if err := dropUnfinished(ctx, conn, t.Family); err != nil {
		return false, err
	}
	if err := buildTemplate(ctx, conn, admin, t); err != nil {
		return false, err
	}
	if err := dropStale(ctx, conn, t, time.Now()); err != nil {
		return true, err
	}
	return true, nil
}

// lockFamily holds the family's advisory lock on conn until unlock; a session that dies (a
// test process killed mid-build) releases it with its connection.
func lockFamily(ctx context.Context, conn *pgx.Conn, family string) (unlock func(), err error) {
	key := lockNamespace + family
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext($1))", key); err != nil {
		return nil, fmt.Errorf("dbtest: wait for the template lock of %s: %w", family, err)
	}
	return func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext($1))", key)
	}, nil
}

// buildTemplate builds into a scratch database and renames it to the template's name only
// when complete, frozen (no connections allowed, so that no stray session can block a copy)
// and marked as a template.
func buildTemplate(ctx context.Context, conn *pgx.Conn, admin string, t Template) error {
	tmp := t.buildingName()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+tmp); err != nil {
		return fmt.Errorf("dbtest: create %s: %w", tmp, err)
	}
	err := t.Build(ctx, withDatabase(admin, tmp))
	if err != nil {
		err = fmt.Errorf("dbtest: build template %s: %w", t.Name(), err)
	} else {
		err = seal(ctx, conn, tmp, t.Name())
	}
	if err != nil {
		if derr := dropTemplate(context.WithoutCancel(ctx), conn, tmp, true); derr != nil {
			err = errors.Join(err, derr)
		}
	}
	return err
}

// seal freezes the scratch database and gives it the template's name. The rename is refused
// while sessions remain: they are the build's, about to end, or autovacuum's, soon done.
func seal(ctx context.Context, conn *pgx.Conn, tmp, name string) error {
	steps := []string{
		"ALTER DATABASE " + tmp + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true",
		"COMMENT ON DATABASE " + tmp + " IS '" + templateComment + time.Now().UTC().Format(time.RFC3339) + "'",
	}
	for _, q := range steps {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("dbtest: seal %s: %w", tmp, err)
		}
	}
	err := retryInUse(ctx, func() error {
		_, err := conn.Exec(ctx, "ALTER DATABASE "+tmp+" RENAME TO "+name)
		return err
	})
	if isCode(err, sqlObjectInUse) {
		return fmt.Errorf("dbtest: the build of %s left sessions open (%s): close every pool before Build returns: %w",
			name, sessions(ctx, conn, tmp), err)
	}
	if err != nil {
		return fmt.Errorf("dbtest: rename %s: %w", tmp, err)
	}
	return nil
}

// dropUnfinished drops what builds of the family left half done. The caller holds the
// family's lock, so no build of it is running: those databases belong to dead processes.
func dropUnfinished(ctx context.Context, conn *pgx.Conn, family string) error {
	names, err := familyDatabases(ctx, conn, family)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !strings.HasSuffix(n.name, buildingSuffix) {
			continue
		}
		if err := dropTemplate(ctx, conn, n.name, true); err != nil {
			return err
		}
	}
	return nil
}

// dropStale drops the family's complete templates with another key that were built more than
// staleAfter before now and that nobody is copying. One in use is left for the next build.
func dropStale(ctx context.Context, conn *pgx.Conn, t Template, now time.Time) error {
	names, err := familyDatabases(ctx, conn, t.Family)
	if err != nil {
		return err
	}
	for _, n := range names {
		if n.name == t.Name() || strings.HasSuffix(n.name, buildingSuffix) || now.Sub(n.built) < staleAfter {
			continue
		}
		if err := dropTemplate(ctx, conn, n.name, false); err != nil && !isCode(err, sqlObjectInUse) {
			return err
		}
	}
	return nil
}

// dropTemplate drops a template database; without force it fails (55006) rather than end a
// session, and the database stays a template.
func dropTemplate(ctx context.Context, conn *pgx.Conn, name string, force bool) error {
	drop := "DROP DATABASE IF EXISTS " + name
	if force {
		drop += " WITH (FORCE)"
	}
	_, err := conn.Exec(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE false")
	if err == nil {
		_, err = conn.Exec(ctx, drop)
		if err != nil {
			_, _ = conn.Exec(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE true")
		}
	}
	if err != nil {
		return fmt.Errorf("dbtest: drop template %s: %w", name, err)
	}
	return nil
}

// familyDatabase is a database of a template family, with its build time (zero when it has
// none recorded: a half-built one, or one from an older dbtest).
type familyDatabase struct {
	name  string
	built time.Time
}

func familyDatabases(ctx context.Context, conn *pgx.Conn, family string) ([]familyDatabase, error) {
	rows, err := conn.Query(ctx, `
		SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), '')
		FROM pg_database d WHERE starts_with(d.datname, $1) ORDER BY 1`, templatePrefix+family+"_")
	if err != nil {
		return nil, fmt.Errorf("dbtest: list the templates of %s: %w", family, err)
	}
	var out []familyDatabase
	var name, comment string
	_, err = pgx.ForEachRow(rows, []any{&name, &comment}, func() error {
		built, _ := time.Parse(time.RFC3339, strings.TrimPrefix(comment, templateComment))
		out = append(out, familyDatabase{name: name, built: built})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dbtest: list the templates of %s: %w", family, err)
	}
	return out, nil
}

func databaseExists(ctx context.Context, conn *pgx.Conn, name string) (bool, error) {
	var ok bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("dbtest: look for database %s: %w", name, err)
	}
	return ok, nil
}

// sessions describes who is connected to a database, for the error that names them.
func sessions(ctx context.Context, conn *pgx.Conn, name string) string {
	var who string
	err := conn.QueryRow(context.WithoutCancel(ctx), `
		SELECT coalesce(string_agg(backend_type || coalesce(' ' || nullif(application_name, ''), ''), ', '), 'none left')
		FROM pg_stat_activity WHERE datname = $1`, name).Scan(&who)
	if err != nil {
		return err.Error()
	}
	return who
}

// retryInUse runs op again while PostgreSQL answers 55006, a bounded number of times, and
// returns the last error. Before answering so, PostgreSQL itself waits up to 5 s for the
// database's sessions to end (and ends autovacuum's), so the retries only cover a session
// slower than that on a loaded machine, or one connecting in the meantime.
func retryInUse(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if !isCode(err, sqlObjectInUse) || attempt == inUseAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(inUseBackoff):
		}
	}
}

func isCode(err error, code string) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == code
}
