package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ambiti/ambiti/internal/audit"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// pathwaysRetention anonymises, in every district (or one, --district), the pathways closed
// longer ago than their programme's retention period, erasing the people left with none
// within it. One line per district; run it nightly (cron, a Kubernetes CronJob).
func pathwaysRetention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	district, args, err := takeFlag(args, "district")
	if err != nil {
		return err
	}
	c, err := parseConfig("pathways retention", args, getenv, stderr)
	if err != nil {
		return err
	}
	keys, err := c.keys()
	if err != nil {
		return err
	}
	return withTenants(ctx, c, func(d *db.DB, tenants []tenancy.Tenant) error {
		tenants, err := onlyDistrict(tenants, district, "pathways retention")
		if err != nil {
			return err
		}
		svc, err := pathway.NewService(tenancy.NewScope(d).Audited(audit.Writer{}), keys, c.Now)
		if err != nil {
			return err
		}
		svc.WithFacts(factsStore(d, keys))
		for _, t := range tenants {
			n, err := svc.AnonymiseExpired(ctx, t)
			if err != nil {
				return fmt.Errorf("pathways retention: %s: %w", t.Slug, err)
			}
			fmt.Fprintf(stdout, "%s: %d percorsi anonimizzati / anonymised\n", t.Slug, n)
		}
		return nil
	})
}
