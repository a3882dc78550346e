package auth_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// grants records the roles provisioned at login.
type grants struct{ got map[string][]string }

func (g *grants) ProvisionFirstSight(_ context.Context, _ *gorm.DB, id, domain string, roles []string) error {
	g.got[id+"@"+domain] = append(g.got[id+"@"+domain], roles...)
	return nil
}
func (g *grants) Reload(...string) error { return nil }

// A person invited by e-mail or fiscal code gets the role at their first login in that
// district, once; a malformed contact is refused naming the field; an invitation twice is a
// conflict; another district's login binds nothing.
func TestInvitationsBindAtFirstLogin(t *testing.T) {
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ctx := context.Background()
	g := &grants{got: map[string][]string{}}
	s := auth.New(d, g, auth.Config{})
	const vt = "valle-trompia"
	if err := s.Invite(ctx, vt, "Mario.Rossi@Comune.it", "udp", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Invite(ctx, vt, "rssmra80a01h501u", "asst", ""); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "mario@", "ABC123"} {
		e, ok := apperr.As(s.Invite(ctx, vt, bad, "udp", ""))
		if !ok || e.Code != apperr.Invalid || e.Field != "contact" || strings.Contains(e.Message, `""`) {
			t.Errorf("contact %q: %v", bad, e)
		}
	}
	if e, ok := apperr.As(s.Invite(ctx, vt, "mario.rossi@comune.it", "udp", "")); !ok || e.Code != apperr.Conflict {
		t.Errorf("invited twice: %v", e)
	}
	if is, err := s.Invitations(ctx, vt); err != nil || len(is) != 2 {
		t.Fatalf("invitations: %v %v", is, err)
	}
	// Another district's login binds nothing.
	other, err := s.Enrol(ctx, auth.Enrolment{Issuer: "https://idp.test", Subject: "m1", Username: "mario", Email: "mario.rossi@comune.it", Domain: "trento"})
	if err != nil || len(g.got[other+"@trento"]) != 0 {
		t.Fatalf("trento login: %v %v", g.got, err)
	}
	// The e-mail's login in the district binds its invitation; the fiscal code's too.
	id, err := s.Enrol(ctx, auth.Enrolment{Issuer: "https://idp.test", Subject: "m1", Username: "mario", Email: "mario.rossi@comune.it", Domain: vt})
	if err != nil || !slices.Equal(g.got[id+"@"+vt], []string{"udp"}) {
		t.Fatalf("e-mail login: %v %v", g.got, err)
	}
	id2, err := s.Enrol(ctx, auth.Enrolment{Issuer: "https://idp.test", Subject: "l1", Username: "lucia", FiscalCode: "RSSMRA80A01H501U", Domain: vt})
	if err != nil || !slices.Equal(g.got[id2+"@"+vt], []string{"asst"}) {
		t.Fatalf("fiscal code login: %v %v", g.got, err)
	}
	// Bound once: logging in again grants nothing more, and nothing waits any longer.
	if _, err := s.Enrol(ctx, auth.Enrolment{Issuer: "https://idp.test", Subject: "m1", Username: "mario", Email: "mario.rossi@comune.it", Domain: vt}); err != nil || len(g.got[id+"@"+vt]) != 1 {
		t.Errorf("second login: %v %v", g.got, err)
	}
	if is, _ := s.Invitations(ctx, vt); len(is) != 0 {
		t.Errorf("still waiting: %v", is)
	}
}
