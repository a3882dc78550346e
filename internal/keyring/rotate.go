package keyring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The outcomes of a rotation in one district.
const (
	Rotated = "rotated" // rewrapped from the old master key to the new one
	Already = "already" // already wrapped by the new master key: nothing to do
	NoKey   = "no key"  // no personal data sealed yet: the first use wraps it with the new key
)

// Rotation is what Rotate did in one district.
type Rotation struct {
	District string
	Outcome  string // Rotated, Already or NoKey; "" when Err is set
	Err      error
}

// Rotate rewraps each district's key, wrapped by from, with to: one row per district, no data
// re-encrypted. A district already on to is skipped, so a rotation interrupted halfway is run
// again as it is. Servers keep working throughout if they hold to as their current key and
// from as a previous one (AMBITI_MASTER_KEY and AMBITI_MASTER_KEY_PREVIOUS); from can be
// thrown away once every district reports Rotated or Already. The error joins the districts'.
func Rotate(ctx context.Context, s *tenancy.Scope, districts []tenancy.Tenant, from, to Master) ([]Rotation, error) {
	if from.id == to.id {
		return nil, errors.New("keyring: the new master key is the old one")
	}
	job := actor.System("keys-rotate")
	var out []Rotation
	var errs []error
	for _, t := range districts {
		r := Rotation{District: t.Slug}
		r.Err = s.TxFor(ctx, t, job, func(tx *tenancy.Tx) error {
			var row districtKeyRow
			res := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Limit(1).Find(&row, "id = 1")
			switch {
			case res.Error != nil:
				return fmt.Errorf("keyring: read the key of district %s: %w", t.Slug, res.Error)
			case res.RowsAffected == 0:
				r.Outcome = NoKey
				return nil
			case row.MasterID == to.id:
				r.Outcome = Already
				return nil
			case row.MasterID != from.id:
				return fmt.Errorf("keyring: the key of district %s is wrapped by master key %s, neither the old (%s) nor the new (%s)", t.Slug, row.MasterID, from.id, to.id)
			}
			key, err := open(from.key, row.Wrapped, districtAAD(t.Slug))
			if err != nil {
				return fmt.Errorf("keyring: unwrap the key of district %s with the old master key: %w", t.Slug, err)
			}
			wrapped, err := seal(to.key, key, districtAAD(t.Slug))
			if err != nil {
				return err
			}
			err = tx.Model(&districtKeyRow{}).Where("id = 1").
				Updates(map[string]any{"master_id": to.id, "wrapped": wrapped, "rotated_at": time.Now()}).Error
			if err != nil {
				return fmt.Errorf("keyring: store the rewrapped key of district %s: %w", t.Slug, err)
			}
			r.Outcome = Rotated
			return nil
		})
		if r.Err != nil {
			r.Outcome = ""
			errs = append(errs, r.Err)
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}
