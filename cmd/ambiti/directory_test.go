package main

import (
	"net/http"
	"testing"
)

// The directory through HTTP: the Ufficio di Piano writes a complete service in one request
// and publishes it; its partner proposes a change (202, pending), another partner cannot touch
// it (404); the Ufficio di Piano approves; a link worker finds it in Italian.
func TestDirectoryThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const vt, v = "valle-trompia", "/api/v1/directory"
	udp, coop, coop2 := e.as("udp."+vt, vt), e.as("coop."+vt, vt), e.as("coop2."+vt, vt)
	lw := e.as("link_worker."+vt, vt)

	var org struct{ ID string }
	udp.ok("POST", v+"/organizations", map[string]any{"name": "Cooperativa Sociale L'Aquilone", "description": "Cooperativa sociale di tipo A",
		"partner_code": "laquilone"}, &org)
	udp.fails("POST", v+"/services", `{"organization_id": "`+org.ID+`", "name": "X", "status": "active", "colour": "red"}`, http.StatusBadRequest, "colour")
	udp.fails("POST", v+"/services", map[string]any{"organization_id": org.ID, "name": "X", "status": "active",
		"schedules": []map[string]any{{"freq": "WEEKLY", "byday": "lunedì"}}}, http.StatusBadRequest, "schedules[0].byday")

	var s struct {
		ID        string
		Name      string
		Published bool
	}
	udp.ok("POST", v+"/services", map[string]any{
		"organization_id": org.ID, "name": "Centro sportivo giovanile", "status": "active",
		"description": "Attività sportive pomeridiane per ragazzi", "minimum_age": 11, "maximum_age": 17,
		"service_at_locations": []map[string]any{{"location": map[string]any{"location_type": "physical", "name": "Palestra",
			"addresses": []map[string]any{{"address_1": "Via Roma 1", "city": "Lumezzane", "state_province": "BS", "postal_code": "25065"}}}}},
		"schedules":    []map[string]any{{"freq": "WEEKLY", "byday": "TU,TH", "opens_at": "15:00", "closes_at": "18:00"}},
		"cost_options": []map[string]any{{"option": "Gratuito", "amount": 0}},
		"attributes":   []map[string]any{{"taxonomy_term_id": "2cd75cbc-0784-5417-8bac-ffe44e815bdf"}},
	}, &s)
	var list struct{ Total int }
	lw.ok("GET", v+"/search?q=sport", nil, &list)
	if list.Total != 0 {
		t.Errorf("a link worker finds an unpublished service")
	}
	udp.ok("POST", v+"/services/"+s.ID+"/publish", nil, &s)

	var stale struct{ Total int }
	coop.ok("GET", v+"/stale", nil, &stale)
	if stale.Total != 1 {
		t.Errorf("the partner has %d services to verify, want 1 (never verified)", stale.Total)
	}
	coop.ok("POST", v+"/services/"+s.ID+"/confirm", nil, nil)
	coop.ok("GET", v+"/stale", nil, &stale)
	if stale.Total != 0 {
		t.Errorf("after confirming, %d to verify", stale.Total)
	}

	r := coop.do("PATCH", v+"/services/"+s.ID, map[string]any{"name": "Centro sportivo giovanile Aquilone"})
	if r.status != http.StatusAccepted {
		t.Fatalf("partner's proposal: %d %s", r.status, r.body)
	}
	coop2.fails("PATCH", v+"/services/"+s.ID, map[string]any{"name": "Altro"}, http.StatusNotFound, "")
	coop2.fails("POST", v+"/services/"+s.ID+"/confirm", nil, http.StatusNotFound, "")
	lw.fails("PATCH", v+"/services/"+s.ID, map[string]any{"name": "Altro"}, http.StatusForbidden, "")

	var changes struct {
		Items []struct {
			ID     string
			Fields []struct{ Field string }
		}
	}
	udp.ok("GET", v+"/changes?status=pending", nil, &changes)
	if len(changes.Items) != 1 || changes.Items[0].Fields[0].Field != "name" {
		t.Fatalf("pending changes = %+v", changes)
	}
	udp.ok("POST", v+"/changes/"+changes.Items[0].ID+"/approve", nil, nil)

	var hits struct {
		Total int
		Items []struct {
			Service struct{ Name string }
		}
	}
	lw.ok("GET", v+"/search?q=sportivo&age=14&comune=Lumezzane&day=giovedi&free=true&need=sport-tempo-libero", nil, &hits)
	if hits.Total != 1 || hits.Items[0].Service.Name != "Centro sportivo giovanile Aquilone" {
		t.Errorf("search = %+v", hits)
	}
	lw.fails("GET", v+"/search?age=old", nil, http.StatusBadRequest, "age")
}
