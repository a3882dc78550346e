package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/pathway"
)

// TestBrowserReferral follows one referral (invio) in Trento from the link worker to the
// cooperative's inbox and back, and watches the Piano di Zona's indicator bound to the
// referrals accepted move: the link worker's first try is refused for want of the person's
// consent to share with the cooperative, the consent is recorded on the same page, the
// referral goes; the cooperative sees only the shared fields, accepts; the link worker sees it
// accepted; the Ufficio di Piano's objective shows one more referral accepted this year.
func TestBrowserReferral(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs Chromium at %s", chromiumPath)
	}
	e := newEnv(t)
	const slug, coopCode = "trento", "coop-demo-trento-1"
	const service = "Laboratorio di falegnameria per giovani"
	ids := seedDirectory(e, slug, seedService{name: service, published: true, partner: coopCode})
	year := time.Now().Year()

	// The plan of this period, with an indicator bound to the COPE referrals accepted.
	udpAPI := e.as("udp."+slug, slug)
	var id idOnly
	udpAPI.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano sociale di comunità", "start_year": year - 1, "end_year": year + 1}, &id)
	udpAPI.ok("POST", fmt.Sprintf("/api/v1/plans/%d/objectives", id.ID), map[string]any{"title": "Giovani NEET e comunità", "area_code": "SM"}, &id)
	objective := fmt.Sprintf("/obiettivi/%d", id.ID)
	udpAPI.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/indicators", id.ID), map[string]any{"kind": "risultato",
		"name": "Invii accettati dalla rete", "target": 40, "binding": map[string]any{"programme": "cope", "figure": "referrals_accepted"}}, &id)

	// Five referrals accepted earlier this year, through the API: another young person's.
	lwAPI, coopAPI := e.as("link_worker."+slug, slug), e.as("coop."+slug, slug)
	earlier := openCOPE(t, lwAPI, "Sara", "Esempio Prima", "RSSSRA05B41L378")
	lwAPI.ok("POST", "/api/v1/persons/"+earlier.PersonID+"/consents", map[string]any{"purpose": "condivisione", "party": coopCode,
		"given": true, "notice_version": "COPE-informativa-2022-v1"}, nil)
	for range 5 {
		var r pathway.Referral
		lwAPI.ok("POST", "/api/v1/pathways/"+earlier.ID+"/referrals", map[string]any{"service_id": ids[service], "urgency": "ordinaria",
			"reason": "Vuole imparare un mestiere manuale.", "shared": []string{"nome", "fascia_eta", "motivo"},
			"contact_preference": "tramite_link_worker"}, &r)
		coopAPI.ok("POST", "/api/v1/referrals/"+r.ID+"/accept", map[string]any{"version": r.Version}, nil)
	}

	p := openCOPE(t, lwAPI, "Marco", "Bianchi di Prova", "BNCMRC04A01L378")
	newTab := districtTabs(t, e, slug)
	pw := e.idp.Password
	detail := "/percorsi/" + p.ID
	bound := func(udp *browserTab) string {
		udp.open(objective)
		return strings.Join(strings.Fields(udp.text()), " ")
	}

	// --- The Ufficio di Piano: five accepted this year ---
	udp := newTab("udp")
	udp.open("/auth/login?return_to=" + objective)
	udp.login("udp."+slug, pw, "")
	if page := bound(udp); !strings.Contains(page, fmt.Sprintf("%d: 5", year)) {
		t.Errorf("the bound indicator before: want %d: 5 in\n%.1500s", year, page)
	}

	// --- The link worker: refused without the consent, sent with it ---
	lw := newTab("link_worker")
	lw.open("/auth/login?return_to=" + detail)
	lw.login("link_worker."+slug, pw, "")
	lw.sees("the pathway", "Marco Bianchi di Prova", "Invii alla rete")
	referral := func() {
		lw.tick(`#referrals details summary`)
		lw.fill("f-referral-service_id", ids[service], "f-referral-urgency", "ordinaria",
			"f-referral-reason", "Ha chiesto di provare la falegnameria: lavora bene con le mani.",
			"f-referral-contact_preference", "tramite_link_worker")
		lw.click("#referral-submit")
	}
	referral()
	lw.sees("the referral without consent", "manca il consenso della persona alla condivisione con")
	lw.shot("invio-senza-consenso")
	lw.tick("#referral-consent-missing a")
	lw.fill("f-consent-purpose", "condivisione", "f-consent-party", coopCode, "f-consent-notice_version", "COPE-informativa-2022-v1")
	lw.tick(`label[for="consent-given-si"]`)
	lw.click(`#consent-form button[type="submit"]`)
	referral()
	lw.sees("the referral sent", service, "Inviato")
	lw.shot("invio-inviato")

	// --- The cooperative: its inbox, the shared fields only, accepted ---
	coop := newTab("coop")
	coop.open("/auth/login?return_to=/invii")
	coop.login("coop."+slug, pw, "")
	coop.sees("the inbox", "Invii ricevuti", "Marco", service)
	coop.click(`#inbox-table a`)
	coop.sees("the referral", "Ha chiesto di provare la falegnameria")
	if page := coop.html(); strings.Contains(page, "Bianchi") || strings.Contains(page, "BNCMRC04A01L378") || strings.Contains(page, p.ID) {
		t.Errorf("the cooperative sees more than what was shared:\n%.2000s", coop.text())
	}
	coop.shot("invio-ricevuto")
	coop.click(`#accept-form button[type="submit"]`)
	if s := coop.textOf("#referral-status"); !strings.Contains(s, "Accettato") {
		t.Errorf("the referral after accepting: %q", s)
	}

	// --- Back to the link worker, and the plan moved ---
	lw.open(detail)
	if s := lw.textOf(`#referrals article .referral-status`); !strings.Contains(s, "Accettato") {
		t.Errorf("the link worker sees the referral as %q, want Accettato", s)
	}
	lw.shot("invio-accettato")
	if page := bound(udp); !strings.Contains(page, fmt.Sprintf("%d: 6", year)) {
		t.Errorf("the bound indicator after: want %d: 6 in\n%.1500s", year, page)
	}
	udp.shot("indicatore-collegato")
	for _, b := range []*browserTab{udp, lw, coop} {
		if pr := b.problems(); len(pr) > 0 {
			t.Errorf("%s: the pages reported problems: %v", b.who, pr)
		}
	}
}

// openCOPE opens a COPE pathway, through the API as the link worker, for a young NEET person
// born twenty years ago whose codice fiscale starts with cf15 (the control character added).
func openCOPE(t *testing.T, lw api, given, family, cf15 string) pathway.Pathway {
	t.Helper()
	cf := cf15 + string(pathway.CFControl(cf15))
	r := lw.do("POST", "/api/v1/pathways", map[string]any{
		"person": map[string]any{"given_name": given, "family_name": family, "codice_fiscale": cf,
			"birth_date": time.Now().AddDate(-20, 0, 0).Format(time.DateOnly)},
		"programme": "cope", "source": "centro_impiego", "engaged_on": time.Now().AddDate(0, 0, -20).Format(time.DateOnly),
		"neet_start": "nessuno", "notice_version": "COPE-informativa-2022-v1"})
	if r.status != 201 {
		t.Fatalf("open the pathway: %d %s", r.status, r.body)
	}
	var p pathway.Pathway
	r.json(t, &p)
	return p
}
