package directory_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/directory"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// A service is written whole, with everything nested in it, and read back the same; a bad
// nested row refuses the whole write, naming the field; nothing of it is left behind.
func TestServiceIsWrittenWholeOrNotAtAll(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	o := d.org(t, "Cooperativa Sociale L'Aquilone", "laquilone")
	full := func(r *directory.ServiceRecord) {
		at("lumezzane")(r)
		r.Description = "Laboratori e attività sportive per ragazzi"
		r.MinimumAge, r.MaximumAge = ptr(11), ptr(17)
		r.Phones = []directory.Phone{{Number: "030 123456", Type: "voice"}}
		r.Schedules = []directory.Schedule{{Freq: "WEEKLY", Byday: "MO,TH", OpensAt: "09:00", ClosesAt: "12:30"}}
		r.Languages = []directory.Language{{Name: "Italiano", Code: "it"}}
		r.CostOptions = []directory.CostOption{{Option: "Gratuito", Amount: ptr(0.0)}}
		r.Contacts = []directory.Contact{{Name: "Segreteria", Email: "info@example.org"}}
		r.Attributes = []directory.Attribute{{TaxonomyTermID: "sport-tempo-libero"}}
	}
	s := d.service(t, o, "  CAG Lumezzane ", full)
	got, err := d.svc.Record(d.ctx, d.udp, s.ID)
	noError(t, err)
	loc := got.ServiceAtLocations[0].Location
	switch {
	case got.Name != "CAG Lumezzane" || got.Organization == nil || got.Organization.Name != o.Name:
		t.Errorf("service = %+v", got)
	case loc == nil || len(loc.Addresses) != 1 || loc.Addresses[0].City != "Lumezzane" || loc.Addresses[0].Country != "IT":
		t.Errorf("location = %+v (the comune is spelled as the district spells it)", loc)
	case len(got.Phones) != 1 || len(got.Schedules) != 1 || got.Schedules[0].Byday != "MO,TH" || len(got.Languages) != 1 ||
		len(got.CostOptions) != 1 || got.CostOptions[0].Currency != "EUR" || len(got.Contacts) != 1:
		t.Errorf("nested lists = %+v", got)
	case len(got.Attributes) != 1 || got.Attributes[0].TaxonomyTerm == nil || got.Attributes[0].TaxonomyTerm.Code != "sport-tempo-libero":
		t.Errorf("attributes = %+v", got.Attributes)
	}

	// Bad input: Invalid, naming the field as a JSON path.
	for field, edit := range map[string]func(*directory.ServiceRecord){
		"name":                           func(r *directory.ServiceRecord) { r.Name = " " },
		"status":                         func(r *directory.ServiceRecord) { r.Status = "open" },
		"maximum_age":                    func(r *directory.ServiceRecord) { r.MinimumAge, r.MaximumAge = ptr(18), ptr(10) },
		"schedules[0].byday":             func(r *directory.ServiceRecord) { r.Schedules[0].Byday = "lunedì" },
		"schedules[0].closes_at":         func(r *directory.ServiceRecord) { r.Schedules[0].ClosesAt = "08:00" },
		"phones[0].number":               func(r *directory.ServiceRecord) { r.Phones[0].Number = "" },
		"cost_options[0].amount":         func(r *directory.ServiceRecord) { r.CostOptions[0].Amount = ptr(-1.0) },
		"attributes[0].taxonomy_term_id": func(r *directory.ServiceRecord) { r.Attributes[0].TaxonomyTermID = "astrologia" },
		"service_at_locations[0].location.addresses[0].city":        func(r *directory.ServiceRecord) { r.ServiceAtLocations[0].Location.Addresses[0].City = "Milano" },
		"service_at_locations[0].location.addresses[0].postal_code": func(r *directory.ServiceRecord) { r.ServiceAtLocations[0].Location.Addresses[0].PostalCode = "BS" },
	} {
		r := directory.ServiceRecord{OrganizationID: o.ID, Name: "Da rifiutare", Status: directory.Active}
		full(&r)
		edit(&r)
		_, err := d.svc.CreateService(d.ctx, d.udp, r)
		wantField(t, err, field)
	}

	// A failure after rows were written (a duplicate id in a nested list, caught by the
	// database) undoes the service and every nested row.
	r := directory.ServiceRecord{OrganizationID: o.ID, Name: "A metà", Status: directory.Active}
	full(&r)
	dup := "5b0c43a4-8a38-4d43-9a7f-6f9d3a1c0a11"
	r.Phones = []directory.Phone{{ID: dup, Number: "1"}, {ID: dup, Number: "2"}}
	_, err = d.svc.CreateService(d.ctx, d.udp, r)
	wantCode(t, err, apperr.Conflict)
	list, total, err := d.svc.Services(d.ctx, d.udp, directory.ServiceFilter{})
	noError(t, err)
	if total != 1 || len(list) != 1 {
		t.Errorf("after a failed write there are %d services: %+v", total, list)
	}
	var locations int64
	noError(t, tenancy.NewScope(d.db).Tx(d.ctx, d.udp, func(tx *tenancy.Tx) error {
		return tx.Raw("SELECT count(*) FROM locations").Scan(&locations).Error
	}))
	if locations != 1 {
		t.Errorf("%d locations after a failed write, want 1", locations)
	}

	// An update replaces the nested lists in one go; a failing one leaves the service as it was.
	_, err = d.svc.UpdateService(d.ctx, d.udp, s.ID, func(r *directory.ServiceRecord) error {
		r.Phones = append(r.Phones, directory.Phone{ID: r.Phones[0].ID, Number: "doppio"})
		r.Schedules = nil
		return nil
	})
	wantCode(t, err, apperr.Conflict)
	again, err := d.svc.Record(d.ctx, d.udp, s.ID)
	noError(t, err)
	if len(again.Phones) != 1 || len(again.Schedules) != 1 {
		t.Errorf("a failed update changed the service: %+v", again)
	}
}
