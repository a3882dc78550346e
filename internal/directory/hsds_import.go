package directory

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Batch is a directory to import: services with their organisations, as an HSDS file gives
// them, already checked against the HSDS schemas (ReadHSDSJSON, ReadHSDSZip).
type Batch struct {
	Organizations []Organization
	Services      []ServiceRecord
	// Locate names, for an error, where a field of the file came from: the organisation
	// (service -1 - i for Organizations[i]) or the service i's field as the room's validation
	// names it ("phones[0].number"); it answers "services[3].phones[0].number" for a JSON
	// file and "phones.csv row 7, number" for a tabular one.
	Locate func(service int, field string) string
}

// ImportOptions say what an import does besides writing the file's content.
type ImportOptions struct {
	// Publish publishes every imported service. Without it, a new service arrives unpublished
	// and an existing one keeps its state: HSDS files do not say what is published.
	Publish bool
}

// ImportReport counts what an import did.
type ImportReport struct {
	Organizations int `json:"organizations"` // created or changed
	Services      int `json:"services"`      // created or changed
	Unchanged     int `json:"unchanged"`     // services already as the file says
}

// Import writes a directory into the district (Ufficio di Piano): organisations and services
// are created or replaced by id (upsert), in one transaction, all or nothing. Each goes
// through the checks of the room's own create and edit (validate, checkReferences): the first
// error stops it and names the file's field (Batch.Locate). An entry already as the file says
// is left alone, so a second import of the same file changes nothing. Imported changes are
// logged in metadata as "import".
func (s *Service) Import(ctx context.Context, a actor.Actor, b Batch, opt ImportOptions) (ImportReport, error) {
	var rep ImportReport
	if !a.Can(object, actManage) {
		return rep, errForbidden
	}
	locate := b.Locate
	if locate == nil {
		locate = func(i int, field string) string { return field }
	}
	for i := range b.Organizations {
		if err := b.Organizations[i].validate(); err != nil {
			return rep, relocate(err, func(f string) string { return locate(-1-i, f) })
		}
	}
	for i := range b.Services {
		r := &b.Services[i]
		r.Organization = nil
		if err := r.validate(s.taxonomy); err != nil {
			return rep, relocate(err, func(f string) string { return locate(i, f) })
		}
		if !validID(r.ID) {
			return rep, relocate(apperr.Invalidf("id", "serve l'identificativo (UUID) del servizio", "the service's id (a UUID) is needed"),
				func(f string) string { return locate(i, f) })
		}
	}
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		rep = ImportReport{}
		for i, o := range b.Organizations {
			changed, err := upsertOrganization(tx, o)
			if err != nil {
				return relocate(err, func(f string) string { return locate(-1-i, f) })
			}
			if changed {
				rep.Organizations++
			}
		}
		for i := range b.Services {
			changed, err := upsertService(tx, b.Services[i], opt.Publish)
			if err != nil {
				return relocate(err, func(f string) string { return locate(i, f) })
			}
			if changed {
				rep.Services++
			} else {
				rep.Unchanged++
			}
		}
		return nil
	})
	return rep, err
}

// relocate renames the field of an Invalid error with where; other errors pass unchanged.
func relocate(err error, where func(field string) string) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		return err
	}
	return e.WithField(where(e.Field))
}

// upsertOrganization creates the organisation or brings it in line with o; it reports
// whether anything changed.
func upsertOrganization(tx *tenancy.Tx, o Organization) (bool, error) {
	cur, err := findOrganization(tx, o.ID)
	if apperr.CodeOf(err) == apperr.NotFound {
		if err := tx.Create(&o).Error; err != nil {
			return false, organizationConflict(err)
		}
		return true, record(tx, o.ID, "organization", "import", "", "", "", tx.Actor.Name)
	}
	if err != nil {
		return false, err
	}
	if reflect.DeepEqual(cur, o) {
		return false, nil
	}
	if err := tx.Model(&Organization{}).Where("id = ?", o.ID).Select("*").Omit("id", "created_at").Updates(&o).Error; err != nil {
		return false, organizationConflict(err)
	}
	return true, recordFields(tx, o.ID, "organization", "import", cur, o, tx.Actor.Name, nil)
}

