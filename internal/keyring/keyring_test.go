package keyring_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// vault is a fresh database with the demo districts and a Scope to reach them.
type vault struct {
	scope   *tenancy.Scope
	ctx     context.Context
	tenants map[string]tenancy.Tenant
	list    []tenancy.Tenant
}

func newVault(t *testing.T) *vault {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := &vault{scope: tenancy.NewScope(d), ctx: ctx, tenants: map[string]tenancy.Tenant{}, list: ts}
	for _, x := range ts {
		v.tenants[x.Slug] = x
	}
	return v
}

// in runs fn in a transaction of slug with a session of k.
func (v *vault) in(t *testing.T, slug string, k *keyring.Keyring, fn func(*tenancy.Tx, *keyring.Session) error) error {
	t.Helper()
	return v.scope.TxFor(v.ctx, v.tenants[slug], actor.System("keyring-test"), func(tx *tenancy.Tx) error {
		s, err := k.Session(tx)
		if err != nil {
			return err
		}
		return fn(tx, s)
	})
}

func (v *vault) must(t *testing.T, slug string, k *keyring.Keyring, fn func(*tenancy.Tx, *keyring.Session) error) {
	t.Helper()
	if err := v.in(t, slug, k, fn); err != nil {
		t.Fatal(err)
	}
}

// newMaster is a fresh random master key, as `openssl rand -base64 32` writes one.
func newMaster(t *testing.T) (keyring.Master, string) {
	t.Helper()
	b := make([]byte, keyring.KeySize)
	rand.Read(b)
	text := base64.StdEncoding.EncodeToString(b)
	m, err := keyring.ParseMaster(text + "\n")
	if err != nil {
		t.Fatal(err)
	}
	return m, text
}

const (
	anna  = "0b6f3c1e-6a43-4a55-8c1e-6f1f1d0e0a01"
	bruno = "0b6f3c1e-6a43-4a55-8c1e-6f1f1d0e0a02"
)

func TestSealedFieldsOpenOnlyForTheirPersonAndField(t *testing.T) {
	v := newVault(t)
	m, _ := newMaster(t)
	k := keyring.New(m)
	const plain = "Diagnosi: disturbo depressivo maggiore"
	var sealed []byte
	v.must(t, "valle-trompia", k, func(tx *tenancy.Tx, s *keyring.Session) error {
		if err := tx.Exec("CREATE TABLE probe (person uuid, note bytea)").Error; err != nil {
			return err
		}
		var err error
		if sealed, err = s.Seal(anna, "note", plain); err != nil {
			return err
		}
		if _, err := s.Seal(bruno, "note", "altro"); err != nil { // bruno has a key of his own
			return err
		}
		if got, err := s.Open(anna, "note", sealed); err != nil || got != plain {
			t.Errorf("round trip in the same session: %q, %v", got, err)
		}
		return tx.Exec("INSERT INTO probe VALUES (?, ?)", anna, sealed).Error
	})
	v.must(t, "valle-trompia", k, func(tx *tenancy.Tx, s *keyring.Session) error {
		var raw []byte
		if err := tx.Raw("SELECT note FROM probe").Row().Scan(&raw); err != nil {
			return err
		}
		if bytes.Contains(raw, []byte(plain)) || bytes.Contains(raw, []byte("depressivo")) {
			t.Error("the stored column holds the plaintext")
		}
		if got, err := s.Open(anna, "note", raw); err != nil || got != plain {
			t.Errorf("round trip through the database: %q, %v", got, err)
		}
		if _, err := s.Open(bruno, "note", raw); err == nil {
			t.Error("anna's value opens as bruno's")
		}
		if _, err := s.Open(anna, "diagnosis", raw); err == nil {
			t.Error("a value of field note opens as field diagnosis")
		}
		if empty, err := s.Seal(anna, "note", ""); err != nil || empty != nil {
			t.Errorf("an empty value sealed: %v, %v", empty, err)
		}
		return nil
	})
	// The same bytes in another district: another district key, another person key.
	v.must(t, "trento", k, func(_ *tenancy.Tx, s *keyring.Session) error {
		if _, err := s.Open(anna, "note", sealed); !keyring.IsShredded(err) {
			t.Errorf("anna's value in another district: %v, want no key", err)
		}
		return nil
	})
}

