package directory

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Edit is how a caller edits a value the service reads inside its own transaction: the API
// merges a JSON patch into it, a page sets its form's fields. The service checks the result
// and keeps what callers may not change (ids, owners, times).
type Edit[T any] func(current *T) error

// Organizations lists the district's organisations by name. Organisations are public facts
// (who runs what), so every reader of the directory sees all of them.
func (s *Service) Organizations(ctx context.Context, a actor.Actor, p Page) ([]Organization, int64, error) {
	var out []Organization
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if err := tx.Model(&Organization{}).Count(&total).Error; err != nil {
			return storeError(err, "organizzazioni")
		}
		return storeError(tx.Order("name, id").Limit(p.limit()).Offset(p.Offset).Find(&out).Error, "organizzazioni")
	})
	return out, total, err
}

// Organization returns one organisation; NotFound if there is none.
func (s *Service) Organization(ctx context.Context, a actor.Actor, id string) (Organization, error) {
	var o Organization
	err := s.tx(ctx, a, func(tx *tenancy.Tx) (err error) {
		o, err = findOrganization(tx, id)
		return err
	})
	return o, err
}

func findOrganization(tx *tenancy.Tx, id string) (Organization, error) {
	if !validID(id) {
		return Organization{}, errOrganizationNotFound
	}
	var os []Organization
	if err := tx.Where("id = ?", id).Limit(1).Find(&os).Error; err != nil {
		return Organization{}, storeError(err, "organizzazione")
	}
	if len(os) == 0 {
		return Organization{}, errOrganizationNotFound
	}
	return os[0], nil
}

// CreateOrganization adds an organisation (Ufficio di Piano). Forbidden without manage.
func (s *Service) CreateOrganization(ctx context.Context, a actor.Actor, o Organization) (Organization, error) {
	if !a.Can(object, actManage) {
		return Organization{}, errForbidden
	}
	if err := o.validate(); err != nil {
		return Organization{}, err
	}
	o.ID = orNew(o.ID)
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if err := tx.Create(&o).Error; err != nil {
			if e := storeError(err, "organizzazione"); apperr.CodeOf(e) == apperr.Conflict {
				return apperr.Invalidf("partner_code", "il codice è già di un'altra organizzazione (o l'id esiste già)", "the code belongs to another organization (or the id exists)")
			}
			return storeError(err, "organizzazione")
		}
		return record(tx, o.ID, "organization", "create", "", "", "", a.Name)
	})
	return o, err
}

// UpdateOrganization edits an organisation (Ufficio di Piano); its id stays.
func (s *Service) UpdateOrganization(ctx context.Context, a actor.Actor, id string, edit Edit[Organization]) (Organization, error) {
	if !a.Can(object, actManage) {
		return Organization{}, errForbidden
	}
	var o Organization
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		cur, err := findOrganization(tx, id)
		if err != nil {
			return err
		}
		if o, err = cloned(cur); err != nil {
			return err
		}
		if err := edit(&o); err != nil {
			return err
		}
		o.ID = cur.ID
		if err := o.validate(); err != nil {
			return err
		}
		if err := tx.Model(&Organization{}).Where("id = ?", id).Select("*").Omit("id", "created_at").Updates(&o).Error; err != nil {
			return storeError(err, "organizzazione")
		}
		return recordFields(tx, id, "organization", "update", cur, o, a.Name, nil)
	})
	return o, err
}

// DeleteOrganization removes an organisation without services (Ufficio di Piano); Conflict
// while it still runs some.
func (s *Service) DeleteOrganization(ctx context.Context, a actor.Actor, id string) error {
	if !a.Can(object, actManage) {
		return errForbidden
	}
	return s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if _, err := findOrganization(tx, id); err != nil {
			return err
		}
		var n int64
		if err := tx.Table("services").Where("organization_id = ?", id).Count(&n).Error; err != nil {
			return storeError(err, "organizzazione")
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "l'organizzazione ha ancora servizi: eliminarli prima", "the organization still has services: delete them first")
		}
		if err := tx.Exec("DELETE FROM organizations WHERE id = ?", id).Error; err != nil {
			return storeError(err, "organizzazione")
		}
		return record(tx, id, "organization", "delete", "", "", "", a.Name)
	})
}

var errForbidden = apperr.New(apperr.Forbidden, "operazione non consentita", "not allowed")
