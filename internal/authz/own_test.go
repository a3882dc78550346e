package authz_test

import (
	"context"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/authz"
)

// An instance's own change is announced to every instance, itself included; it reloaded when
// the change committed, so its listener skips the announcement (the payload names the
// instance) instead of reading every binding a second time.
func TestAnInstanceSkipsTheNotificationOfItsOwnChange(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, url, one, two := twoInstances(t, ctx, nil)
	watching := make(chan struct{})
	go func() {
		two.Watch(ctx, url, time.Minute) // the periodic backstop never fires during the test
		close(watching)
	}()
	defer func() { cancel(); <-watching }()
	if eventually(t, propagationBound, two.Listening) < 0 {
		t.Fatal("the instance never started listening")
	}
	_, _, before := authz.Heard(two)
	id := newIdentity(t, d, "giulia")

	// Its own change first, then another instance's: notifications arrive in commit order on
	// the one listening connection, so once the second is heard the first has been handled.
	if err := two.Grant(ctx, id, "udp", "valle-trompia", ""); err != nil {
		t.Fatal(err)
	}
	if err := one.Grant(ctx, id, "udp", "trento", ""); err != nil {
		t.Fatal(err)
	}
	// Both heard, and the reload for the second done (it is counted before it starts).
	done := func() bool {
		heard, _, _ := authz.Heard(two)
		ok, _ := two.Allowed(id, "trento", "members", "manage")
		return heard >= 2 && ok
	}
	if eventually(t, propagationBound, done) < 0 {
		heard, _, _ := authz.Heard(two)
		t.Fatalf("within %v: heard %d notifications (want 2), or the other instance's grant is missing", propagationBound, heard)
	}
	heard, own, reloads := authz.Heard(two)
	if heard != 2 || own != 1 {
		t.Errorf("heard %d notifications, %d of them its own; want 2 and 1", heard, own)
	}
	// One reload when its own grant committed, one for the other instance's: none for the
	// announcement of its own.
	if got := reloads - before; got != 2 {
		t.Errorf("%d reloads for one change of its own and one of another instance, want 2", got)
	}
}
