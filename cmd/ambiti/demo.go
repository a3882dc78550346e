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
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// demoLoad imports deploy/demo/<slug>.yaml into each provisioned district that has one: the
// demo districts' real plans, transcribed from their documents. Idempotent.
func demoLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseConfig("demo load", args, getenv, stderr)
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		svc := plan.NewService(tenancy.NewScope(d), factsStore(d))
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
		}
		return nil
	})
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
		if err := factsStore(d).Rebuild(ctx, tenants); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "facts rebuilt for %d districts\n", len(tenants))
		return nil
	})
}
