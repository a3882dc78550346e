// Package tenancytest provisions the demo districts on a fresh test database.
package tenancytest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/migrations"
)

// Definitions loads the shipped tenants/ folder; it must be valid.
func Definitions(tb testing.TB) tenancy.Definitions {
	tb.Helper()
	root, err := dbtest.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	defs, err := tenancy.LoadDefinitions(os.DirFS(filepath.Join(root, "tenants")), "tenants")
	if err != nil {
		tb.Fatalf("the shipped tenant files must be valid: %v", err)
	}
	return defs
}

// Provisioned returns a pool on a fresh database holding the three demo districts, its URL
// and the provisioner used.
func Provisioned(tb testing.TB, cfg db.Config) (*db.DB, string, *tenancy.Provisioner) {
	tb.Helper()
	return ProvisionedWith(tb, cfg, nil)
}

// ProvisionedWith is Provisioned with the definitions changed by edit first (for example to
// point the districts at a test identity provider).
func ProvisionedWith(tb testing.TB, cfg db.Config, edit func(*tenancy.Definitions)) (*db.DB, string, *tenancy.Provisioner) {
	tb.Helper()
	d, url := dbtest.Open(tb, cfg)
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant())
	defs := Definitions(tb)
	if edit != nil {
		edit(&defs)
	}
	if _, err := p.Sync(context.Background(), defs); err != nil {
		tb.Fatalf("sync: %v", err)
	}
	return d, url, p
}
