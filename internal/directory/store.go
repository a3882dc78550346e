package directory

import (
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// loadServices reads the services with the given ids, in that order, complete with their
// organization, locations and every nested list: a fixed number of queries however many.
// The caller has already decided the actor may read them.
func loadServices(tx *tenancy.Tx, ids []string) ([]ServiceRecord, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []ServiceRecord
	if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, storeError(err, "servizi")
	}
	days, err := staleAfter(tx)
	if err != nil {
		return nil, err
	}
	cutoff := time.Now().AddDate(0, 0, -days).Format(time.DateOnly)
	byID := map[string]*ServiceRecord{}
	orgIDs := []string{}
	for i := range rows {
		s := &rows[i]
		s.Stale = s.AssuredDate == "" || string(s.AssuredDate) < cutoff
		s.ServiceAtLocations, s.Phones, s.Schedules, s.Languages = []ServiceAtLocation{}, []Phone{}, []Schedule{}, []Language{}
		s.CostOptions, s.Contacts, s.Attributes = []CostOption{}, []Contact{}, []Attribute{}
		byID[s.ID] = s
		orgIDs = append(orgIDs, s.OrganizationID)
	}
	var orgs []Organization
	if err := tx.Where("id IN ?", orgIDs).Find(&orgs).Error; err != nil {
		return nil, storeError(err, "organizzazioni")
	}
	orgByID := map[string]*Organization{}
	for i := range orgs {
		orgByID[orgs[i].ID] = &orgs[i]
	}
	var sals []ServiceAtLocation
	if err := tx.Where("service_id IN ?", ids).Order("id").Find(&sals).Error; err != nil {
		return nil, storeError(err, "sedi")
	}
	locIDs := []string{}
	for _, sal := range sals {
		locIDs = append(locIDs, sal.LocationID)
	}
	locs, err := loadLocations(tx, locIDs)
	if err != nil {
		return nil, err
	}
	for _, sal := range sals {
		if l, ok := locs[sal.LocationID]; ok {
			l := l
			sal.Location = &l
		}
		byID[sal.ServiceID].ServiceAtLocations = append(byID[sal.ServiceID].ServiceAtLocations, sal)
	}
	// The lists owned by a service: each query fills one field of every service.
	var phones []Phone
	var schedules []Schedule
	var langs []Language
	var costs []CostOption
	var contacts []Contact
	var attrs []Attribute
	for _, q := range []struct {
		dst  any
		cond string
	}{
		{&phones, "service_id IN ?"}, {&schedules, "service_id IN ?"}, {&langs, "service_id IN ?"},
		{&costs, "service_id IN ?"}, {&contacts, "service_id IN ?"},
		{&attrs, "link_entity = 'service' AND link_id IN ?"},
	} {
		if err := tx.Where(q.cond, ids).Order("id").Find(q.dst).Error; err != nil {
			return nil, storeError(err, "servizi")
		}
	}
	for _, p := range phones {
		byID[*p.ServiceID].Phones = append(byID[*p.ServiceID].Phones, p)
	}
	for _, x := range schedules {
		byID[*x.ServiceID].Schedules = append(byID[*x.ServiceID].Schedules, x)
	}
	for _, x := range langs {
		byID[*x.ServiceID].Languages = append(byID[*x.ServiceID].Languages, x)
	}
	for _, x := range costs {
		byID[x.ServiceID].CostOptions = append(byID[x.ServiceID].CostOptions, x)
	}
	for _, x := range contacts {
		byID[*x.ServiceID].Contacts = append(byID[*x.ServiceID].Contacts, x)
	}
	terms := map[string]TaxonomyTerm{}
	var ts []TaxonomyTerm
	if err := tx.Find(&ts).Error; err != nil {
		return nil, storeError(err, "catalogo dei bisogni")
	}
	for _, t := range ts {
		terms[t.ID] = t
	}
	for _, a := range attrs {
		if t, ok := terms[a.TaxonomyTermID]; ok {
			a.TaxonomyTerm = &t
		}
		byID[a.LinkID].Attributes = append(byID[a.LinkID].Attributes, a)
	}
	out := make([]ServiceRecord, 0, len(ids))
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			s.Organization = orgByID[s.OrganizationID]
			out = append(out, *s)
		}
	}
	return out, nil
}

// loadLocations reads locations with their addresses and accessibility, by id.
func loadLocations(tx *tenancy.Tx, ids []string) (map[string]Location, error) {
	out := map[string]Location{}
	if len(ids) == 0 {
		return out, nil
	}
	var locs []Location
	var addrs []Address
	var acc []Accessibility
	if err := tx.Where("id IN ?", ids).Find(&locs).Error; err != nil {
		return nil, storeError(err, "sedi")
	}
	if err := tx.Where("location_id IN ?", ids).Order("id").Find(&addrs).Error; err != nil {
		return nil, storeError(err, "indirizzi")
	}
	if err := tx.Where("location_id IN ?", ids).Order("id").Find(&acc).Error; err != nil {
		return nil, storeError(err, "accessibilità")
	}
	for _, l := range locs {
		l.Addresses, l.Accessibility = []Address{}, []Accessibility{}
		out[l.ID] = l
	}
	for _, a := range addrs {
		l := out[a.LocationID]
		l.Addresses = append(l.Addresses, a)
		out[a.LocationID] = l
	}
	for _, a := range acc {
		l := out[a.LocationID]
		l.Accessibility = append(l.Accessibility, a)
		out[a.LocationID] = l
	}
	return out, nil
}

