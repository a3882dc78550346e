package directory

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ServiceFilter narrows the list of services.
type ServiceFilter struct {
	OrganizationID string
	Published      *bool
	Keeps          bool // only those the actor may change: all (Ufficio di Piano), its own (a partner)
	Page
}

// Services lists the services the actor may read, complete, by name.
func (s *Service) Services(ctx context.Context, a actor.Actor, f ServiceFilter) ([]ServiceRecord, int64, error) {
	var out []ServiceRecord
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		q := visibleServices(tx)
		if f.Keeps {
			q = editableServices(tx)
		}
		if f.OrganizationID != "" {
			if !validID(f.OrganizationID) {
				return apperr.Invalidf("organization_id", "identificativo non valido: serve un UUID", "invalid id: a UUID is needed")
			}
			q = q.Where("s.organization_id = ?", f.OrganizationID)
		}
		if f.Published != nil {
			q = q.Where("s.published = ?", *f.Published)
		}
		if err := q.Count(&total).Error; err != nil {
			return storeError(err, "servizi")
		}
		var ids []string
		if err := q.Order("s.name, s.id").Limit(f.limit()).Offset(f.Offset).Pluck("s.id", &ids).Error; err != nil {
			return storeError(err, "servizi")
		}
		var err error
		out, err = loadServices(tx, ids)
		return err
	})
	return out, total, err
}

// Record returns one complete service the actor may read; NotFound otherwise (another
// organisation's unpublished service, for a partner).
func (s *Service) Record(ctx context.Context, a actor.Actor, id string) (ServiceRecord, error) {
	var r ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) (err error) {
		r, err = findService(tx, visible, id)
		return err
	})
	return r, err
}

// Published returns one published service, complete, whoever asks: what the public pages and
// the HSDS API show. NotFound if it is not published.
func (s *Service) Published(ctx context.Context, a actor.Actor, id string) (ServiceRecord, error) {
	var r ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) (err error) {
		r, err = findService(tx, published, id)
		return err
	})
	return r, err
}

// PublishedServices lists the published services, complete, by name, whoever asks.
func (s *Service) PublishedServices(ctx context.Context, a actor.Actor, p Page) ([]ServiceRecord, int64, error) {
	var out []ServiceRecord
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		q := tx.Table("services s").Where("s.published")
		if err := q.Count(&total).Error; err != nil {
			return storeError(err, "servizi")
		}
		var ids []string
		if err := q.Order("s.name, s.id").Limit(p.limit()).Offset(p.Offset).Pluck("s.id", &ids).Error; err != nil {
			return storeError(err, "servizi")
		}
		var err error
		out, err = loadServices(tx, ids)
		return err
	})
	return out, total, err
}

// selection names which services a lookup considers.
type selection int

const (
	anyService selection = iota // every service: after a check of its own
	visible                     // those the actor may read (visibleServices)
	editable                    // those the actor may change (editableServices)
	published                   // the published ones, whoever asks
)

func (sel selection) of(tx *tenancy.Tx) *gorm.DB {
	switch sel {
	case visible:
		return visibleServices(tx)
	case editable:
		return editableServices(tx)
	case published:
		return tx.Table("services s").Where("s.published")
	}
	return tx.Table("services s")
}

// findService reads one service of the selection (aliased "s"), complete; NotFound when the
// selection does not hold it.
func findService(tx *tenancy.Tx, sel selection, id string) (ServiceRecord, error) {
	if !validID(id) {
		return ServiceRecord{}, errServiceNotFound
	}
	var ids []string
	if err := sel.of(tx).Where("s.id = ?", id).Pluck("s.id", &ids).Error; err != nil {
		return ServiceRecord{}, storeError(err, "servizio")
	}
	if len(ids) == 0 {
		return ServiceRecord{}, errServiceNotFound
	}
	rs, err := loadServices(tx, ids)
	if err != nil {
		return ServiceRecord{}, err
	}
	if len(rs) == 0 {
		return ServiceRecord{}, errServiceNotFound
	}
	return rs[0], nil
}

