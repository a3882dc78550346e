package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// testMasterKey is the master key of the tests' servers: base64 of 32 bytes.
const testMasterKey = "YW1iaXRpLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE="

const otherMasterKey = "b3RoZXItdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE="

func TestServeRefusesToStartWithoutAMasterKey(t *testing.T) {
	t.Parallel()
	out, err := ambiti(t, map[string]string{"DATABASE_URL": "postgres://unreachable.invalid/x"}, "serve")
	if err == nil || !strings.Contains(err.Error(), "AMBITI_MASTER_KEY") || !strings.Contains(err.Error(), "chiave master") {
		t.Errorf("serve without a master key: %v\n%s", err, out)
	}
	_, err = ambiti(t, map[string]string{"DATABASE_URL": "postgres://x", "AMBITI_MASTER_KEY": "not a key"}, "serve")
	if err == nil || !strings.Contains(err.Error(), "base64") {
		t.Errorf("serve with a malformed master key: %v", err)
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx := context.Background()
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var valle tenancy.Tenant
	for _, x := range ts {
		if x.Slug == "valle-trompia" {
			valle = x
		}
	}
	scope := tenancy.NewScope(d).Audited(audit.Writer{})
	worker := actor.New("lw-1", "Link worker", "", "valle-trompia", []string{"link_worker"}, nil, nil)
	for range 3 {
		if err := scope.TxFor(ctx, valle, worker, func(tx *tenancy.Tx) error {
			tx.Audit(tenancy.Access{Subject: "p-1", What: "persona", Action: "read"})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"DATABASE_URL": url}
	out, err := ambiti(t, env, "audit", "verify")
	if err != nil || !strings.Contains(out, "ok valle-trompia 3 righe") || !strings.Contains(out, "ok trento 0 righe") {
		t.Errorf("audit verify (%v):\n%s", err, out)
	}
	out, err = ambiti(t, env, "audit", "verify", "--district", "valle-trompia")
	if err != nil || strings.Count(out, "\n") != 1 {
		t.Errorf("audit verify --district (%v):\n%s", err, out)
	}
	if _, err := ambiti(t, env, "audit", "verify", "--district=nessuno"); err == nil {
		t.Error("audit verify of an unknown district succeeded")
	}
	// A superuser removes the middle row behind the triggers' back.
	schema, _ := tenancy.SchemaName("valle-trompia")
	if err := d.InSchema(ctx, schema, func(g *gorm.DB) error {
		return errors.Join(g.Exec("SET LOCAL session_replication_role = replica").Error, g.Exec("DELETE FROM audit_log WHERE seq = 2").Error)
	}); err != nil {
		t.Fatal(err)
	}
	out, err = ambiti(t, env, "audit", "verify")
	if err == nil || !strings.Contains(out, "valle-trompia seq 2") || !strings.Contains(err.Error(), "valle-trompia (seq 2)") || !strings.Contains(out, "ok trento") {
		t.Errorf("audit verify of a broken chain (%v):\n%s", err, out)
	}
}

func TestKeysRotateCommand(t *testing.T) {
	t.Parallel()
	d, url, _ := tenancytest.Provisioned(t, db.Config{})
	ctx := context.Background()
	ts, err := tenancy.NewRegistry(d, 0).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := keyring.ParseMaster(testMasterKey)
	next, _ := keyring.ParseMaster(otherMasterKey)
	scope := tenancy.NewScope(d)
	const person = "5d0c1a7e-0000-4000-8000-000000000001"
	var sealed []byte
	inValle := func(k *keyring.Keyring, fn func(*keyring.Session) error) error {
		for _, x := range ts {
			if x.Slug == "valle-trompia" {
				return scope.TxFor(ctx, x, actor.System("test"), func(tx *tenancy.Tx) error {
					s, err := k.Session(tx)
					if err != nil {
						return err
					}
					return fn(s)
				})
			}
		}
		return errors.New("no valle-trompia")
	}
	if err := inValle(keyring.New(old), func(s *keyring.Session) (err error) {
		sealed, err = s.Seal(person, "note", "riservato")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if out, err := ambiti(t, map[string]string{"DATABASE_URL": url, "AMBITI_MASTER_KEY": otherMasterKey}, "keys", "rotate"); err == nil {
		t.Errorf("keys rotate without the old key:\n%s", out)
	}
	env := map[string]string{"DATABASE_URL": url, "AMBITI_MASTER_KEY": otherMasterKey, "AMBITI_MASTER_KEY_PREVIOUS": testMasterKey}
	out, err := ambiti(t, env, "keys", "rotate")
	if err != nil || !strings.Contains(out, "valle-trompia: rotated") || !strings.Contains(out, "trento: no key") {
		t.Errorf("keys rotate (%v):\n%s", err, out)
	}
	out, err = ambiti(t, env, "keys", "rotate")
	if err != nil || !strings.Contains(out, "valle-trompia: already") {
		t.Errorf("keys rotate again (%v):\n%s", err, out)
	}
	if err := inValle(keyring.New(next), func(s *keyring.Session) error {
		p, err := s.Open(person, "note", sealed)
		if err == nil && p != "riservato" {
			err = errors.New("opened as " + p)
		}
		return err
	}); err != nil {
		t.Errorf("after the rotation, with the new key only: %v", err)
	}
}
