package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Figures that cannot lie (issue 19), through the pages: refusals name the field, a decimal
// comma is read, the home's KPI says over how many objectives it counts (n.d. when none),
// and a closed plan is not "Piano in corso".
func TestFiguresOnThePagesCannotLie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	measure := fmt.Sprintf("%s/indicatori/%d/misurazioni", obj, f.indicator)
	for _, c := range []struct {
		what, period, value, field, says string
	}{
		{"a period after the plan", "2030", "12", "f-period", "compreso nel triennio 2024–2026"},
		{"a negative count", "2025", "-3", "f-value", "numero intero non negativo"},
		{"a fraction of a count", "2025", "12,5", "f-value", "numero intero non negativo"},
		{"an ambiguous number", "2025", "1.234", "f-value", "numero ambiguo"},
	} {
		p := udp.post(measure, url.Values{"period": {c.period}, "value": {c.value}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="`+c.field+`-error"`) {
			t.Errorf("%s: %d, want 422 naming %s\n%s", c.what, p.status, c.field, excerpt(p.body))
		}
		p.contains(t, c.what, c.says, `value="`+c.value+`"`)
	}

	// Nothing measured, nothing evaluated: the KPI has nothing to count.
	home := udp.get("/")
	home.contains(t, "home before any figure", "Piano in preparazione", `id="kpi-on-target"><abbr title="non disponibile`, "n.d.", `id="kpi-explained"`, "pari o superiore a 80%")

	// A percentage with a decimal comma is read as 75.5, not 755.
	api := e.as("udp.valle-trompia", "valle-trompia")
	var id idOnly
	api.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/indicators", f.objective), map[string]any{"kind": "risultato", "name": "Quota di famiglie raggiunte", "unit": "%", "target": 80}, &id)
	if p := udp.post(fmt.Sprintf("%s/indicatori/%d/misurazioni", obj, id.ID), url.Values{"period": {"2025"}, "value": {"75,5"}}); p.status != http.StatusSeeOther {
		t.Fatalf("75,5: %d\n%s", p.status, excerpt(p.body))
	}
	var ms struct{ Items []struct{ Value float64 } }
	api.ok("GET", fmt.Sprintf("/api/v1/indicators/%d/measurements", id.ID), nil, &ms)
	if len(ms.Items) != 1 || ms.Items[0].Value != 75.5 {
		t.Errorf("75,5 stored as %+v", ms)
	}

	// "Entro 30 giorni" with 25 giorni is on target: 100%, and the objective is assessed.
	api.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/indicators", f.objective), map[string]any{"kind": "processo",
		"name": "Pubblicazione del bando entro 30 giorni", "unit": "giorni", "target": 30, "direction": "decrescente"}, &id)
	api.ok("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", id.ID), map[string]any{"period": "2024", "value": 25}, nil)
	sheet := udp.get(obj)
	sheet.contains(t, "objective sheet", "≤ 30", "100%")
	home = udp.get("/")
	home.contains(t, "home with a measured objective", "1 obiettivi valutabili su 1")

	// Through approval to closing: the home names it for what it is.
	assemblea := e.as("assemblea.valle-trompia", "valle-trompia")
	plan := fmt.Sprintf("/api/v1/plans/%d", f.plan)
	api.ok("POST", plan+"/propose", nil, nil)
	assemblea.ok("POST", plan+"/approve", map[string]any{"note": "Delibera n. 12", "delibera_number": "12/2024", "delibera_date": "2024-03-12"}, nil)
	udp.get("/").contains(t, "home of an approved plan", "Piano in corso")
	assemblea.ok("POST", plan+"/close", map[string]any{"note": "Triennio concluso"}, nil)
	closed := udp.get("/")
	closed.contains(t, "home of a closed plan", "Ultimo piano (concluso)")
	if strings.Contains(closed.body, "Piano in corso") {
		t.Error("a closed plan is shown as 'Piano in corso'")
	}
}