func TestAShreddedPersonsDataNoLongerOpens(t *testing.T) {
	v := newVault(t)
	m, _ := newMaster(t)
	k := keyring.New(m)
	var sealed []byte
	v.must(t, "valle-trompia", k, func(_ *tenancy.Tx, s *keyring.Session) (err error) {
		sealed, err = s.Seal(anna, "note", "segreto")
		return err
	})
	v.must(t, "valle-trompia", k, func(_ *tenancy.Tx, s *keyring.Session) error {
		if _, err := s.Open(anna, "note", sealed); err != nil { // cached in this session
			return err
		}
		if had, err := s.Shred(anna); err != nil || !had {
			t.Errorf("shred: %v, %v", had, err)
		}
		if _, err := s.Open(anna, "note", sealed); !errors.Is(err, keyring.ErrShredded) {
			t.Errorf("open after shred, same session: %v", err)
		}
		if had, err := s.Shred(anna); err != nil || had {
			t.Errorf("second shred: %v, %v", had, err)
		}
		return nil
	})
	// A copy saved before the erasure (an export, a backup of the data table) opens nowhere:
	// not with a new keyring on the same master, nor after the person gets a new key.
	fresh := keyring.New(m)
	v.must(t, "valle-trompia", fresh, func(_ *tenancy.Tx, s *keyring.Session) error {
		if _, err := s.Open(anna, "note", sealed); !keyring.IsShredded(err) {
			t.Errorf("open after shred, new keyring: %v", err)
		}
		if _, err := s.Seal(anna, "note", "nuovo"); err != nil {
			return err
		}
		if _, err := s.Open(anna, "note", sealed); err == nil || keyring.IsShredded(err) {
			t.Errorf("the old value opened with the person's new key: %v", err)
		}
		return nil
	})
}

func TestBlindIndexesMatchWithinADistrictOnly(t *testing.T) {
	v := newVault(t)
	m, _ := newMaster(t)
	k := keyring.New(m)
	blind := func(slug, purpose, value string) []byte {
		var h []byte
		v.must(t, slug, k, func(_ *tenancy.Tx, s *keyring.Session) (err error) {
			h, err = s.Blind(purpose, value)
			return err
		})
		return h
	}
	cf := "RSSMRA80A01H501U"
	a, b := blind("valle-trompia", "codice_fiscale", cf), blind("valle-trompia", "codice_fiscale", cf)
	if !bytes.Equal(a, b) || len(a) != 32 {
		t.Errorf("equal values, different blind indexes: %x %x", a, b)
	}
	if bytes.Equal(a, blind("valle-trompia", "codice_fiscale", "VRDLGU75B02F205X")) {
		t.Error("different values, equal blind indexes")
	}
	if bytes.Equal(a, blind("valle-trompia", "telefono", cf)) {
		t.Error("the same value for two purposes gives the same index")
	}
	if bytes.Equal(a, blind("trento", "codice_fiscale", cf)) {
		t.Error("two districts give the same index")
	}
}

func TestAnotherMasterKeyCannotOpenTheDistrictKey(t *testing.T) {
	v := newVault(t)
	m, _ := newMaster(t)
	other, _ := newMaster(t)
	v.must(t, "valle-trompia", keyring.New(m), func(_ *tenancy.Tx, s *keyring.Session) error {
		_, err := s.Seal(anna, "note", "x")
		return err
	})
	err := v.in(t, "valle-trompia", keyring.New(other), func(*tenancy.Tx, *keyring.Session) error { return nil })
	if err == nil || !strings.Contains(err.Error(), m.ID()) || !strings.Contains(err.Error(), "not loaded") {
		t.Errorf("session with another master key: %v, want a message naming %s", err, m.ID())
	}
}

