package main

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// chromiumPath is Debian's Chromium, which the browser test drives.
const chromiumPath = "/usr/bin/chromium"

// screenshotDir is where the browser test saves a PNG of each step: AMBITI_TEST_OUTPUT, or
// test-output/screenshots in the repository (git-ignored).
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("AMBITI_TEST_OUTPUT")
	if dir == "" {
		root, err := dbtest.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "test-output", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserScenario drives Debian's Chromium through the main story, against the real
// server, database and development identity provider: the Ufficio di Piano writes a plan and
// proposes it, the Assemblea approves it, a cooperative sees only its own assignment and is
// refused the administration page; a citizen searches Trento's public directory and reads a
// service's opening hours, and the Ufficio di Piano sees its services to verify. Each step
// leaves a screenshot.
func TestBrowserScenario(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs Chromium at %s: install it with `apt-get install chromium` (Debian), or run deploy/dev/test.sh as root, which installs it", chromiumPath)
	}
	start := time.Now()
	e := newEnv(t)
	// The directories, from the demo files (the demo load is `ambiti demo load`'s).
	seedDirectory(e, "trento",
		seedService{name: "Calcio a 5 inclusivo", published: true},
		seedService{name: "Arrampicata per ragazzi", published: true})
	seedDirectory(e, "valle-trompia",
		seedService{name: "Punto lettura e prestito libri", published: true, stale: true},
		seedService{name: "Nuoto e acquaticità per tutti", published: true})
	sh := &shots{dir: screenshotDir(t)}
	old, _ := filepath.Glob(filepath.Join(sh.dir, "[0-9][0-9]-*.png")) // the previous run's
	for _, f := range old {
		os.Remove(f)
	}

	bctx := startChromium(t)
	district := "http://valle-trompia.localhost:" + e.port
	newTab := func(who, base string, own bool) *browserTab {
		ctx := bctx
		if own {
			var cancel context.CancelFunc
			ctx, cancel = chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			t.Cleanup(cancel)
		}
		b := &browserTab{t: t, who: who, ctx: ctx, base: base, shots: sh}
		b.watch()
		return b
	}
	pw := e.idp.Password

	// --- The Ufficio di Piano ---
	udp := newTab("udp", district, false)
	udp.open("/")
	udp.sees("anonymous home", "Accedi al distretto")
	udp.shot("home-anonima")
	udp.click(`main a.btn-primary[href^="/auth/login"]`)
	udp.login("udp.valle-trompia", pw, "login-provider")
	udp.sees("home after login", "Buongiorno, Giulia Ferrari.", "Il distretto non ha ancora un Piano di Zona.")

	udp.click(`main a[href="/piani/nuovo"]`)
	udp.fill("f-title", "Piano di Zona 2024-2026", "f-start_year", "2024", "f-end_year", "2026")
	udp.shot("piano-nuovo")
	udp.click(`main button[type="submit"]`)
	udp.sees("new plan", "Piano creato in bozza.", "Bozza", "Proponi all'Assemblea")
	udp.shot("piano-bozza")
	planURL := udp.location()

	// The objective: first without its macro-area, refused next to the field.
	udp.click("#new-objective")
	udp.fill("f-title", "Servizio di assistenza domiciliare per persone fragili",
		"f-description", "Interventi domiciliari educativi e socio-assistenziali per adulti e anziani fragili.",
		"f-target", "Almeno 30 persone seguite ogni anno", "f-needs", "Crescita delle persone sole con bisogni di cura a domicilio.")
	if res := udp.click("#save-objective"); res.Status != 422 {
		t.Errorf("objective without area: %d, want 422", res.Status)
	}
	udp.sees("objective refused", "Il modulo non è stato salvato", "Scegliere l'area del catalogo regionale")
	udp.shot("obiettivo-errore-campo")
	udp.fill("f-area_code", "D", "f-marker", "innovativo")
	udp.tick(`label[for="f-socio_sanitary"]`)
	udp.click("#save-objective")
	udp.sees("objective", "Obiettivo creato.", "Servizio di assistenza domiciliare per persone fragili", "Integrazione sociosanitaria")
	udp.shot("obiettivo-creato")

	udp.click("#new-indicator")
	udp.fill("f-name", "N. persone seguite a domicilio", "f-kind", "risultato", "f-unit", "n.", "f-baseline", "12", "f-target", "30")
	udp.shot("indicatore-nuovo")
	udp.click("#save-indicator")
	udp.sees("indicator", "Indicatore creato.", "N. persone seguite a domicilio")

	udp.click("#edit-budget")
	udp.fill("f-lines-0--year", "2024", "f-lines-0--source_code", "FNPS", "f-lines-0--stanziato_cents", "48.000,00", "f-lines-0--impegnato_cents", "30.000",
		"f-lines-1--year", "2024", "f-lines-1--source_code", "COMUNI", "f-lines-1--stanziato_cents", "12.000", "f-lines-1--impegnato_cents", "12.000", "f-lines-1--liquidato_cents", "6.500,50")
	udp.shot("budget-righe")
	udp.click("#save-budget")
	udp.sees("budget", "Budget salvato.", "€ 60.000,00")

	udp.click(`a[id^="measure-"]`)
	udp.fill("f-period", "2024-S1", "f-value", "18", "f-source", "Cartelle del servizio")
	udp.shot("misurazione")
	udp.click("#save-measurement")
	udp.sees("measurement", "Misurazione registrata.", "2024-S1")
	udp.sees("series", "Serie dei valori", "Valori di «N. persone seguite a domicilio» per periodo", "Cartelle del servizio")
	udp.shot("obiettivo-completo")
	objectiveURL := udp.location()

	// A partner and an activity entrusted to it, through the pages.
	udp.open("/partner/nuovo")
	udp.fill("f-name", "Cooperativa Sociale L'Aquilone", "f-kind", "cooperativa", "f-code", "laquilone")
	udp.click("#save-partner")
	udp.sees("partner", "Partner creato.", "Cooperativa Sociale L'Aquilone")
	udp.open(strings.SplitN(objectiveURL, "#", 2)[0])
	udp.click("#new-assignment")
	udp.fill("f-partner_id", "1", "f-activity", "Assistenza domiciliare educativa nei comuni della bassa valle")
	udp.shot("incarico-nuovo")
	udp.click("#save-assignment")
	udp.sees("assignment", "Attività affidata al partner.", "Assistenza domiciliare educativa")

	udp.open(strings.SplitN(planURL, "?", 2)[0])
	udp.click("#propose")
	udp.sees("proposed", "Piano proposto all'Assemblea dei Sindaci.", "Proposto")
	udp.shot("piano-proposto")

	// --- The Assemblea dei Sindaci, in its own browser ---
	ass := newTab("assemblea", district, true)
	ass.open("/approvazioni") // not logged in: the login comes first, then back here
	ass.login("assemblea.valle-trompia", pw, "")
	ass.sees("approvals", "Da approvare", "Piano di Zona 2024-2026")
	ass.shot("assemblea-da-approvare")
	pid := path.Base(strings.SplitN(planURL, "?", 2)[0])
	ass.fill("delibera-number-p"+pid, "12/2024", "delibera-date-p"+pid, "2024-03-12")
	ass.click(`button[id^="approve-"]`)
	ass.sees("confirmation", "Triennio 2024–2026", "Delibera n. 12/2024 del 12/03/2024")
	ass.shot("assemblea-conferma-approvazione")
	ass.click("#confirm")
	ass.sees("approved", "Piano approvato.", "Nulla in attesa di approvazione.")
	ass.open(strings.SplitN(planURL, "?", 2)[0])
	ass.sees("approved plan", "Approvato", "approvato il")
	if strings.Contains(ass.text(), "Proponi all'Assemblea") {
		t.Error("the Assemblea is offered the Ufficio di Piano's button")
	}
	ass.shot("assemblea-piano-approvato")
	ass.open("/")
	ass.sees("home", "Piano in corso", "Obiettivi per macro-area", "Ultime misurazioni")
	ass.shot("assemblea-home")

	// --- A cooperative: its own assignment only, and no administration ---
	coop := newTab("coop", district, true)
	coop.open("/incarichi")
	coop.login("coop.valle-trompia", pw, "")
	coop.sees("assignments", "Le attività affidate alla tua organizzazione", "Assistenza domiciliare educativa")
	coop.shot("cooperativa-incarichi")
	coop.click(`main table a[href^="/incarichi/"]`)
	assignmentURL := coop.location()
	coop.fill("f-period", "2024-Q2", "f-users_served", "14", "f-hours", "220", "f-satisfaction", "4,5", "f-note", "Attività regolare nel trimestre.")
	coop.click("#save-report")
	coop.sees("report", "Rendicontazione salvata.", "2024-Q2")
	coop.shot("cooperativa-rendicontazione")
	if status := coop.open("/amministrazione/utenti"); status != 403 {
		t.Errorf("the cooperative on the administration page: %d, want 403", status)
	}
	coop.sees("refused", "Operazione non consentita")
	coop.shot("cooperativa-amministrazione-403")

	coop2 := newTab("coop2", district, true)
	coop2.open("/incarichi")
	coop2.login("coop2.valle-trompia", pw, "")
	if strings.Contains(coop2.text(), "Assistenza domiciliare educativa") {
		t.Error("another cooperative sees L'Aquilone's assignment")
	}

	// --- The Ufficio di Piano reviews the cooperative's report before it counts ---
	udp.open(assignmentURL)
	udp.sees("the report to review", "2024-Q2", "Inviata")
	udp.click(`button[id^="accept-report-"]`)
	udp.sees("the report reviewed", "Accettata")
	udp.shot("rendicontazione-accettata")

	// --- An amendment: the target changed, read by the Assemblea before and after, approved with its delibera ---
	udpAPI := e.as("udp.valle-trompia", "valle-trompia")
	var obj struct {
		Indicators []struct{ ID int64 } `json:"indicators"`
	}
	udpAPI.ok("GET", "/api/v1/objectives/"+path.Base(strings.SplitN(objectiveURL, "#", 2)[0]), nil, &obj)
	if len(obj.Indicators) != 1 {
		t.Fatalf("the objective's indicators: %+v", obj)
	}
	var am struct{ ID int64 }
	udpAPI.ok("POST", "/api/v1/plans/"+pid+"/amendments", map[string]any{"reason": "Più persone da seguire a domicilio dopo il bando regionale"}, &am)
	udpAPI.ok("PATCH", fmt.Sprintf("/api/v1/indicators/%d", obj.Indicators[0].ID), map[string]any{"target": 45}, nil)
	udpAPI.ok("POST", fmt.Sprintf("/api/v1/plans/%s/amendments/%d/propose", pid, am.ID), nil, nil)
	ass.open("/approvazioni")
	ass.sees("the amendment to approve", "Più persone da seguire a domicilio dopo il bando regionale", "Prima", "Dopo", "Target")
	if row := ass.textOf(`main table tbody tr`); !strings.Contains(row, "30") || !strings.Contains(row, "45") {
		t.Errorf("the amendment's change does not show the target before and after: %q", row)
	}
	ass.shot("assemblea-variazione-prima-dopo")
	aid := fmt.Sprint(am.ID)
	ass.fill("delibera-number-a"+aid, "27/2024", "delibera-date-a"+aid, "2024-09-18")
	ass.click(`form[action$="/variazioni/` + aid + `/approva"] button[type="submit"]`)
	ass.sees("the amendment's confirmation", "Delibera n. 27/2024 del 18/09/2024")
	ass.click("#confirm")
	ass.sees("the amendment approved", "Nulla in attesa di approvazione.")

	// --- The Piano di Zona document downloads from the plan's page, as PDF ---
	udp.open(strings.SplitN(planURL, "?", 2)[0])
	dctx, cancelD := udp.step()
	head, err := chromedp.Run(dctx, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector('a[href$="/documento.pdf"]');
		const r = await fetch(a.href);
		const b = new Uint8Array(await r.arrayBuffer());
		return r.status + " " + r.headers.get('content-type') + " " + String.fromCharCode(...b.slice(0, 5));
	})()`, chromedp.EvalAwaitPromise))
	cancelD()
	if err != nil || !strings.HasPrefix(head, "200 application/pdf %PDF-") {
		t.Errorf("the plan document from the plan's page: %q (%v)", head, err)
	}

	// --- The Ufficio di Piano again: a filter (htmx swaps the list in place), administration, English ---
	udp.open("/piani")
	fctx, cancelF := udp.step()
	err = chromedp.Do(fctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('f-stato'); s.value = 'chiuso'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="plan-list"]//p[contains(., "Nessun piano.")]`)))
	cancelF()
	if err != nil {
		t.Errorf("the status filter (htmx) does not update the list: %v", err)
	} else if loc := udp.location(); !strings.Contains(loc, "stato=chiuso") {
		t.Errorf("the filtered list's address is not kept: %s", loc)
	}

	udp.open("/amministrazione/utenti")
	udp.sees("users", "Utenti e ruoli del distretto", "coop.valle-trompia")
	udp.shot("amministrazione-utenti")
	udp.open("/?lang=en")
	udp.sees("English home", "Current plan", "Objectives per macro-area")
	udp.shot("home-english")
	udp.open("/?lang=it")

	// The directory's services not verified for too long, from the navigation.
	udp.click(`#nav-main a[href="/risorse/gestione"]`)
	udp.click(`main a[href="/risorse/da-verificare"]`)
	udp.sees("stale list", "Risorse da verificare", "Punto lettura e prestito libri")
	if strings.Contains(udp.text(), "Nuoto e acquaticità per tutti") {
		t.Error("a service verified ten days ago is listed as to verify")
	}
	udp.shot("risorse-da-verificare")

	// On a phone: the tables scroll inside the page, the menu opens from its button.
	phone, cancelPhone := udp.step()
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	cancelPhone()
	udp.open(strings.SplitN(objectiveURL, "#", 2)[0])
	udp.shot("telefono-obiettivo")
	wctx, cancelW := udp.step()
	widths, err := chromedp.Run(wctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	cancelW()
	if err != nil || len(widths) != 2 || widths[0] > widths[1] {
		t.Errorf("on a phone the page scrolls sideways: scroll width %v (%v)", widths, err)
	}
	udp.tick(".custom-navbar-toggler")
	menu, cancelMenu := udp.step()
	if err := chromedp.Do(menu, chromedp.WaitVisible(chromedp.CSS(`#nav-main-menu a[href="/piani"]`))); err != nil {
		t.Errorf("the phone menu does not open: %v", err)
	}
	cancelMenu()
	udp.settled(`#nav-main-menu a[href="/piani"]`) // the panel has finished sliding in
	udp.shot("telefono-menu")
	reset, cancelReset := udp.step()
	if err := chromedp.Do(reset, chromedp.EmulateReset()); err != nil {
		t.Fatal(err)
	}
	cancelReset()

	// --- A regional body on the platform host ---
	reg := newTab("regione", "http://localhost:"+e.port, true)
	reg.open("/regioni/lombardia")
	reg.login("regione.lombardia", pw, "")
	reg.sees("region", "Valle Trompia", "Distretti a confronto", "Esecuzione della spesa")
	reg.shot("regione-lombardia")
	reg.click(`main a[href="/regioni/lombardia/distretti/valle-trompia"]`)
	reg.sees("drill-down", "Servizio di assistenza domiciliare per persone fragili")
	reg.shot("regione-distretto")

	// --- A citizen, without logging in: Trento's public directory ---
	cit := newTab("cittadino", "http://trento.localhost:"+e.port, true)
	cit.open("/risorse")
	cit.sees("public directory", "Risorse del territorio", "Calcio a 5 inclusivo", "Arrampicata per ragazzi")
	cit.fill("f-q", "calcio", "f-need", "sport-tempo-libero")
	cit.shot("risorse-ricerca")
	cit.click("#search")
	cit.sees("search results", "Risultati della ricerca: 1", "Calcio a 5 inclusivo")
	cit.click(`#results a[href^="/risorse/"]`)
	cit.sees("a service", "Calcio a 5 inclusivo", "Quando", "lunedì e giovedì 18:30–20:00", "Informazioni verificate il")
	cit.shot("risorsa-orari")

	for _, b := range []*browserTab{udp, ass, coop, coop2, reg, cit} {
		for _, p := range b.problems() {
			t.Errorf("%s's browser reported: %s", b.who, p)
		}
	}
	t.Logf("%d screenshots in %s (%s)", len(sh.names), sh.dir, time.Since(start).Round(100*time.Millisecond))
}
