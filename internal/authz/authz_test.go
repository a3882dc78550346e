package authz_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/policies"
)

func newIdentity(t *testing.T, d *db.DB, username string) string {
	t.Helper()
	var id string
	err := d.Platform(context.Background(), func(tx *gorm.DB) error {
		if err := tx.Raw(`INSERT INTO platform.identities (issuer, subject, username) VALUES ('test', ?, ?) RETURNING id`, username, username).Scan(&id).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO platform.memberships (domain, identity_id) VALUES ('valle-trompia', ?)`, id).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func eventually(t *testing.T, within time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < within {
		if cond() {
			return time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return -1
}

// twoInstances are two authorizers on one database, the second with its own pool, as another
// server process would have.
func twoInstances(t *testing.T, ctx context.Context, log *slog.Logger) (d *db.DB, url string, one, two *authz.Authorizer) {
	t.Helper()
	d, url, _ = tenancytest.Provisioned(t, db.Config{})
	one, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := db.Open(ctx, db.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d2.Close() })
	two, err = authz.New(ctx, d2, policies.Model, policies.Policy, log)
	if err != nil {
		t.Fatal(err)
	}
	return d, url, one, two
}

// The bounds below only decide when to give up: propagation takes milliseconds (the test logs
// it), and a loaded machine must not turn that into a failure.
const propagationBound = 10 * time.Second

func TestARoleChangeOnOneInstanceReachesAnother(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, url, one, two := twoInstances(t, ctx, nil)
	go two.Watch(ctx, url, time.Minute)
	if eventually(t, propagationBound, two.Listening) < 0 {
		t.Fatal("the second instance never started listening")
	}
	id := newIdentity(t, d, "giulia")
	allowedOnTwo := func() bool {
		ok, err := two.Allowed(id, "valle-trompia", "members", "manage")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if allowedOnTwo() {
		t.Fatal("allowed before any grant")
	}
	if err := one.Grant(ctx, id, "udp", "valle-trompia", ""); err != nil {
		t.Fatal(err)
	}
	if ok, _ := one.Allowed(id, "valle-trompia", "members", "manage"); !ok {
		t.Error("the granting instance does not see its own grant at once")
	}
	took := eventually(t, propagationBound, allowedOnTwo)
	if took < 0 {
		t.Fatalf("the grant did not reach the other instance within %v", propagationBound)
	}
	t.Logf("grant propagated in %v", took)
	if ok, _ := two.Allowed(id, "trento", "members", "manage"); ok {
		t.Error("a role granted in valle-trompia is effective in trento")
	}

	// Revoking the only Ufficio di Piano is refused; with a second one it goes through.
	err := one.RevokeGuarded(ctx, id, "udp", "valle-trompia", "udp")
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("revoking the last udp: %v, want conflict", err)
	}
	other := newIdentity(t, d, "marco")
	if err := one.Grant(ctx, other, "udp", "valle-trompia", id); err != nil {
		t.Fatal(err)
	}
	if err := one.RevokeGuarded(ctx, id, "udp", "valle-trompia", "udp"); err != nil {
		t.Fatal(err)
	}
	if took := eventually(t, propagationBound, func() bool { return !allowedOnTwo() }); took < 0 {
		t.Fatalf("the revocation did not reach the other instance within %v", propagationBound)
	}
}

func TestPermissionsFollowThePolicyFile(t *testing.T) {
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ctx := context.Background()
	a, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := newIdentity(t, d, "anna")
	if err := a.Grant(ctx, id, "assemblea", "valle-trompia", ""); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.Allowed(id, "valle-trompia", "members", "manage"); ok {
		t.Error("the Assemblea may manage members")
	}
	if got := a.Roles(id, "valle-trompia"); len(got) != 1 || got[0] != "assemblea" {
		t.Errorf("roles = %v", got)
	}
	if err := a.Grant(ctx, id, "udp", "valle-trompia", ""); err != nil {
		t.Fatal(err)
	}
	perms := a.Permissions(id, "valle-trompia")
	for _, want := range []authz.Permission{{Object: "members", Action: "manage"}, {Object: "plan", Action: "write"}, {Object: "plan", Action: "approve"}} {
		if !slices.Contains(perms, want) {
			t.Errorf("permissions %v lack %v", perms, want)
		}
	}
	if slices.Contains(perms, authz.Permission{Object: "regional", Action: "read"}) {
		t.Error("a district role carries a regional permission")
	}
}

// listenerPIDs are the backends of listener connections on the test's database.
func listenerPIDs(t *testing.T, d *db.DB) []int64 {
	t.Helper()
	var pids []int64
	err := d.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Raw(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?`,
			authz.ListenerApplicationName).Scan(&pids).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

// TestAfterRepeatedDatabaseRestartsARoleChangeStillReachesAnotherInstanceQuickly restarts the
// database as the listener sees it — its backend is terminated, which is what a restart does
// to it — without stopping the shared PostgreSQL. The listener used to miss the loss (it took
// the dead connection's error for the backstop's timeout and spun on it) and, when it did
// reconnect, to double its delay at every loss without ever shrinking it: 1, 2, 4, 8, 16 s
// after the first five restarts.
func TestAfterRepeatedDatabaseRestartsARoleChangeStillReachesAnotherInstanceQuickly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, url, one, two := twoInstances(t, ctx, slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	watching := make(chan struct{})
	go func() {
		two.Watch(ctx, url, time.Minute) // the periodic backstop never fires during the test
		close(watching)
	}()
	defer func() { cancel(); <-watching }() // nothing logs after the test
	if eventually(t, propagationBound, two.Listening) < 0 {
		t.Fatal("the second instance never started listening")
	}
	id := newIdentity(t, d, "giulia")
	allowedOnTwo := func(domain string) bool {
		ok, err := two.Allowed(id, domain, "members", "manage")
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	const restarts = 5
	for i := 1; i <= restarts; i++ {
		if i == restarts {
			// A change the instance is never told about, like one whose notification went out
			// while its listener was away: only the full reload on reconnecting brings it in.
			err := d.Platform(ctx, func(tx *gorm.DB) error {
				return tx.Exec(`INSERT INTO platform.casbin_rules (ptype, v0, v1, v2) VALUES ('g', ?, 'udp', 'valle-trompia')`,
					authz.Subject(id)).Error
			})
			if err != nil {
				t.Fatal(err)
			}
			if allowedOnTwo("valle-trompia") {
				t.Fatal("a change without a notification reached the other instance before any reconnection")
			}
		}
		gone := listenerPIDs(t, d)
		if len(gone) == 0 {
			t.Fatalf("restart %d: no listener connection named %q", i, authz.ListenerApplicationName)
		}
		err := d.Platform(ctx, func(tx *gorm.DB) error {
			return tx.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ?`, gone).Error
		})
		if err != nil {
			t.Fatal(err)
		}
		// Back after the first retry (a second), with slack for a loaded machine; with a delay
		// that only grows, the fifth restart alone would wait 16 s.
		back := eventually(t, propagationBound, func() bool {
			for _, pid := range listenerPIDs(t, d) {
				if !slices.Contains(gone, pid) {
					return two.Listening()
				}
			}
			return false
		})
		if back < 0 {
			t.Fatalf("restart %d: the listener was not back within %v", i, propagationBound)
		}
		t.Logf("restart %d: listening again after %v", i, back)
	}
	if !allowedOnTwo("valle-trompia") {
		t.Error("a change made while the listener was away is missing after it reconnected")
	}

	if err := one.Grant(ctx, id, "udp", "trento", ""); err != nil {
		t.Fatal(err)
	}
	took := eventually(t, propagationBound, func() bool { return allowedOnTwo("trento") })
	if took < 0 {
		t.Fatalf("after the restarts, a grant did not reach the other instance within %v", propagationBound)
	}
	t.Logf("grant propagated in %v", took)
}

// testLog sends the instance's warnings (each reconnection) to the test's log.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
