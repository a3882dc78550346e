package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The directory's pages through the assembled server, on data from the demo directory: the
// public search and service pages answer without login, list no unpublished service, never
// show a partner's pending change, and say the schedule in Italian words; the Ufficio di Piano
// sees the stale list and the proposal with its before and after, and a partner only its own.
func TestDirectoryPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const tn = "trento"
	ids := seedDirectory(e, tn,
		seedService{name: "Calcio a 5 inclusivo", published: true, partner: "coop-demo-trento-1"},
		seedService{name: "Ginnastica dolce per over 65", published: true, stale: true},
		seedService{name: "Atletica leggera per ragazzi"}, // not published
		seedService{name: "Arrampicata per ragazzi", published: true, stale: true},
	)
	coop := e.as("coop."+tn, tn)
	if r := coop.do("PATCH", "/api/v1/directory/services/"+ids["Calcio a 5 inclusivo"], map[string]any{"name": "Calcetto proposto dal partner"}); r.status != http.StatusAccepted {
		t.Fatalf("the partner's proposal: %d %s", r.status, r.body)
	}

	page := func(path, token string, status int) string {
		t.Helper()
		r := e.call("GET", tn, path, token, nil, "Accept", "text/html")
		if r.status != status {
			t.Fatalf("GET %s: %d, want %d: %.300s", path, r.status, status, r.body)
		}
		return string(r.body)
	}
	shows := func(what, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not show %q", what, w)
			}
		}
	}
	hides := func(what, body string, unwanted ...string) {
		t.Helper()
		for _, w := range unwanted {
			if strings.Contains(body, w) {
				t.Errorf("%s shows %q", what, w)
			}
		}
	}

	list := page("/risorse", "", http.StatusOK)
	shows("the public list", list, "Risorse del territorio", "Calcio a 5 inclusivo", "Ginnastica dolce per over 65", "Tutte le risorse: 3")
	hides("the public list", list, "Atletica leggera", "Calcetto proposto", "da verificare")
	found := page("/risorse?q=calcio&need=sport-tempo-libero&day=giovedi&age=30&comune=Trento", "", http.StatusOK)
	shows("the search", found, "Risultati della ricerca: 1", "Calcio a 5 inclusivo")
	bad := page("/risorse?age=tanti", "", http.StatusUnprocessableEntity)
	shows("a refused search", bad, "età in anni, un numero intero", `href="#f-age"`)

	one := page("/risorse/"+ids["Calcio a 5 inclusivo"], "", http.StatusOK)
	shows("the service", one, "lunedì e giovedì 18:30–20:00", "da 14 anni in su", "ASD Polisportiva Adige Nord", "Informazioni verificate il")
	hides("the service", one, "Calcetto proposto", "coop-demo-trento-1", "da verificare")
	en := page("/risorse/"+ids["Calcio a 5 inclusivo"]+"?lang=en", "", http.StatusOK)
	shows("the service in English", en, "Monday and Thursday 18:30–20:00", "14 years and over")
	page("/risorse/"+ids["Atletica leggera per ragazzi"], "", http.StatusNotFound)
	page("/risorse/"+ids["Atletica leggera per ragazzi"], e.token("udp."+tn), http.StatusNotFound) // the public page, even for the Ufficio di Piano
	page("/risorse/non-esiste", "", http.StatusNotFound)

	udp := e.token("udp." + tn)
	stale := page("/risorse/da-verificare", udp, http.StatusOK)
	shows("the stale list", stale, "Servizi da verificare: 2", "Ginnastica dolce per over 65", "Arrampicata per ragazzi", "400")
	hides("the stale list", stale, "Calcio a 5 inclusivo", `href="/risorse" aria-current="page"`)
	shows("the stale list's navigation", stale, `href="/risorse/gestione" aria-current="page"`)
	mine := page("/risorse/gestione", coop.token, http.StatusOK)
	shows("the partner's services", mine, "Calcio a 5 inclusivo", "Ginnastica dolce per over 65", "Confermo che è aggiornato")
	hides("the partner's services", mine, "Arrampicata per ragazzi", `id="publish-`)
	coopStale := page("/risorse/da-verificare", coop.token, http.StatusOK)
	shows("the partner's stale list", coopStale, "Servizi da verificare: 1", "Ginnastica dolce per over 65") // its organisation's
	hides("the partner's stale list", coopStale, "Arrampicata per ragazzi")
	page("/risorse/proposte", coop.token, http.StatusForbidden)
	changes := page("/risorse/proposte", udp, http.StatusOK)
	shows("the proposals", changes, "Calcio a 5 inclusivo", "Calcetto proposto dal partner", "Silvia Tomasi")

	// Rejecting needs a note: the refusal shows next to the proposal's form.
	post := func(path string, form url.Values, status int) reply {
		t.Helper()
		r := e.call("POST", tn, path, udp, strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")
		if r.status != status {
			t.Fatalf("POST %s: %d, want %d: %.300s", path, r.status, status, r.body)
		}
		return r
	}
	var pending struct{ Items []struct{ ID string } }
	e.as("udp."+tn, tn).ok("GET", "/api/v1/directory/changes?status=pending", nil, &pending)
	refused := post("/risorse/proposte/"+pending.Items[0].ID+"/respingi", url.Values{"note": {" "}}, http.StatusUnprocessableEntity)
	shows("the refused rejection", string(refused.body), "spiegare al partner perché", "#f-note-"+pending.Items[0].ID)
	post("/risorse/proposte/"+pending.Items[0].ID+"/approva", nil, http.StatusSeeOther)
	shows("the public list after approval", page("/risorse", "", http.StatusOK), "Calcetto proposto dal partner")

	post("/risorse/"+ids["Atletica leggera per ragazzi"]+"/pubblica", url.Values{}, http.StatusSeeOther)
	shows("the public list after publishing", page("/risorse", "", http.StatusOK), "Atletica leggera per ragazzi")
	post("/risorse/"+ids["Arrampicata per ragazzi"]+"/conferma", url.Values{"from": {"da-verificare"}}, http.StatusSeeOther)
	hides("the stale list after confirming", page("/risorse/da-verificare", udp, http.StatusOK), "Arrampicata per ragazzi")
}
