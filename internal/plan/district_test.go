package plan_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/policies"
)

// district is a fresh database with the three demo districts, the plan service built as
// cmd/ambiti builds it, and people holding each district role in one of them. Their actors
// are made as the authz.Actors middleware makes them: the permissions come from a real
// Authorizer loaded with policies/policy.csv, so these tests follow the policy file.
type district struct {
	t     *testing.T
	db    *db.DB
	url   string // of the database
	svc   *plan.Service
	authz *authz.Authorizer
	slug  string
	ctx   context.Context // carries the district
	// The people of the district, by role.
	udp, assemblea, asst actor.Actor
}

// newDistrict provisions a fresh database and returns valle-trompia (or the district named).
func newDistrict(t *testing.T, slug ...string) *district {
	t.Helper()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	a, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	dist := &district{t: t, db: d, svc: plan.NewService(tenancy.NewScope(d), nil), authz: a, url: url, slug: "valle-trompia"}
	if len(slug) > 0 {
		dist.slug = slug[0]
	}
	dist.ctx = dist.in(ctx, dist.slug)
	dist.udp = dist.person("udp-1", "Ufficio di Piano", "", "udp")
	dist.assemblea = dist.person("assemblea-1", "Presidente dell'Assemblea", "", "assemblea")
	dist.asst = dist.person("asst-1", "Referente ASST", "", "asst")
	return dist
}

// in returns ctx carrying the district slug, as the host resolution does for a request.
func (d *district) in(ctx context.Context, slug string) context.Context {
	d.t.Helper()
	ts, err := tenancy.NewRegistry(d.db, 0).List(ctx)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, t := range ts {
		if t.Slug == slug {
			return tenancy.WithTenant(ctx, t)
		}
	}
	d.t.Fatalf("district %s is not provisioned", slug)
	return nil
}

// person grants id the roles in the fixture's district and returns its actor there.
func (d *district) person(id, name, organisation string, roles ...string) actor.Actor {
	d.t.Helper()
	return d.personIn(d.slug, id, name, organisation, roles...)
}

// personIn grants id the roles in domain and returns its actor there, built as authz.Actors
// builds it.
func (d *district) personIn(domain, id, name, organisation string, roles ...string) actor.Actor {
	d.t.Helper()
	for _, r := range roles {
		if err := d.authz.Grant(context.Background(), id, r, domain, ""); err != nil {
			d.t.Fatal(err)
		}
	}
	can := func(object, action string) bool {
		ok, err := d.authz.Allowed(id, domain, object, action)
		return err == nil && ok
	}
	return actor.New(id, name, organisation, domain, d.authz.Roles(id, domain), nil, can)
}

// draft creates a draft plan with one objective of area A (socio-sanitary or not).
func (d *district) draft(title string) (plan.Plan, plan.Objective) {
	d.t.Helper()
	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: title, StartYear: 2024, EndYear: 2026})
	if err != nil {
		d.t.Fatal(err)
	}
	o, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Contrasto alla povertà", AreaCode: "A"})
	if err != nil {
		d.t.Fatal(err)
	}
	return p, o
}

// approved takes a new plan through the workflow to approval.
func (d *district) approved(title string) (plan.Plan, plan.Objective) {
	d.t.Helper()
	p, o := d.draft(title)
	if _, err := d.svc.Propose(d.ctx, d.udp, p.ID, ""); err != nil {
		d.t.Fatal(err)
	}
	p, err := d.svc.Approve(d.ctx, d.assemblea, p.ID, "")
	if err != nil {
		d.t.Fatal(err)
	}
	return p, o
}

// wantCode fails unless err is an *apperr.Error of code whose message (English or Italian)
// contains each of words.
func wantCode(t *testing.T, err error, code apperr.Code, words ...string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
	for _, w := range words {
		if !strings.Contains(e.MessageEN, w) && !strings.Contains(e.Message, w) {
			t.Errorf("error %q does not say %q", e.Error(), w)
		}
	}
	return e
}

// wantField fails unless err is Invalid and names field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := wantCode(t, err, apperr.Invalid)
	if e.Field != field {
		t.Errorf("error %q names field %q, want %q", e.Error(), e.Field, field)
	}
}

// noError fails the test at once on err.
func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// errIgnored marks an Edit that must not be applied.
var errIgnored = errors.New("edit refused by the caller")

func ptr[T any](v T) *T { return &v }