// CreateService adds a service with everything nested in it (Ufficio di Piano), unpublished
// unless it says otherwise: one transaction, all or nothing.
func (s *Service) CreateService(ctx context.Context, a actor.Actor, r ServiceRecord) (ServiceRecord, error) {
	if !a.Can(object, actManage) {
		return ServiceRecord{}, errForbidden
	}
	if err := r.validate(s.taxonomy); err != nil {
		return ServiceRecord{}, err
	}
	r.ID = orNew(r.ID)
	var out ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if err := checkReferences(tx, &r); err != nil {
			return err
		}
		if err := saveService(tx, &r, true); err != nil {
			return err
		}
		if err := record(tx, r.ID, "service", "create", "", "", "", a.Name); err != nil {
			return err
		}
		var err error
		out, err = findService(tx, anyService, r.ID)
		return err
	})
	return out, err
}

// Fields of a service that an edit never changes: its id, what the service computes, and the
// nested organization (edited on its own).
var derived = map[string]bool{"id": true, "last_modified": true, "stale": true, "organization": true}

// Fields a partner may not propose: which organisation runs it, whether it is published, and
// when it was last verified (confirming is its own step).
var partnerKeeps = map[string]bool{"id": true, "last_modified": true, "stale": true, "organization": true,
	"organization_id": true, "published": true, "assured_date": true, "assurer_email": true}

// Update is what an edit of a service did: applied at once (the Ufficio di Piano), or stored
// as a proposed change awaiting review (a partner).
type Update struct {
	Service ServiceRecord `json:"service"`
	Change  *Change       `json:"change,omitempty"` // set when the edit awaits review
}

// UpdateService edits a service. With manage (Ufficio di Piano) the edit is applied at once and
// logged field by field in metadata. A partner (update_own) edits only its own organisation's
// services (others are not found) and its edit becomes a proposed change for review; a second
// proposal while one is pending is a Conflict. Invalid names the field.
func (s *Service) UpdateService(ctx context.Context, a actor.Actor, id string, edit Edit[ServiceRecord]) (Update, error) {
	var out Update
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		cur, err := findService(tx, editable, id)
		if err != nil {
			return err
		}
		next, err := cloned(canonical(cur))
		if err != nil {
			return err
		}
		if err := edit(&next); err != nil {
			return err
		}
		keep := derived
		if !a.Can(object, actManage) {
			keep = partnerKeeps
		}
		next = restore(next, cur, keep)
		if err := next.validate(s.taxonomy); err != nil {
			return err
		}
		if err := checkReferences(tx, &next); err != nil {
			return err
		}
		if !a.Can(object, actManage) {
			c, err := propose(tx, a, cur, next)
			out = Update{Service: cur, Change: &c}
			return err
		}
		if err := saveService(tx, &next, false); err != nil {
			return err
		}
		if err := recordFields(tx, id, "service", "update", canonical(cur), canonical(next), a.Name, derived); err != nil {
			return err
		}
		out.Service, err = findService(tx, anyService, id)
		return err
	})
	return out, err
}

// restore puts back into next the fields of cur that the edit may not change.
func restore(next, cur ServiceRecord, keep map[string]bool) ServiceRecord {
	next.ID, next.LastModified, next.Organization = cur.ID, cur.LastModified, cur.Organization
	if keep["organization_id"] {
		next.OrganizationID = cur.OrganizationID
	}
	if keep["published"] {
		next.Published = cur.Published
	}
	if keep["assured_date"] {
		next.AssuredDate, next.AssurerEmail = cur.AssuredDate, cur.AssurerEmail
	}
	return next
}