func TestRotationRewrapsTheDistrictKeysOnly(t *testing.T) {
	v := newVault(t)
	old, _ := newMaster(t)
	next, _ := newMaster(t)
	sealed := map[string][]byte{}
	for _, slug := range []string{"valle-trompia", "trento"} { // terre-dargine has no key yet
		v.must(t, slug, keyring.New(old), func(_ *tenancy.Tx, s *keyring.Session) (err error) {
			sealed[slug], err = s.Seal(anna, "note", "prima della rotazione "+slug)
			return err
		})
	}
	// A server during the rotation: the new key current, the old one still accepted.
	serving := keyring.New(next, old)
	v.must(t, "trento", serving, func(*tenancy.Tx, *keyring.Session) error { return nil }) // caches the old wrapping

	got, err := keyring.Rotate(v.ctx, v.scope, v.list, old, next)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"valle-trompia": keyring.Rotated, "trento": keyring.Rotated, "terre-dargine": keyring.NoKey}
	for _, r := range got {
		if r.Outcome != want[r.District] {
			t.Errorf("%s: %q, want %q", r.District, r.Outcome, want[r.District])
		}
	}
	for slug, c := range sealed {
		for name, k := range map[string]*keyring.Keyring{"new key only": keyring.New(next), "serving": serving} {
			v.must(t, slug, k, func(tx *tenancy.Tx, s *keyring.Session) error {
				if p, err := s.Open(anna, "note", c); err != nil || p != "prima della rotazione "+slug {
					t.Errorf("%s, %s: %q, %v", slug, name, p, err)
				}
				var rotated *time.Time
				if err := tx.Raw("SELECT rotated_at FROM district_key").Scan(&rotated).Error; err != nil || rotated == nil {
					t.Errorf("%s: rotated_at %v, %v", slug, rotated, err)
				}
				return nil
			})
		}
		if err := v.in(t, slug, keyring.New(old), func(*tenancy.Tx, *keyring.Session) error { return nil }); err == nil {
			t.Errorf("%s: the old master key alone still opens the district key", slug)
		}
	}
	// Idempotent: a second run finds every district done.
	again, err := keyring.Rotate(v.ctx, v.scope, v.list, old, next)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.District != "terre-dargine" && r.Outcome != keyring.Already {
			t.Errorf("second run, %s: %q", r.District, r.Outcome)
		}
	}
	// A rotation from a key that wraps nothing here names the district and the keys.
	stranger, _ := newMaster(t)
	third, _ := newMaster(t)
	if _, err := keyring.Rotate(v.ctx, v.scope, v.list, stranger, third); err == nil || !strings.Contains(err.Error(), "valle-trompia") {
		t.Errorf("rotation from a foreign key: %v", err)
	}
}

func TestLoadMaster(t *testing.T) {
	m, text := newMaster(t)
	file := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(file, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]map[string]string{
		"variable": {"AMBITI_MASTER_KEY": text},
		"file":     {"AMBITI_MASTER_KEY_FILE": file},
		"both":     {"AMBITI_MASTER_KEY": text, "AMBITI_MASTER_KEY_FILE": "/nonexistent"},
	} {
		got, err := keyring.LoadMaster(func(k string) string { return env[k] }, "AMBITI_MASTER_KEY")
		if err != nil || got.ID() != m.ID() {
			t.Errorf("%s: %v (%s, want %s)", name, err, got.ID(), m.ID())
		}
	}
	if _, err := keyring.LoadMaster(func(string) string { return "" }, "AMBITI_MASTER_KEY"); !errors.Is(err, keyring.ErrNoMaster) {
		t.Errorf("nothing set: %v", err)
	}
	for _, bad := range []string{"short", base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, err := keyring.ParseMaster(bad); err == nil {
			t.Errorf("%q accepted as a master key", bad)
		}
	}
}

// Preload unwraps many people's keys at once: their fields open as before, a shredded person
// stays shredded, and a person not yet known is not given a key by it.
func TestPreloadOpensManyPeopleAndKeepsTheShreddedShredded(t *testing.T) {
	v := newVault(t)
	m, _ := newMaster(t)
	k := keyring.New(m)
	const bruno, carla, nobody = "00000000-0000-0000-0000-0000000000b2", "00000000-0000-0000-0000-0000000000c3", "00000000-0000-0000-0000-0000000000d4"
	sealed := map[string][]byte{}
	v.must(t, "valle-trompia", k, func(_ *tenancy.Tx, s *keyring.Session) error {
		for _, p := range []string{anna, bruno, carla} {
			b, err := s.Seal(p, "note", "di "+p)
			if err != nil {
				return err
			}
			sealed[p] = b
		}
		_, err := s.Shred(carla)
		return err
	})
	v.must(t, "valle-trompia", keyring.New(m), func(_ *tenancy.Tx, s *keyring.Session) error {
		if err := s.Preload([]string{anna, bruno, carla, nobody, anna}); err != nil {
			return err
		}
		for _, p := range []string{anna, bruno} {
			if got, err := s.Open(p, "note", sealed[p]); err != nil || got != "di "+p {
				t.Errorf("open %s after preload: %q, %v", p, got, err)
			}
		}
		if _, err := s.Open(carla, "note", sealed[carla]); !keyring.IsShredded(err) {
			t.Errorf("a shredded person after preload: %v", err)
		}
		if _, err := s.Open(nobody, "note", sealed[anna]); !keyring.IsShredded(err) {
			t.Errorf("a person with no key after preload: %v", err)
		}
		return s.Preload(nil)
	})
}
