// Package tenancytest provisions the demo districts on a fresh test database.
package tenancytest

import (
	"context"
	"fmt"
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
	defs, err := loadDefinitions(root)
	if err != nil {
		tb.Fatalf("the shipped tenant files must be valid: %v", err)
	}
	return defs
}

func loadDefinitions(root string) (tenancy.Definitions, error) {
	return tenancy.LoadDefinitions(os.DirFS(filepath.Join(root, "tenants")), "tenants")
}

// Provisioned returns a pool on a fresh database holding the three demo districts, its URL
// and a provisioner for it. The database is a copy of a template provisioned once per cluster
// (the platform and district migrations, then Provisioner.Sync of the shipped definitions), so
// it holds exactly what provisioning it would write; everything Sync produces lives in the
// database (the provisioner keeps no state, the registry and Casbin read the tables).
func Provisioned(tb testing.TB, cfg db.Config) (*db.DB, string, *tenancy.Provisioner) {
	tb.Helper()
	d, url := dbtest.OpenClone(tb, cfg, demoTemplate(tb))
	return d, url, tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant())
}

// ProvisionedWith is Provisioned with the definitions changed by edit first (for example to
// point the districts at a test identity provider). A nil edit is Provisioned. Any other edit
// takes the slow path, migrating and syncing a fresh empty database (several times the cost of
// a copy, see docs/benchmarks.md): a function cannot key a template, and syncing the edit over
// a copy would differ from provisioning it (districts the edit removes would stay).
func ProvisionedWith(tb testing.TB, cfg db.Config, edit func(*tenancy.Definitions)) (*db.DB, string, *tenancy.Provisioner) {
	tb.Helper()
	if edit == nil {
		return Provisioned(tb, cfg)
	}
	d, url := dbtest.Open(tb, cfg)
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant())
	defs := Definitions(tb)
	edit(&defs)
	if _, err := p.Sync(context.Background(), defs); err != nil {
		tb.Fatalf("sync: %v", err)
	}
	return d, url, p
}

// demoTemplate is the template Provisioned copies, keyed by everything its build reads or
// runs: a change to any of it builds a new template instead of copying a stale one.
func demoTemplate(tb testing.TB) dbtest.Template {
	tb.Helper()
	root, err := dbtest.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	key, err := demoKey(root)
	if err != nil {
		tb.Fatal(err)
	}
	return dbtest.Template{
		Family: "demo",
		Key:    key,
		Build: func(ctx context.Context, url string) error {
			defs, err := loadDefinitions(root)
			if err != nil {
				return fmt.Errorf("tenancytest: the shipped tenant files must be valid: %w", err)
			}
			return provision(ctx, url, defs)
		},
	}
}

// demoKey digests the migrations, the tenant files, and the source that turns them into
// tables and rows (the db and tenancy packages, this one, the module's dependency versions).
func demoKey(root string) (string, error) {
	platform, err := dbtest.Digest(migrations.Platform(), "*")
	if err != nil {
		return "", err
	}
	tenant, err := dbtest.Digest(migrations.Tenant(), "*")
	if err != nil {
		return "", err
	}
	source, err := dbtest.Digest(os.DirFS(root), "go.mod", "tenants/*", "tenants/*/*",
		"internal/db/*.go", "internal/tenancy/*.go", "internal/tenancy/tenancytest/*.go")
	if err != nil {
		return "", err
	}
	return "platform " + platform + "\ntenant " + tenant + "\nsource " + source, nil
}

// provision migrates the empty database at url and syncs defs into it, closing its pool
// before returning so that the database can serve as a template.
func provision(ctx context.Context, url string, defs tenancy.Definitions) error {
	d, err := db.Open(ctx, db.Config{URL: url})
	if err != nil {
		return fmt.Errorf("tenancytest: %w", err)
	}
	defer d.Close()
	p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant())
	if _, err := p.Sync(ctx, defs); err != nil {
		return fmt.Errorf("tenancytest: sync: %w", err)
	}
	return nil
}
