package authz

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

// policyChannel is the NOTIFY channel announcing a change of role bindings.
const policyChannel = "ambiti_policy"

// ListenerApplicationName names the listener's connection in pg_stat_activity, so that an
// operator (or a test) can tell it apart from the pool's connections.
const ListenerApplicationName = "ambiti-authz-listener"

// Reconnection delays after a lost listener: doubling from firstRetry up to lastRetry while
// the database stays unreachable, and back to firstRetry once a connection has worked. Were
// it not reset, every outage would add to the next wait for the life of the process, and
// after a few database restarts a role change would take many seconds to reach this
// instance instead of about one.
const (
	firstRetry = time.Second
	lastRetry  = 30 * time.Second
)

// Watch keeps this instance's bindings current until ctx ends: it LISTENs on a dedicated
// connection and reloads on every notification (a change committed by any instance), and
// reloads every interval anyway as a backstop. After a lost connection it reconnects and
// reloads in full, since notifications sent meanwhile are gone.
func (a *Authorizer) Watch(ctx context.Context, url string, interval time.Duration) {
	backoff := firstRetry
	for ctx.Err() == nil {
		connected, err := a.listen(ctx, url, interval)
		if ctx.Err() != nil {
			return
		}
		if connected {
			// This outage starts afresh: the previous ones are over.
			backoff = firstRetry
		}
		a.log.Warn("authz: policy listener lost; reconnecting", slog.Any("error", err), slog.Duration("in", backoff))
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, lastRetry)
	}
}

// listen runs one listening session. connected reports whether it got as far as listening
// (connected, LISTEN issued, bindings reloaded), which is what resets Watch's backoff.
func (a *Authorizer) listen(ctx context.Context, url string, interval time.Duration) (connected bool, err error) {
	cfg, err := db.ConnConfig(url)
	if err != nil {
		return false, err
	}
	cfg.RuntimeParams["application_name"] = ListenerApplicationName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+policyChannel); err != nil {
		return false, err
	}
	// Anything may have changed while we were not listening: reload in full, after LISTEN, so
	// that a change committed in between is either in this load or announced to us.
	if err := a.Reload(); err != nil {
		return false, err
	}
	a.listening.Store(true)
	defer a.listening.Store(false)
	for {
		wctx, cancel := context.WithTimeout(ctx, interval)
		n, err := conn.WaitForNotification(wctx)
		// Only a wait that ran out its interval is the backstop's turn; anything else that
		// ends it with an error (the server gone, the connection terminated) ends the session.
		// This is read before cancel(), which would make every wait look timed out: the
		// listener then spun on its dead connection, reloading without pause and still
		// reporting Listening, instead of reconnecting.
		backstop := err != nil && errors.Is(wctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil && !conn.IsClosed()
		cancel()
		var from, domain string
		if err == nil {
			a.heard.Add(1)
			from, domain = parseNotice(n.Payload)
		}
		switch {
		case err == nil && from == a.instance:
			// Our own change (the payload names the instance that made it): it already reloaded
			// that domain once the change committed; a second reload would only cost a read.
			a.ownHeard.Add(1)
		case err == nil && domain != "":
			if err := a.Reload(domain); err != nil {
				return true, err
			}
		case err == nil || backstop:
			if err := a.Reload(); err != nil {
				return true, err
			}
		default:
			return true, err
		}
	}
}

// Listening reports whether the instance currently hears other instances' changes.
func (a *Authorizer) Listening() bool { return a.listening.Load() }

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
