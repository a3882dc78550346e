package tenancy_test

import (
	"context"
	"testing"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/migrations"
)

// The operator sees every district with its schema version, and the provisioning that created
// them; a sync that changes nothing adds no line.
func TestOperationsShowDistrictsAndTheProvisioningLog(t *testing.T) {
	d, _, p := provisioned(t, db.Config{})
	ctx := context.Background()
	ops := tenancy.NewOperations(d, migrations.Tenant())
	ds, err := ops.Districts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("districts: %+v", ds)
	}
	for _, s := range ds {
		if s.SchemaVersion == 0 || s.Behind() || s.Suspended() || s.Region == "" {
			t.Errorf("district %s: %+v", s.Slug, s)
		}
	}
	log, err := ops.Log(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	created := map[string]bool{}
	for _, l := range log {
		if l.Kind == "district" && l.Outcome == tenancy.Created && l.ToVersion > 0 {
			created[l.Slug] = true
		}
	}
	if len(created) != 3 {
		t.Fatalf("log lacks the districts' creation: %+v", log)
	}
	if _, err := p.Sync(ctx, realDefinitions(t)); err != nil {
		t.Fatal(err)
	}
	again, err := ops.Log(ctx, 100)
	if err != nil || len(again) != len(log) {
		t.Errorf("an idle sync logged: %d lines → %d (%v)", len(log), len(again), err)
	}
}
