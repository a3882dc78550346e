package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/migrations"
)

// withDB opens a small pool for an administrative command, runs fn and closes the pool.
func withDB(ctx context.Context, c config, fn func(*db.DB) error) error {
	d, err := db.Open(ctx, db.Config{URL: c.DatabaseURL, DirectURL: c.DirectDatabaseURL, MaxOpenConns: 4})
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

// withTenants is withDB with the list of provisioned districts.
func withTenants(ctx context.Context, c config, fn func(*db.DB, []tenancy.Tenant) error) error {
	return withDB(ctx, c, func(d *db.DB) error {
		tenants, err := tenancy.NewRegistry(d, 0).List(ctx)
		if err != nil {
			return err
		}
		return fn(d, tenants)
	})
}

// onlyDistrict narrows tenants to the one named by a command's --district flag ("" keeps all).
func onlyDistrict(tenants []tenancy.Tenant, district, command string) ([]tenancy.Tenant, error) {
	if district == "" {
		return tenants, nil
	}
	i := slices.IndexFunc(tenants, func(t tenancy.Tenant) bool { return t.Slug == district })
	if i < 0 {
		return nil, fmt.Errorf("%s: nessun distretto %q / no district %q", command, district, district)
	}
	return tenants[i : i+1], nil
}

// provision runs fn with a provisioner and prints what it reports, failed or not; on a
// terminal, a progress line on stderr while it runs.
func provision(ctx context.Context, c config, stdout, stderr io.Writer, fn func(*tenancy.Provisioner) ([]tenancy.Result, error)) error {
	return withDB(ctx, c, func(d *db.DB) error {
		bar := newProgressBar(stderr)
		p := tenancy.NewProvisioner(d, migrations.Platform(), migrations.Tenant()).WithWorkers(c.Workers).WithProgress(bar.report)
		results, err := fn(p)
		bar.finish()
		printResults(stdout, results)
		return err
	})
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	err = provision(ctx, c, stdout, stderr, func(p *tenancy.Provisioner) ([]tenancy.Result, error) {
		plat, err := p.MigratePlatform(ctx)
		if err != nil {
			return []tenancy.Result{plat}, err
		}
		tenants, err := p.MigrateTenants(ctx)
		return append([]tenancy.Result{plat}, tenants...), err
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func tenantsSync(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("tenants sync", args, getenv, stderr)
	if err != nil {
		return err
	}
	// Every file is read and checked before the database is touched: one bad file, no change.
	defs, err := tenancy.LoadDefinitions(os.DirFS(c.TenantsDir), c.TenantsDir)
	if err != nil {
		return fmt.Errorf("tenants sync: nothing changed, the definitions are invalid:\n%w", err)
	}
	err = provision(ctx, c, stdout, stderr, func(p *tenancy.Provisioner) ([]tenancy.Result, error) { return p.Sync(ctx, defs) })
	if err != nil {
		return fmt.Errorf("tenants sync: %w", err)
	}
	return nil
}

func tenantsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("tenants list", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(_ *db.DB, tenants []tenancy.Tenant) error {
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "SLUG\tNAME\tREGION\tSCHEMA\tVERSION\tSTATUS")
		for _, t := range tenants {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", t.Slug, t.Name, t.Region, t.Schema, t.SchemaVersion, t.Status)
		}
		return w.Flush()
	})
}

func printResults(out io.Writer, results []tenancy.Result) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KIND\tSLUG\tOUTCOME\tVERSION\tERROR")
	for _, r := range results {
		version, msg := "", ""
		if r.Kind != "region" {
			version = fmt.Sprintf("%d → %d", r.From, r.To)
		}
		if r.Err != nil {
			msg = r.Err.Error()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.Kind, r.Slug, r.Outcome, version, msg)
	}
	w.Flush()
}

// tenantsStatus suspends or resumes a district: a suspended district answers 404 on its host
// and drops out of the regional views (its facts follow it), while its data is kept.
func tenantsStatus(ctx context.Context, verb string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{"tenants " + verb + ": name the district, e.g. ambiti tenants " + verb + " valle-trompia"}
	}
	slug := args[0]
	c, err := parseConfig("tenants "+verb, args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	status := map[string]string{"suspend": "suspended", "resume": "active"}[verb]
	return withDB(ctx, c, func(d *db.DB) error {
		n, err := tenancy.SetStatus(ctx, d, slug, status)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("tenants %s: no district %q", verb, slug)
		}
		fmt.Fprintf(stdout, "%s: %s\n", slug, status)
		return nil
	})
}
