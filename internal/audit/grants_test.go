package audit_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/migrations"
)

// The application's database role, as docs/operations.md describes it: not the owner of the
// district's tables, holding on the trail only what the platform uses (SELECT, INSERT on
// audit_log; SELECT, UPDATE on audit_head). It writes the trail, and PostgreSQL itself refuses
// it any change to written rows, before the triggers are even asked; nor may it turn them off.
func TestTheApplicationRoleCanAppendButNotChangeTheTrail(t *testing.T) {
	tr := newTrail(t)
	tr.access(t, "valle-trompia", "p-1", 1)
	schema, _ := tenancy.SchemaName("valle-trompia")
	role := fmt.Sprintf("ambiti_app_test_%d", time.Now().UnixNano())
	rollback := errors.New("rollback: the role lives only in this transaction")
	err := tr.d.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		for _, s := range []string{
			"CREATE ROLE " + role + " NOLOGIN",
			"GRANT USAGE ON SCHEMA " + schema + " TO " + role,
			"GRANT SELECT, INSERT ON audit_log TO " + role,
			"GRANT SELECT, UPDATE ON audit_head TO " + role,
			"SET LOCAL ROLE " + role,
		} {
			if err := g.Exec(s).Error; err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		tx := &tenancy.Tx{DB: g, District: tr.tenants["valle-trompia"], Actor: tr.worker}
		if err := (audit.Writer{}).WriteAudit(tx, []tenancy.Access{{Subject: "p-1", What: "persona", Action: "read"}}); err != nil {
			t.Errorf("the application role cannot write the trail: %v", err)
		}
		for _, s := range []string{
			"UPDATE audit_log SET what = 'altro' WHERE seq = 1",
			"DELETE FROM audit_log WHERE seq = 1",
			"TRUNCATE audit_log",
			"ALTER TABLE audit_log DISABLE TRIGGER USER",
			"SET LOCAL session_replication_role = replica",
		} {
			g.Exec("SAVEPOINT attempt")
			err := g.Exec(s).Error
			g.Exec("ROLLBACK TO SAVEPOINT attempt")
			if err == nil || !(strings.Contains(err.Error(), "permission denied") || strings.Contains(err.Error(), "must be owner")) {
				t.Errorf("%s as the application role: %v, want permission denied", s, err)
			}
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
}

// A deployment granting its application role everything on every table (ALTER DEFAULT
// PRIVILEGES, as docs/operations.md shows) gets it on audit_log too; tenant migration 00008
// takes back all but SELECT, INSERT there and SELECT, UPDATE on audit_head.
func TestMigration00008TakesBackWhatWouldChangeTheTrail(t *testing.T) {
	tr := newTrail(t)
	b, err := fs.ReadFile(migrations.Tenant(), "00008_audit_grants.sql")
	if err != nil {
		t.Fatal(err)
	}
	up := string(b)
	up = up[strings.Index(up, "-- +goose StatementBegin"):strings.Index(up, "-- +goose StatementEnd")]
	schema, _ := tenancy.SchemaName("valle-trompia")
	role := fmt.Sprintf("ambiti_app_test_%d", time.Now().UnixNano())
	rollback := errors.New("rollback: the role lives only in this transaction")
	err = tr.d.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		for _, s := range []string{
			"CREATE ROLE " + role + " NOLOGIN",
			"GRANT ALL ON audit_log, audit_head, probe TO " + role,
			up,
		} {
			if err := g.Exec(s).Error; err != nil {
				t.Fatalf("%.60s: %v", s, err)
			}
		}
		for _, c := range []struct {
			table, privilege string
			held             bool
		}{
			{"audit_log", "SELECT", true}, {"audit_log", "INSERT", true},
			{"audit_log", "UPDATE", false}, {"audit_log", "DELETE", false}, {"audit_log", "TRUNCATE", false},
			{"audit_head", "SELECT", true}, {"audit_head", "UPDATE", true},
			{"audit_head", "DELETE", false}, {"audit_head", "INSERT", false},
			{"probe", "DELETE", true}, // other tables keep what the deployment granted
		} {
			var held bool
			if err := g.Raw("SELECT has_table_privilege(?, ?, ?)", role, c.table, c.privilege).Scan(&held).Error; err != nil {
				t.Fatal(err)
			}
			if held != c.held {
				t.Errorf("%s on %s: held %v, want %v", c.privilege, c.table, held, c.held)
			}
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
}
