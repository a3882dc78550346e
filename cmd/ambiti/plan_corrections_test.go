package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSeriesCorrectionsAndNextPlanThroughThePages: the objective sheet shows each indicator's
// series as a chart and a table; values, indicators, assignments and objectives are corrected
// or deleted from the pages after a confirmation, in an approved plan only through an open
// amendment, and the plan page lists every change; a new plan starts from the previous one.
func TestSeriesCorrectionsAndNextPlanThroughThePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	api := e.as("udp.valle-trompia", "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	ind := fmt.Sprintf("%s/indicatori/%d", obj, f.indicator)
	plan := fmt.Sprintf("/piani/%d", f.plan)
	saved := func(what string, p page, to string) {
		t.Helper()
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, to) {
			t.Fatalf("%s: %d %q, want 303 to %s\n%s", what, p.status, p.location, to, excerpt(p.body))
		}
	}
	var m24, m25 idOnly
	api.ok("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", f.indicator), map[string]any{"period": "2024", "value": 12, "source": "Registro utenti"}, &m24)
	api.ok("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", f.indicator), map[string]any{"period": "2025", "value": 20, "note": "stima"}, &m25)

	// The series: a chart with its title and description, and the table with source and note.
	udp.get(obj).contains(t, "series", `id="serie"`, "Serie dei valori", fmt.Sprintf(`aria-labelledby="chart-series-%d-t chart-series-%d-d"`, f.indicator, f.indicator),
		"Andamento di «N. utenti seguiti»", "2 valori, da 2024 (12) a 2025 (20)", "Registro utenti", "stima", "<polyline")

	// A value corrected (a count: a whole number), another deleted after a confirmation.
	mm := fmt.Sprintf("%s/misurazioni/%d", ind, m24.ID)
	udp.get(mm+"/modifica").contains(t, "correction form", "Correggi la misurazione", `value="12"`, `value="Registro utenti"`)
	saved("correction", udp.post(mm, url.Values{"period": {"2024"}, "value": {"15"}, "source": {"Registro utenti"}, "note": {"ricontato"}}), obj)
	udp.get(fmt.Sprintf("%s/misurazioni/%d/elimina", ind, m25.ID)).contains(t, "confirm measurement", "Eliminare la misurazione?", "2025", "senza variazione")
	saved("measurement deleted", udp.post(fmt.Sprintf("%s/misurazioni/%d/elimina", ind, m25.ID), nil), obj)
	p := udp.get(obj)
	p.contains(t, "after the correction", "da 2024 (15)", "ricontato")
	if strings.Contains(p.body, "stima") {
		t.Error("the deleted value is still shown")
	}

	// The indicator's definition edited in the draft; an assignment revoked.
	udp.get(ind+"/modifica").contains(t, "indicator form", "Modifica l'indicatore", `value="N. utenti seguiti"`, `value="30"`)
	saved("indicator", udp.post(ind, url.Values{"name": {"N. persone seguite"}, "kind": {"risultato"}, "unit": {"n."}, "baseline": {"10"}, "target": {"35"}}), obj)
	asg := fmt.Sprintf("%s/incarichi/%d", obj, f.assignment)
	udp.get(asg+"/modifica").contains(t, "assignment form", "Modifica l'incarico", "Assistenza domiciliare educativa")
	saved("assignment", udp.post(asg, url.Values{"partner_id": {fmt.Sprint(f.partner)}, "activity": {"Assistenza domiciliare educativa e sollievo"}}), obj)
	udp.get(fmt.Sprintf("/incarichi/%d/elimina", f.assignment)).contains(t, "confirm assignment", "Revocare l'incarico?", "Assistenza domiciliare educativa")
	saved("assignment revoked", udp.post(fmt.Sprintf("/incarichi/%d/elimina", f.assignment), nil), obj)
	udp.get(plan).contains(t, "change log", "Registro delle modifiche", "misurazione: 2024", "misurazione: 2025", "indicatore: N. persone seguite", "incarico: Assistenza domiciliare educativa e sollievo")

	// Approved: deleting needs an amendment, and the pages say so.
	api.ok("POST", fmt.Sprintf("/api/v1/plans/%d/propose", f.plan), nil, nil)
	e.as("assemblea.valle-trompia", "valle-trompia").ok("POST", fmt.Sprintf("/api/v1/plans/%d/approve", f.plan), delibera, nil)
	udp.get(obj).contains(t, "approved objective", `id="amendment-notice"`, "occorre aprire una variazione")
	udp.get(ind+"/elimina").contains(t, "blocked deletion", `id="confirm-blocked"`)
	if p := udp.post(ind+"/elimina", nil); p.status != http.StatusConflict {
		t.Errorf("deleting in an approved plan without an amendment: %d", p.status)
	}
	saved("open amendment", udp.post(plan+"/variazioni", url.Values{"reason": {"Riordino degli indicatori"}}), plan)
	udp.get(ind+"/elimina").contains(t, "deletion in the amendment", `id="confirm-amendment"`, "Riordino degli indicatori")
	saved("indicator deleted in the amendment", udp.post(ind+"/elimina", nil), obj)
	udp.get(plan).contains(t, "amendment's change", "modifiche registrate: 1", "nella variazione")

	// The next triennium from this one.
	udp.get(plan+"/riproponi").contains(t, "copy form", "Nuovo piano dal precedente", `value="Piano di Zona 2027-2029"`, `value="2027"`,
		fmt.Sprintf(`id="copy-objective-%d" checked`, f.objective))
	if p := udp.post(plan+"/riproponi", url.Values{"submitted": {"1"}, "title": {"Piano di Zona 2027-2029"}, "start_year": {"2026"}, "end_year": {"2028"}}); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.body, "dopo il 2026") {
		t.Errorf("overlapping years: %d\n%s", p.status, excerpt(p.body))
	}
	p = udp.post(plan+"/riproponi", url.Values{"submitted": {"1"}, "title": {"Piano di Zona 2027-2029"}, "start_year": {"2027"}, "end_year": {"2029"},
		"objectives": {fmt.Sprint(f.objective)}})
	saved("copy", p, "/piani/")
	np := udp.get(p.location)
	np.contains(t, "new plan", "Piano di Zona 2027-2029", "Servizio di assistenza domiciliare")
	var objs struct {
		Items []struct {
			ID           int64  `json:"id"`
			RipropostoDa *int64 `json:"riproposto_da"`
		} `json:"items"`
	}
	newPlan, _, _ := strings.Cut(p.location, "?")
	api.ok("GET", "/api/v1"+strings.Replace(newPlan, "/piani/", "/plans/", 1)+"/objectives", nil, &objs)
	if len(objs.Items) != 1 || objs.Items[0].RipropostoDa == nil || *objs.Items[0].RipropostoDa != f.objective {
		t.Fatalf("copied objectives = %+v", objs.Items)
	}
	udp.get(fmt.Sprintf("/obiettivi/%d", objs.Items[0].ID)).contains(t, "copied objective", `id="riproposto"`, "Riproposto")
}
