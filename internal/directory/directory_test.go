package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/policies"
)

// district is a fresh database with the demo districts, the directory service as cmd/ambiti
// builds it, and people of valle-trompia whose permissions come from policies/policy.csv
// through a real Authorizer, as the authz.Actors middleware makes them.
type district struct {
	t     *testing.T
	db    *db.DB
	svc   *directory.Service
	authz *authz.Authorizer
	ctx   context.Context
	// The people, by role; aquilone and ponte are two partners' operators.
	udp, asst, linkWorker, assemblea, aquilone, ponte actor.Actor
}

func newDistrict(t testing.TB) *district {
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	a, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := directory.NewService(tenancy.NewScope(d))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dist := &district{db: d, svc: svc, authz: a}
	for _, x := range ts {
		if x.Slug == "valle-trompia" {
			dist.ctx = tenancy.WithTenant(ctx, x)
		}
	}
	person := func(id, name, org, role string) actor.Actor {
		if err := a.Grant(context.Background(), id, role, "valle-trompia", ""); err != nil {
			t.Fatal(err)
		}
		can := func(object, action string) bool {
			ok, err := a.Allowed(id, "valle-trompia", object, action)
			return err == nil && ok
		}
		return actor.New(id, name, org, "valle-trompia", a.Roles(id, "valle-trompia"), nil, can)
	}
	dist.udp = person("udp-1", "Ufficio di Piano", "", "udp")
	dist.asst = person("asst-1", "Referente ASST", "", "asst")
	dist.linkWorker = person("lw-1", "Link worker", "", "link_worker")
	dist.assemblea = person("ass-1", "Presidente", "", "assemblea")
	dist.aquilone = person("coop-1", "Operatrice Aquilone", "laquilone", "coop")
	dist.ponte = person("coop-2", "Operatore Ponte", "ilponte", "coop")
	return dist
}

// org creates an organisation linked to a partner code ("" for none).
func (d *district) org(t testing.TB, name, code string) directory.Organization {
	t.Helper()
	o := directory.Organization{Name: name, Description: "Organizzazione di prova"}
	if code != "" {
		o.PartnerCode = &code
	}
	o, err := d.svc.CreateOrganization(d.ctx, d.udp, o)
	noError(t, err)
	return o
}

// service creates a published, active service of org, verified today, with edit applied to
// the draft first.
func (d *district) service(t testing.TB, org directory.Organization, name string, edit ...func(*directory.ServiceRecord)) directory.ServiceRecord {
	t.Helper()
	r := directory.ServiceRecord{OrganizationID: org.ID, Name: name, Status: directory.Active, Published: true,
		AssuredDate: directory.Date(time.Now().Format(time.DateOnly))}
	for _, e := range edit {
		e(&r)
	}
	r, err := d.svc.CreateService(d.ctx, d.udp, r)
	noError(t, err)
	return r
}

// at puts the service in a comune (a physical location with one address).
func at(comune string) func(*directory.ServiceRecord) {
	return func(r *directory.ServiceRecord) {
		r.ServiceAtLocations = append(r.ServiceAtLocations, directory.ServiceAtLocation{Location: &directory.Location{
			LocationType: "physical", Name: "Sede di " + comune,
			Addresses: []directory.Address{{Address1: "Via Roma 1", City: comune, StateProvince: "BS", PostalCode: "25063"}},
		}})
	}
}

func wantCode(t testing.TB, err error, code apperr.Code, words ...string) *apperr.Error {
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

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	if e := wantCode(t, err, apperr.Invalid); e.Field != field {
		t.Errorf("error %q names field %q, want %q", e.Error(), e.Field, field)
	}
}

func noError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
