package pathway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/policies"
)

// room is a fresh database with the demo districts, the pathway service as cmd/ambiti builds
// it (audited scope, keyring with a fixed test master key), and people of valle-trompia whose
// permissions come from policies/policy.csv through a real Authorizer.
type room struct {
	db   *db.DB
	svc  *pathway.Service
	keys *keyring.Keyring // the service's, for tests that seal rows as the records part does
	ctx  context.Context
	// The people, by role: two link workers, the coordinator, health staff, the Ufficio di
	// Piano, the Assemblea, the data protection officer, a partner's operator.
	lw1, lw2, coord, asst, udp, assemblea, dpo, coop actor.Actor
}

// roomDistrict is where the tests' people work; roomComune one of its municipalities.
const (
	roomDistrict = "valle-trompia"
	roomComune   = "Bovezzo"
)

// roomStaff is the staff directory the tests give the service: the two link workers.
type roomStaff []pathway.Worker

func (s roomStaff) LinkWorkers(context.Context) ([]pathway.Worker, error) {
	return append([]pathway.Worker(nil), s...), nil
}

// roomBase is what every test of the room starts from: a fresh copy of the demo districts,
// the pathway service as cmd/ambiti builds it (audited scope, keyring with a fixed test master
// key, the clock now) on valle-trompia, and the real policy to make people with.
type roomBase struct {
	db     *db.DB
	url    string // the test database, for pg_dump
	scope  *tenancy.Scope
	master keyring.Master
	keys   *keyring.Keyring
	svc    *pathway.Service
	ctx    context.Context
	tenant tenancy.Tenant
	az     *authz.Authorizer
}

// roomMasterKey is the tests' master key (32 bytes, base64).
const roomMasterKey = "dGVzdC1tYXN0ZXIta2V5LWZvci1hbWJpdGktdGVzdHM="

func newRoomBase(t testing.TB, now func() time.Time) *roomBase {
	t.Helper()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	az, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	master, err := keyring.ParseMaster(roomMasterKey)
	if err != nil {
		t.Fatal(err)
	}
	b := &roomBase{db: d, url: url, scope: tenancy.NewScope(d).Audited(audit.Writer{}), master: master, keys: keyring.New(master), az: az}
	if b.svc, err = pathway.NewService(b.scope, b.keys, now); err != nil {
		t.Fatal(err)
	}
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Slug == roomDistrict {
			b.tenant, b.ctx = x, tenancy.WithTenant(actor.WithRequestID(ctx, "req-test"), x)
		}
	}
	return b
}

// person grants role in the district to id and returns them as the request chain would.
func (b *roomBase) person(t testing.TB, id, name, role string) actor.Actor {
	t.Helper()
	if err := b.az.Grant(context.Background(), id, role, roomDistrict, ""); err != nil {
		t.Fatal(err)
	}
	can := func(object, action string) bool {
		ok, err := b.az.Allowed(id, roomDistrict, object, action)
		return err == nil && ok
	}
	return actor.New(id, name, "", roomDistrict, b.az.Roles(id, roomDistrict), nil, can)
}

func newRoom(t testing.TB) *room {
	t.Helper()
	b := newRoomBase(t, nil)
	r := b.room(t)
	b.svc.WithStaff(roomStaff{{ID: "lw-1", Name: "Lucia Link"}, {ID: "lw-2", Name: "Marco Link"}})
	return r
}

// room enrols the district's cast: two link workers, the coordinator, health staff, the
// Ufficio di Piano, the Assemblea, the DPO and a cooperative's user without an organisation.
func (b *roomBase) room(t testing.TB) *room {
	t.Helper()
	r := &room{db: b.db, svc: b.svc, keys: b.keys, ctx: b.ctx}
	r.lw1 = b.person(t, "lw-1", "Lucia Link", "link_worker")
	r.lw2 = b.person(t, "lw-2", "Marco Link", "link_worker")
	r.coord = b.person(t, "coord-1", "Carla Coordinatrice", "coordinatore")
	r.asst = b.person(t, "asst-1", "Referente ASST", "asst")
	r.udp = b.person(t, "udp-1", "Ufficio di Piano", "udp")
	r.assemblea = b.person(t, "ass-1", "Presidente", "assemblea")
	r.dpo = b.person(t, "dpo-1", "Responsabile protezione dati", "dpo")
	r.coop = b.person(t, "coop-1", "Operatrice", "coop")
	return r
}

// roomCF makes a valid codice fiscale from its first 15 characters.
func roomCF(first15 string) string { return first15 + string(pathway.CFControl(first15)) }

// roomYoung is a new person of COPE age (20), with a codice fiscale when cf is not "".
func roomYoung(given, family, cf string) *pathway.PersonInput {
	return &pathway.PersonInput{GivenName: given, FamilyName: family, CodiceFisc: cf,
		BirthDate: time.Now().AddDate(-20, 0, 0).Format(time.DateOnly), Sex: "F", Municipality: roomComune, Language: "it",
		Contacts: pathway.Contacts{Phone: "+39 333 000 0000"}}
}

// roomToday is today's date as the API takes it.
func roomToday() string { return time.Now().Format(time.DateOnly) }

// copeInput opens a COPE pathway for person (new).
func copeInput(person *pathway.PersonInput) pathway.OpenInput {
	return pathway.OpenInput{Person: person, Programme: "cope", Source: "scuola", EngagedOn: roomToday(),
		NEETStart: "nessuno", NoticeVersion: "2026-01"}
}

// openCOPE opens a COPE pathway for a new person as a.
func (r *room) openCOPE(t testing.TB, a actor.Actor, given, family, cf string) pathway.Pathway {
	t.Helper()
	p, err := r.svc.OpenPathway(r.ctx, a, copeInput(roomYoung(given, family, cf)))
	roomNoError(t, err)
	return p
}

// sql runs fn as the test's superuser connection in the district's schema.
func (r *room) sql(t testing.TB, fn func(g *gorm.DB) error) {
	t.Helper()
	schema, _ := tenancy.SchemaName(roomDistrict)
	if err := r.db.InSchema(context.Background(), schema, fn); err != nil {
		t.Fatal(err)
	}
}

// count is a count(*) of table in the district, under a condition.
func (r *room) count(t testing.TB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	r.sql(t, func(g *gorm.DB) error { return g.Table(table).Where(where, args...).Count(&n).Error })
	return n
}

func roomNoError(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// roomWantCode checks err's code and, when given, its field and words of its message.
func roomWantCode(t testing.TB, err error, code apperr.Code, field string, words ...string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if field != "" && e.Field != field {
		t.Errorf("error %v names field %q, want %q", e, e.Field, field)
	}
	for _, w := range words {
		if !strings.Contains(e.MessageEN, w) && !strings.Contains(e.Message, w) {
			t.Errorf("error %q does not say %q", e.Error(), w)
		}
	}
	return e
}
