package auth

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// enrolments counts the identity upserts the pool sends.
type enrolments struct{ n atomic.Int64 }

func (e *enrolments) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, "INSERT INTO platform.identities") {
		e.n.Add(1)
	}
	return ctx
}
func (e *enrolments) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

type noGrants struct{}

func (noGrants) ProvisionFirstSight(context.Context, *gorm.DB, string, string, []string) error {
	return nil
}
func (noGrants) Reload(...string) error { return nil }

// One identity's record is written once however many of its requests arrive together; when
// what is remembered grows old the requests go on with it while one refresh runs aside, and
// only past that do they wait.
func TestIdentityRefreshIsOneAtATimeAndOffTheRequestPath(t *testing.T) {
	counter := &enrolments{}
	d, _, _ := tenancytest.Provisioned(t, db.Config{Tracer: counter})
	var ahead atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := New(d, noGrants{}, Config{Now: now})
	c := Client{Domain: "valle-trompia", Issuer: "https://idp.test", ClientID: "ambiti", Grants: func([]string) map[string][]string { return nil }}
	cl := claims{Subject: "s-1", Username: "mario", Name: "Mario Rossi"}
	ctx := context.Background()

	together := func() string {
		t.Helper()
		ids := make([]string, 16)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, _, err := s.resolve(ctx, c, cl)
				if err != nil {
					t.Error(err)
				}
				ids[i] = id
			}()
		}
		wg.Wait()
		for _, id := range ids[1:] {
			if id != ids[0] || id == "" {
				t.Fatalf("the same identity resolved to %q", ids)
			}
		}
		return ids[0]
	}
	id := together()
	if n := counter.n.Load(); n != 1 {
		t.Errorf("16 first requests wrote the identity %d times, want 1", n)
	}
	together()
	if n := counter.n.Load(); n != 1 {
		t.Errorf("within the minute the identity was written again (%d)", n)
	}

	// Grown old: the answers come from memory and one refresh runs aside.
	ahead.Store(int64(90 * time.Second))
	if got := together(); got != id {
		t.Errorf("stale answer %q, want %q", got, id)
	}
	deadline := time.Now().Add(10 * time.Second)
	for counter.n.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	// Wait for the flight to land before counting what it wrote.
	for {
		s.mu.Lock()
		k := s.known["https://idp.test|s-1|valle-trompia"]
		s.mu.Unlock()
		if now().Before(k.until) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := counter.n.Load(); n != 2 {
		t.Errorf("the old identity was refreshed %d times, want once", n-1)
	}

	// Long forgotten: the request waits for the refresh, and again only one is written.
	ahead.Store(int64(10 * time.Minute))
	together()
	if n := counter.n.Load(); n != 3 {
		t.Errorf("after ten minutes %d refreshes, want one", n-2)
	}
}

// A verified token is found again only for the same client and only before it expires.
func TestVerifiedTokensKeepTheirExpiryAndAudience(t *testing.T) {
	v := newVerifiedTokens()
	now := time.Now()
	a := Client{Issuer: "https://idp.test", ClientID: "valle-trompia"}
	b := Client{Issuer: "https://idp.test", ClientID: "trento"}
	v.put(a, "tok", claims{Subject: "s"}, now.Add(time.Minute), now)
	if cl, ok := v.get(a, "tok", now); !ok || cl.Subject != "s" {
		t.Errorf("not found again: %v %v", cl, ok)
	}
	if _, ok := v.get(b, "tok", now); ok {
		t.Error("a token verified for one district's client was found for another's")
	}
	if _, ok := v.get(a, "tok", now.Add(time.Minute)); ok {
		t.Error("a token was found at its expiry")
	}
	v.put(a, "old", claims{}, now, now)
	if _, ok := v.get(a, "old", now.Add(-time.Second)); ok {
		t.Error("an expired token was remembered")
	}
}
