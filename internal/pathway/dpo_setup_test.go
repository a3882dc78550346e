package pathway_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/policies"
)

const dpoSlug = "valle-trompia"

// dpoDistrict is a fresh database, the service on Valle Trompia and actors of the real policy.
type dpoDistrict struct {
	url    string // the test database, for pg_dump
	scope  *tenancy.Scope
	master keyring.Master
	svc    *pathway.Service
	ctx    context.Context
	tenant tenancy.Tenant
	now    time.Time

	dpo, coordinatore, linkWorker actor.Actor
}

func dpoNewDistrict(t *testing.T) *dpoDistrict {
	t.Helper()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	az, err := authz.New(ctx, d, policies.Model, policies.Policy, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := keyring.ParseMaster("dGVzdC1tYXN0ZXIta2V5LWZvci1hbWJpdGktdGVzdHM=")
	if err != nil {
		t.Fatal(err)
	}
	x := &dpoDistrict{url: url, scope: tenancy.NewScope(d).Audited(audit.Writer{}), master: m, now: time.Now()}
	x.svc, err = pathway.NewService(x.scope, keyring.New(m), func() time.Time { return x.now })
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range ts {
		if tn.Slug == dpoSlug {
			x.tenant = tn
			x.ctx = tenancy.WithTenant(ctx, tn)
		}
	}
	person := func(id, name, role string) actor.Actor {
		if err := az.Grant(context.Background(), id, role, dpoSlug, ""); err != nil {
			t.Fatal(err)
		}
		can := func(object, action string) bool {
			ok, err := az.Allowed(id, dpoSlug, object, action)
			return err == nil && ok
		}
		return actor.New(id, name, "", dpoSlug, az.Roles(id, dpoSlug), nil, can)
	}
	x.dpo = person("dpo-1", "Responsabile protezione dati", "dpo")
	x.coordinatore = person("coord-1", "Coordinatrice", "coordinatore")
	x.linkWorker = person("lw-1", "Link worker", "link_worker")
	return x
}

// dpoFixture is a person written straight into the tables, sealed as the product seals them,
// with a consent, a COPE pathway and a meeting with notes.
type dpoFixture struct {
	PersonID, PathwayID, MeetingID  string
	Given, Family, CF, Phone, Email string
	Notes, Notice                   string
}

// dpoCF makes a valid codice fiscale from 15 characters.
func dpoCF(first15 string) string { return first15 + string(pathway.CFControl(first15)) }

// dpoPerson writes the fixture; closedOn "" leaves the pathway open.
func (x *dpoDistrict) dpoPerson(t *testing.T, given, family, cf15, closedOn string) dpoFixture {
	t.Helper()
	f := dpoFixture{PersonID: uuid.NewString(), PathwayID: uuid.NewString(), MeetingID: uuid.NewString(),
		Given: given, Family: family, CF: dpoCF(cf15), Phone: "+39 333 123 4567", Email: given + ".prova@example.org",
		Notes: "Colloquio con " + given + ": ansia per il lavoro", Notice: "informativa-cope-2026-01"}
	err := x.scope.TxFor(x.ctx, x.tenant, actor.System("dpo-test"), func(tx *tenancy.Tx) error {
		k, err := keyring.New(x.master).Session(tx)
		if err != nil {
			return err
		}
		seal := func(field, v string) []byte {
			b, serr := k.Seal(f.PersonID, field, v)
			if serr != nil {
				t.Fatal(serr)
			}
			return b
		}
		blind, err := k.Blind("codice_fiscale", pathway.NormalizeCF(f.CF))
		if err != nil {
			return err
		}
		contacts, _ := json.Marshal(pathway.Contacts{Phone: f.Phone, Email: f.Email, Address: "Via dei Prova 1"})
		if err := tx.Exec(`INSERT INTO persons (id, cf_blind, given_name_enc, family_name_enc, cf_enc, birth_date_enc,
			contacts_enc, sex, language, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'F', 'it', 'lw-1')`, f.PersonID, blind,
			seal("given_name_enc", given), seal("family_name_enc", family), seal("cf_enc", f.CF),
			seal("birth_date_enc", "2004-03-15"), seal("contacts_enc", string(contacts))).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO consents (person_id, purpose, given, notice_version, recorded_by, recorded_by_name)
			VALUES (?, 'trattamento', true, ?, 'lw-1', 'Link worker')`, f.PersonID, f.Notice).Error; err != nil {
			return err
		}
		var closed any
		reason := ""
		if closedOn != "" {
			closed, reason = closedOn, "obiettivi_raggiunti"
		}
		if err := tx.Exec(`INSERT INTO pathways (id, person_id, programme, stage, source, engaged_on, assigned_to,
			assigned_name, closed_on, closure_reason) VALUES (?, ?, 'cope', 'aggancio', '', '2019-01-10', 'lw-1',
			'Link worker', ?, ?)`, f.PathwayID, f.PersonID, closed, reason).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO pathway_meetings (id, pathway_id, held_on, kind, notes_enc, recorded_by,
			recorded_by_name) VALUES (?, ?, '2019-02-01', 'incontro', ?, 'lw-1', 'Link worker')`,
			f.MeetingID, f.PathwayID, seal("notes_enc", f.Notes)).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// dpoRaw reads one bytea column of one row, as a backup would hold it.
func (x *dpoDistrict) dpoRaw(t *testing.T, table, column, id string) []byte {
	t.Helper()
	var b []byte
	err := x.scope.TxFor(x.ctx, x.tenant, actor.System("dpo-test"), func(tx *tenancy.Tx) error {
		return tx.Raw("SELECT "+column+" FROM "+table+" WHERE id = ?", id).Row().Scan(&b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