func organizationConflict(err error) error {
	if e := storeError(err, "organizzazione"); apperr.CodeOf(e) == apperr.Conflict {
		return apperr.Invalidf("partner_code", "il codice è già di un'altra organizzazione", "the code belongs to another organization")
	}
	return storeError(err, "organizzazione")
}

// upsertService creates the service or replaces it with r (validated); it reports whether
// anything changed.
func upsertService(tx *tenancy.Tx, r ServiceRecord, publish bool) (bool, error) {
	if err := checkReferences(tx, &r); err != nil {
		return false, err
	}
	for i := range r.Attributes {
		r.Attributes[i].LinkType = cmp.Or(r.Attributes[i].LinkType, "need") // as saveService stores it
	}
	cur, err := findService(tx, anyService, r.ID)
	found := err == nil
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return false, err
	}
	r.Published = publish || (found && cur.Published)
	if found && sameService(cur, r) {
		return false, nil
	}
	if err := saveService(tx, &r, !found); err != nil {
		return false, err
	}
	if !found {
		return true, record(tx, r.ID, "service", "import", "", "", "", tx.Actor.Name)
	}
	return true, recordFields(tx, r.ID, "service", "import", canonical(cur), canonical(r), tx.Actor.Name, derived)
}

// sameService reports whether two services hold the same content: what the store derives,
// the time of the last change and the order of nested lists aside.
func sameService(a, b ServiceRecord) bool {
	return contentKey(a) == contentKey(b)
}

// contentKey is a service's content as one string, nested lists sorted by id.
func contentKey(r ServiceRecord) string {
	c := canonical(r)
	c.LastModified, c.Organization = time.Time{}, nil
	byID := func(a, b string) int { return strings.Compare(a, b) }
	slices.SortFunc(c.ServiceAtLocations, func(x, y ServiceAtLocation) int { return byID(x.ID, y.ID) })
	for _, sal := range c.ServiceAtLocations {
		if sal.Location != nil {
			slices.SortFunc(sal.Location.Addresses, func(x, y Address) int { return byID(x.ID, y.ID) })
			slices.SortFunc(sal.Location.Accessibility, func(x, y Accessibility) int { return byID(x.ID, y.ID) })
		}
	}
	slices.SortFunc(c.Phones, func(x, y Phone) int { return byID(x.ID, y.ID) })
	slices.SortFunc(c.Schedules, func(x, y Schedule) int { return byID(x.ID, y.ID) })
	slices.SortFunc(c.Languages, func(x, y Language) int { return byID(x.ID, y.ID) })
	slices.SortFunc(c.CostOptions, func(x, y CostOption) int { return byID(x.ID, y.ID) })
	slices.SortFunc(c.Contacts, func(x, y Contact) int { return byID(x.ID, y.ID) })
	slices.SortFunc(c.Attributes, func(x, y Attribute) int { return byID(x.ID, y.ID) })
	b, _ := json.Marshal(c) // plain values: it cannot fail
	return string(b)
}

// Export returns every published service of the district, complete, by name, with the
// organisations that run them (Ufficio di Piano): what the HSDS files hold.
func (s *Service) Export(ctx context.Context, a actor.Actor) ([]ServiceRecord, error) {
	if !a.Can(object, actManage) {
		return nil, errForbidden
	}
	var out []ServiceRecord
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		var ids []string
		if err := published.of(tx).Order("s.name, s.id").Pluck("s.id", &ids).Error; err != nil {
			return storeError(err, "servizi")
		}
		var err error
		out, err = loadServices(tx, ids)
		return err
	})
	return out, err
}
