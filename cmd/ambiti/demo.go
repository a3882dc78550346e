package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/directory/hsds"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// demoLoad imports deploy/demo/<slug>.yaml into each provisioned district that has one: the
// demo districts' real plans, transcribed from their documents; then
// deploy/demo/directory/<slug>.json, the district's resource directory in HSDS 3.0, published
// (its partner organisations carry their users' organisation code as an
// organization_identifier). Idempotent.
func demoLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("demo load", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		keys, err := c.optionalKeys()
		if err != nil {
			return err
		}
		programmes, err := pathway.ProgrammeLabels()
		if err != nil {
			return err
		}
		svc := plan.NewService(tenancy.NewScope(d), factsStore(d, keys)).WithProgrammes(programmes)
		actor := actor.New("import", "Importazione dai documenti del piano", "", "", nil, nil, nil)
		for _, t := range tenants {
			file := filepath.Join(c.DemoDir, t.Slug+".yaml")
			f, err := readImport(file)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return fmt.Errorf("demo load: %s: %w", file, err)
			}
			rep, err := svc.Import(tenancy.WithTenant(ctx, t), actor, f)
			if err != nil {
				return fmt.Errorf("demo load: %s: %w", file, err)
			}
			fmt.Fprintf(stdout, "%-14s %d piani, %d obiettivi, %d partner, %d incontri importati; già presenti: %v\n",
				t.Slug, rep.Plans, rep.Objectives, rep.Partners, rep.Meetings, rep.SkippedPlans)
			if rep.AssignmentsDated > 0 { // a district loaded before its file dated the assignments
				fmt.Fprintf(stdout, "%-14s %d incarichi datati (Affidata il)\n", t.Slug, rep.AssignmentsDated)
			}
		}
		if err := demoDirectories(ctx, d, tenants, filepath.Join(c.DemoDir, "directory"), stdout); err != nil {
			return err
		}
		return demoPathways(ctx, c, d, tenants, filepath.Join(c.DemoDir, "pathways"), stdout)
	})
}

// demoDirectories imports each district's demo directory, if it has one, and publishes it.
func demoDirectories(ctx context.Context, d *db.DB, tenants []tenancy.Tenant, dir string, stdout io.Writer) error {
	svc, err := directory.NewService(tenancy.NewScope(d))
	if err != nil {
		return err
	}
	v, err := hsds.New()
	if err != nil {
		return err
	}
	// The demo import acts as the Ufficio di Piano would: it may manage the directory only.
	importer := actor.New("import", "Importazione dell'elenco delle risorse", "", "", nil, nil,
		func(object, action string) bool { return object == "directory" && action == "manage" })
	for _, t := range tenants {
		file := filepath.Join(dir, t.Slug+".json")
		b, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo load: %w", err)
		}
		batch, err := directory.ReadHSDSJSON(v, b)
		if err != nil {
			return fmt.Errorf("demo load: %s: %w", file, err)
		}
		rep, err := svc.Import(tenancy.WithTenant(ctx, t), importer, batch, directory.ImportOptions{Publish: true})
		if err != nil {
			return fmt.Errorf("demo load: %s: %w", file, err)
		}
		fmt.Fprintf(stdout, "%-14s risorse: %d organizzazioni e %d servizi importati, %d già presenti\n",
			t.Slug, rep.Organizations, rep.Services, rep.Unchanged)
	}
	return nil
}

func readImport(file string) (plan.ImportFile, error) {
	var f plan.ImportFile
	b, err := os.ReadFile(file)
	if err != nil {
		return f, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return f, err
	}
	return f, nil
}

// factsRebuild recomputes every district's regional facts from its own data: after a deploy
// that changes what the facts contain, or after restoring a district.
func factsRebuild(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("facts rebuild", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		keys, err := c.optionalKeys()
		if err != nil {
			return err
		}
		if err := factsStore(d, keys).Rebuild(ctx, tenants); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "facts rebuilt for %d districts\n", len(tenants))
		return nil
	})
}
