package pathway_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

const dpoSlug = roomDistrict

// dpoDistrict is a fresh database, the service on Valle Trompia (its clock at now, which a
// test may move) and actors of the real policy.
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
	x := &dpoDistrict{now: time.Now()}
	b := newRoomBase(t, func() time.Time { return x.now })
	x.url, x.scope, x.master, x.svc, x.ctx, x.tenant = b.url, b.scope, b.master, b.svc, b.ctx, b.tenant
	x.dpo = b.person(t, "dpo-1", "Responsabile protezione dati", "dpo")
	x.coordinatore = b.person(t, "coord-1", "Coordinatrice", "coordinatore")
	x.linkWorker = b.person(t, "lw-1", "Link worker", "link_worker")
	return x
}

// dpoFixture is a person written straight into the tables, sealed as the product seals them,
// with a consent, a COPE pathway and a meeting with notes.
type dpoFixture struct {
	PersonID, PathwayID, MeetingID  string
	Given, Family, CF, Phone, Email string
	Notes, Notice                   string
}

// dpoPerson writes the fixture; closedOn "" leaves the pathway open.
func (x *dpoDistrict) dpoPerson(t *testing.T, given, family, cf15, closedOn string) dpoFixture {
	t.Helper()
	f := dpoFixture{PersonID: uuid.NewString(), PathwayID: uuid.NewString(), MeetingID: uuid.NewString(),
		Given: given, Family: family, CF: roomCF(cf15), Phone: "+39 333 123 4567", Email: given + ".prova@example.org",
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