// canonical is a service as its edits compare it: without what the store derives (the
// service id repeated in nested rows, the attributes' resolved terms, the stale flag).
func canonical(r ServiceRecord) ServiceRecord {
	c := r
	c.Stale = false
	c.ServiceAtLocations = make([]ServiceAtLocation, len(r.ServiceAtLocations))
	for i, x := range r.ServiceAtLocations {
		x.ServiceID = ""
		if x.Location != nil {
			l := *x.Location
			l.OrganizationID = nil
			l.Addresses = append([]Address{}, l.Addresses...)
			for j := range l.Addresses {
				l.Addresses[j].LocationID = ""
			}
			l.Accessibility = append([]Accessibility{}, l.Accessibility...)
			for j := range l.Accessibility {
				l.Accessibility[j].LocationID = ""
			}
			x.Location = &l
			x.LocationID = ""
		}
		c.ServiceAtLocations[i] = x
	}
	c.Phones = mapped(r.Phones, func(x Phone) Phone { x.ServiceID = nil; return x })
	c.Schedules = mapped(r.Schedules, func(x Schedule) Schedule { x.ServiceID = nil; return x })
	c.Languages = mapped(r.Languages, func(x Language) Language { x.ServiceID = nil; return x })
	c.CostOptions = mapped(r.CostOptions, func(x CostOption) CostOption { x.ServiceID = ""; return x })
	c.Contacts = mapped(r.Contacts, func(x Contact) Contact { x.ServiceID = nil; return x })
	c.Attributes = mapped(r.Attributes, func(x Attribute) Attribute {
		x.LinkID, x.LinkEntity, x.TaxonomyTerm = "", "", nil
		return x
	})
	return c
}

func mapped[T any](xs []T, f func(T) T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// DeleteService removes a service and everything nested in it (Ufficio di Piano).
func (s *Service) DeleteService(ctx context.Context, a actor.Actor, id string) error {
	if !a.Can(object, actManage) {
		return errForbidden
	}
	return s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if _, err := findService(tx, anyService, id); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM attributes WHERE link_entity = 'service' AND link_id = ?",
			"DELETE FROM services WHERE id = ?",
		} {
			if err := tx.Exec(q, id).Error; err != nil {
				return storeError(err, "servizio")
			}
		}
		return record(tx, id, "service", "delete", "", "", "", a.Name)
	})
}

// SetPublished publishes a service or withdraws it (Ufficio di Piano).
func (s *Service) SetPublished(ctx context.Context, a actor.Actor, id string, published bool) (ServiceRecord, error) {
	if !a.Can(object, actManage) {
		return ServiceRecord{}, errForbidden
	}
	var out ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		cur, err := findService(tx, anyService, id)
		if err != nil {
			return err
		}
		if cur.Published != published {
			if err := tx.Exec("UPDATE services SET published = ?, last_modified = now() WHERE id = ?", published, id).Error; err != nil {
				return storeError(err, "servizio")
			}
			action := map[bool]string{true: "publish", false: "unpublish"}[published]
			if err := record(tx, id, "service", action, "published", jsonText(cur.Published), jsonText(published), a.Name); err != nil {
				return err
			}
		}
		out, err = findService(tx, anyService, id)
		return err
	})
	return out, err
}

// Confirm records that a service is still as described: its assured_date becomes today. The
// Ufficio di Piano confirms any; a partner its own organisation's only (others: NotFound).
// Confirming changes no content, so it needs no review.
func (s *Service) Confirm(ctx context.Context, a actor.Actor, id string) (ServiceRecord, error) {
	var out ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		cur, err := findService(tx, editable, id)
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE services SET assured_date = current_date WHERE id = ?", id).Error; err != nil {
			return storeError(err, "servizio")
		}
		out, err = findService(tx, anyService, id)
		if err != nil {
			return err
		}
		return record(tx, id, "service", "confirm", "assured_date", jsonText(cur.AssuredDate), jsonText(out.AssuredDate), a.Name)
	})
	return out, err
}

// History is the change log (HSDS metadata) of a service the actor may edit, newest first.
func (s *Service) History(ctx context.Context, a actor.Actor, id string) ([]Metadata, error) {
	var out []Metadata
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		if _, err := findService(tx, editable, id); err != nil {
			return err
		}
		return storeError(tx.Where("resource_id = ?", id).Order("last_action_date DESC, id").Find(&out).Error, "registro delle modifiche")
	})
	return out, err
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
