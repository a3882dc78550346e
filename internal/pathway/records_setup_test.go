package pathway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// recDistrict is a fresh database with the demo districts, the pathway service as cmd/ambiti
// builds it (audited scope, keyring), and people of valle-trompia whose permissions come from
// policies/policy.csv. People and pathways are inserted directly (the core's use cases are
// another part of the room), with a given consent to the pathway.
type recDistrict struct {
	db    *db.DB
	svc   *pathway.Service
	keys  *keyring.Keyring
	ctx   context.Context
	scope *tenancy.Scope
	// lw and lw2 are link workers, coord the coordinator, asst health staff.
	lw, lw2, coord, asst, udp, assemblea actor.Actor
}

func recNew(t *testing.T) *recDistrict {
	t.Helper()
	b := newRoomBase(t, nil)
	rd := &recDistrict{db: b.db, svc: b.svc, keys: b.keys, ctx: b.ctx, scope: tenancy.NewScope(b.db)}
	rd.lw = b.person(t, "lw-1", "Link worker Uno", "link_worker")
	rd.lw2 = b.person(t, "lw-2", "Link worker Due", "link_worker")
	rd.coord = b.person(t, "coord-1", "Coordinatrice", "coordinatore")
	rd.asst = b.person(t, "asst-1", "Referente ASST", "asst")
	rd.udp = b.person(t, "udp-1", "Ufficio di Piano", "udp")
	rd.assemblea = b.person(t, "ass-1", "Presidente", "assemblea")
	return rd
}

// recTx runs fn in a district transaction of the test itself (no audit: fixtures and checks).
func (d *recDistrict) recTx(t *testing.T, fn func(tx *tenancy.Tx) error) {
	t.Helper()
	if err := d.scope.Tx(d.ctx, actor.System("test"), fn); err != nil {
		t.Fatal(err)
	}
}

// recPerson inserts a person born on birth ("" for unknown) with a given consent to the
// pathway, and returns their id.
func (d *recDistrict) recPerson(t *testing.T, birth string) string {
	t.Helper()
	id := uuid.NewString()
	d.recTx(t, func(tx *tenancy.Tx) error {
		ks, err := d.keys.Session(tx)
		if err != nil {
			return err
		}
		name, err := ks.Seal(id, "given_name_enc", "Persona Di Prova")
		if err != nil {
			return err
		}
		born, err := ks.Seal(id, "birth_date_enc", birth)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO persons (id, given_name_enc, birth_date_enc, created_by) VALUES (?, ?, ?, 'test')`,
			id, name, born).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO consents (person_id, purpose, given, notice_version, recorded_by, recorded_by_name)
			VALUES (?, 'trattamento', true, 'v1', 'test', 'test')`, id).Error
	})
	return id
}

// recPathway inserts a pathway of person in programme, assigned to who, and returns its id.
func (d *recDistrict) recPathway(t *testing.T, person, programme string, who actor.Actor) string {
	t.Helper()
	id := uuid.NewString()
	stage := map[string]string{"cope": "valutazione", "vmd": "valutazione"}[programme]
	d.recTx(t, func(tx *tenancy.Tx) error {
		return tx.Exec(`INSERT INTO pathways (id, person_id, programme, stage, engaged_on, assigned_to, assigned_name)
			VALUES (?, ?, ?, ?, current_date - 30, ?, ?)`, id, person, programme, stage, who.ID, who.Name).Error
	})
	return id
}

// recCount is a count(*) query in the district.
func (d *recDistrict) recCount(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	d.recTx(t, func(tx *tenancy.Tx) error { return tx.Raw(q, args...).Scan(&n).Error })
	return n
}

// recAudited counts the audit rows of person for what and action.
func (d *recDistrict) recAudited(t *testing.T, person, what, action string) int64 {
	t.Helper()
	return d.recCount(t, `SELECT count(*) FROM audit_log WHERE subject = ? AND what = ? AND action = ?`, person, what, action)
}

// recDay is today moved by days, as "YYYY-MM-DD" (Europe/Rome).
func recDay(days int) string {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		rome = time.UTC
	}
	return time.Now().In(rome).AddDate(0, 0, days).Format(time.DateOnly)
}

// recYearsAgo is the date years ago (minus a day, so the birthday has passed).
func recYearsAgo(years int) string {
	return time.Now().AddDate(-years, 0, -2).Format(time.DateOnly)
}

func recNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// recWant checks err's code and, for Invalid, the field it names.
func recWant(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if field != "" && e.Field != field {
		t.Fatalf("error %v names field %q, want %q", err, e.Field, field)
	}
	if strings.TrimSpace(e.Message) == "" {
		t.Fatalf("error %v without a message", err)
	}
}

func recInt(n int) *int { return &n }
