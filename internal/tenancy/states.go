package tenancy

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// districtState is what the database holds of a provisioned district, read for all of them at
// once so that a sync with nothing to change touches no district schema.
type districtState struct {
	DefinitionHash string
	Recorded       int64 // platform.tenants.schema_version
	Actual         int64 // the version table in the district's own schema
	Latest         int64 // the newest migration this binary carries
}

// current reports whether syncing the district with this definition hash would change nothing.
func (s districtState) current(definitionHash string) bool {
	return s.DefinitionHash == definitionHash && s.Recorded == s.Actual && s.Actual >= s.Latest
}

// districtStates reads every provisioned district's definition hash and versions, in three
// queries whatever the number of districts.
func (p *Provisioner) districtStates(ctx context.Context) (map[string]districtState, error) {
	var rows []struct {
		Slug           string
		SchemaName     string
		DefinitionHash string
		SchemaVersion  int64
	}
	err := p.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT slug, schema_name, definition_hash, schema_version FROM platform.tenants`).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("tenancy: read districts: %w", err)
	}
	latest, err := db.LatestVersion(p.tenantFS)
	if err != nil {
		return nil, err
	}
	schemas := make([]string, 0, len(rows))
	for _, r := range rows {
		schemas = append(schemas, r.SchemaName)
	}
	actual, err := p.db.SchemaVersions(ctx, schemas)
	if err != nil {
		return nil, err
	}
	out := make(map[string]districtState, len(rows))
	for _, r := range rows {
		v, ok := actual[r.SchemaName]
		if !ok {
			continue // recorded but its schema is gone: let the full sync recreate it
		}
		out[r.Slug] = districtState{DefinitionHash: r.DefinitionHash, Recorded: r.SchemaVersion, Actual: v, Latest: latest}
	}
	return out, nil
}