// saveService writes a validated service and replaces its nested lists with the given ones,
// inside the caller's transaction: all or nothing. Its locations are created or updated (they
// belong to the service's organisation); nested ids are kept when given, made up otherwise.
func saveService(tx *tenancy.Tx, s *ServiceRecord, create bool) error {
	s.LastModified = time.Now()
	if create {
		if err := tx.Create(s).Error; err != nil {
			return storeError(err, "servizio")
		}
	} else {
		if err := tx.Model(&ServiceRecord{}).Where("id = ?", s.ID).Select("*").Omit("id").Updates(s).Error; err != nil {
			return storeError(err, "servizio")
		}
		for _, t := range []string{"service_at_locations", "phones", "schedules", "languages", "cost_options", "contacts"} {
			if err := tx.Exec("DELETE FROM "+t+" WHERE service_id = ?", s.ID).Error; err != nil {
				return storeError(err, "servizio")
			}
		}
		if err := tx.Exec("DELETE FROM attributes WHERE link_entity = 'service' AND link_id = ?", s.ID).Error; err != nil {
			return storeError(err, "servizio")
		}
	}
	sid := s.ID
	for i := range s.ServiceAtLocations {
		sal := &s.ServiceAtLocations[i]
		if sal.Location != nil {
			if err := saveLocation(tx, sal.Location); err != nil {
				return err
			}
			sal.LocationID = sal.Location.ID
		}
		sal.ID, sal.ServiceID = orNew(sal.ID), sid
		loc := sal.Location
		if err := tx.Omit("Location").Create(sal).Error; err != nil {
			return storeError(err, "sede del servizio")
		}
		sal.Location = loc
	}
	for i := range s.Phones {
		s.Phones[i].ID, s.Phones[i].ServiceID = orNew(s.Phones[i].ID), &sid
	}
	for i := range s.Schedules {
		s.Schedules[i].ID, s.Schedules[i].ServiceID = orNew(s.Schedules[i].ID), &sid
	}
	for i := range s.Languages {
		s.Languages[i].ID, s.Languages[i].ServiceID = orNew(s.Languages[i].ID), &sid
	}
	for i := range s.CostOptions {
		s.CostOptions[i].ID, s.CostOptions[i].ServiceID = orNew(s.CostOptions[i].ID), sid
	}
	for i := range s.Contacts {
		s.Contacts[i].ID, s.Contacts[i].ServiceID = orNew(s.Contacts[i].ID), &sid
	}
	for i := range s.Attributes {
		a := &s.Attributes[i]
		a.ID, a.LinkID, a.LinkEntity = orNew(a.ID), sid, "service"
		if a.LinkType == "" {
			a.LinkType = "need"
		}
	}
	for _, list := range []struct {
		n    int
		rows any
		what string
	}{
		{len(s.Phones), &s.Phones, "telefoni"}, {len(s.Schedules), &s.Schedules, "orari"},
		{len(s.Languages), &s.Languages, "lingue"}, {len(s.CostOptions), &s.CostOptions, "costi"},
		{len(s.Contacts), &s.Contacts, "contatti"}, {len(s.Attributes), &s.Attributes, "bisogni"},
	} {
		if list.n == 0 {
			continue
		}
		if err := tx.Omit("TaxonomyTerm").Create(list.rows).Error; err != nil {
			return storeError(err, list.what)
		}
	}
	return nil
}

// saveLocation creates or updates a location and replaces its addresses and accessibility.
func saveLocation(tx *tenancy.Tx, l *Location) error {
	var n int64
	if l.ID != "" {
		if err := tx.Model(&Location{}).Where("id = ?", l.ID).Count(&n).Error; err != nil {
			return storeError(err, "sede")
		}
	}
	l.ID = orNew(l.ID)
	addrs, acc := l.Addresses, l.Accessibility
	if n == 0 {
		if err := tx.Omit("Addresses", "Accessibility").Create(l).Error; err != nil {
			return storeError(err, "sede")
		}
	} else {
		if err := tx.Model(&Location{}).Where("id = ?", l.ID).Select("*").Omit("id").Updates(l).Error; err != nil {
			return storeError(err, "sede")
		}
		for _, t := range []string{"addresses", "accessibility"} {
			if err := tx.Exec("DELETE FROM "+t+" WHERE location_id = ?", l.ID).Error; err != nil {
				return storeError(err, "sede")
			}
		}
	}
	for i := range addrs {
		addrs[i].ID, addrs[i].LocationID = orNew(addrs[i].ID), l.ID
	}
	for i := range acc {
		acc[i].ID, acc[i].LocationID = orNew(acc[i].ID), l.ID
	}
	if len(addrs) > 0 {
		if err := tx.Create(&addrs).Error; err != nil {
			return storeError(err, "indirizzo")
		}
	}
	if len(acc) > 0 {
		if err := tx.Create(&acc).Error; err != nil {
			return storeError(err, "accessibilità")
		}
	}
	l.Addresses, l.Accessibility = addrs, acc
	return nil
}

// record writes one HSDS metadata row.
func record(tx *tenancy.Tx, resourceID, resourceType, action, field, before, after, by string) error {
	m := Metadata{ID: uuid.NewString(), ResourceID: resourceID, ResourceType: resourceType, LastActionDate: time.Now(),
		LastActionType: action, FieldName: field, PreviousValue: before, ReplacementValue: after, UpdatedBy: by}
	return storeError(tx.Create(&m).Error, "registro delle modifiche")
}

func orNew(id string) string {
	if id == "" {
		return uuid.NewString()
	}
	return id
}
