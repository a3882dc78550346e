package facts

import (
	"fmt"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Own reads a section of tx's own district as stored, inside tx: one feature reading another's
// figures of the same district without importing it (the plan's indicators bound to the
// pathways' figures). A section never written comes back as the zero Record.
func Own(tx *tenancy.Tx, section string) (Record, error) {
	var rows []struct {
		Version int
		Summary string
	}
	// tx's search_path is the district's schema: the platform table is named in full.
	err := tx.Raw(`SELECT version, summary::text AS summary FROM platform.district_facts WHERE tenant_slug = ? AND section = ?`,
		tx.District.Slug, section).Scan(&rows).Error
	if err != nil {
		return Record{}, fmt.Errorf("facts: read %s of %s: %w", section, tx.District.Slug, err)
	}
	if len(rows) == 0 {
		return Record{}, nil
	}
	return Record{Version: rows[0].Version, Summary: []byte(rows[0].Summary)}, nil
}
