package authz

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

// policyChannel is the NOTIFY channel announcing a change of role bindings.
const policyChannel = "ambiti_policy"

// Watch keeps this instance's bindings current until ctx ends: it LISTENs on a dedicated
// connection and reloads on every notification (a change committed by any instance), and
// reloads every interval anyway as a backstop. After a lost connection it reconnects and
// reloads in full, since notifications sent meanwhile are gone.
func (a *Authorizer) Watch(ctx context.Context, url string, interval time.Duration) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := a.listen(ctx, url, interval)
		if ctx.Err() != nil {
			return
		}
		a.log.Warn("authz: policy listener lost; reconnecting", slog.Any("error", err), slog.Duration("in", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func (a *Authorizer) listen(ctx context.Context, url string, interval time.Duration) error {
	cfg, err := db.ConnConfig(url)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+policyChannel); err != nil {
		return err
	}
	// Anything may have changed while we were not listening.
	if err := a.Reload(); err != nil {
		return err
	}
	a.listening.Store(true)
	defer a.listening.Store(false)
	for {
		wctx, cancel := context.WithTimeout(ctx, interval)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil && n.Payload == a.instance:
			// our own change: already reloaded when it was committed
		case err == nil || wctx.Err() != nil && ctx.Err() == nil:
			if err := a.Reload(); err != nil {
				return err
			}
		default:
			return err
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
