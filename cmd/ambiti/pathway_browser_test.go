package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ambiti/ambiti/internal/pathway"
)

// TestBrowserPathway drives Chromium through a link worker's day in Trento: the caseload, a
// person's pathway (clicked), a meeting recorded with a note, an ONS4 follow-up entered with
// the keyboard (a radio focused, then the arrow keys); the page then shows the meeting and
// the four values apart. Then the Assemblea visits every link of its navigation and the
// pathway's addresses: none shows the person's name or codice fiscale.
func TestBrowserPathway(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs Chromium at %s", chromiumPath)
	}
	e := newEnv(t)
	const slug = "trento"
	cf := "BNCMRC04A01L378"
	cf += string(pathway.CFControl(cf))
	var p pathway.Pathway
	lwAPI := e.as("link_worker."+slug, slug)
	r := lwAPI.do("POST", "/api/v1/pathways", map[string]any{
		"person": map[string]any{"given_name": "Marco", "family_name": "Bianchi di Prova", "codice_fiscale": cf,
			"birth_date": time.Now().AddDate(-20, 0, 0).Format(time.DateOnly)},
		"programme": "cope", "source": "centro_impiego", "engaged_on": time.Now().AddDate(0, 0, -20).Format(time.DateOnly),
		"neet_start": "nessuno", "notice_version": "2026-01"})
	if r.status != 201 {
		t.Fatalf("open the pathway: %d %s", r.status, r.body)
	}
	r.json(t, &p)
	newTab := districtTabs(t, e, slug)
	pw := e.idp.Password
	detail := "/percorsi/" + p.ID

	// --- The link worker ---
	lw := newTab("link_worker")
	lw.open("/auth/login?return_to=/percorsi")
	lw.login("link_worker."+slug, pw, "")
	lw.sees("the caseload", "Da sentire questa settimana", "Marco Bianchi di Prova")
	lw.shot("percorsi-caseload")
	lw.click(`#caseload-table a[href="` + detail + `"]`)
	lw.sees("the pathway", "Marco Bianchi di Prova", cf, "Aggancio", "Incontri e follow-up")

	lw.fill("f-meeting-kind", "incontro", "f-meeting-notes", "Colloquio al centro giovani: vuole provare il corso di cucina.")
	lw.setDate("f-meeting-next_follow_up", time.Now().AddDate(0, 0, 3))
	if res := lw.click("#meeting-submit"); res.Status != 200 {
		lw.fail("record the meeting: %d", res.Status)
	}
	lw.sees("after the meeting", "Incontro registrato.", "Colloquio al centro giovani: vuole provare il corso di cucina.")
	lw.shot("percorso-incontro")

	lw.click("#ons4-link")
	lw.sees("the ONS4 entry", "Nel complesso, quanto sei soddisfatto/a della tua vita oggi?", "10 – completamente")
	for item, v := range map[string]int{"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3} {
		lw.keys(item, v)
	}
	lw.shot("percorso-ons4")
	if res := lw.click("#ons4-submit"); res.Status != 200 {
		lw.fail("record the ONS4: %d", res.Status)
	}
	lw.sees("after the ONS4", "Misura ONS4 registrata.")
	row := lw.textOf("#ons4-table tbody tr")
	if !strings.Contains(row, "Follow-up") || !strings.Contains(strings.Join(strings.Fields(row), " "), "6 7 5 3") {
		t.Errorf("the ONS4 row = %q, want the follow-up with 6 7 5 3", row)
	}
	lw.sees("the meeting stays", "Colloquio al centro giovani")
	lw.shot("percorso-dopo-ons4")
	lw.click(`#nav-main-menu a[href="/percorsi"]`)
	if due := lw.textOf("#due"); !strings.Contains(due, "Marco Bianchi di Prova") {
		t.Errorf("the follow-up set at the meeting is not among this week's: %q", due)
	}

	// --- The Assemblea: no personal data anywhere ---
	as := newTab("assemblea")
	as.open("/auth/login?return_to=/")
	as.login("assemblea."+slug, pw, "")
	links := as.navLinks()
	for _, path := range append(links, "/percorsi", detail, detail+"/ons4", "/percorsi/assegnazioni", "/percorsi/statistiche") {
		status := as.open(path)
		page := as.html()
		if strings.Contains(page, "Bianchi") || strings.Contains(page, cf) {
			t.Errorf("assemblea sees the person on %s (%d)", path, status)
		}
		if strings.HasPrefix(path, "/percorsi") && status != 403 && status != 404 {
			t.Errorf("assemblea on %s: %d, want 403 or 404", path, status)
		}
	}
	for _, b := range []*browserTab{lw, as} {
		if pr := b.problems(); len(pr) > 0 {
			t.Errorf("%s: the pages reported problems: %v", b.who, pr)
		}
	}
}

// keys answers an ONS4 item with the keyboard: focus its first radio, Space to choose 0, then
// ArrowRight v times; the checked value must be v.
func (b *browserTab) keys(item string, v int) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	b.actionable(ctx, `label[for="`+item+`-0"]`) // Bootstrap Italia draws the radio in its label
	acts := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.ID(item + "-0")), chromedp.KeyEvent(" ")}
	for range v {
		acts = append(acts, chromedp.KeyEvent(kb.ArrowRight))
	}
	if err := chromedp.Do(ctx, acts...); err != nil {
		b.fail("answer %s with the keyboard: %v", item, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(document.querySelector('input[name=%q]:checked') || {value: ""}).value`, item)))
	if err != nil || got != fmt.Sprint(v) {
		b.fail("%s: checked %q after the keys, want %d (%v)", item, got, v, err)
	}
}

// textOf is the text of the first element sel selects, once it is there.
func (b *browserTab) textOf(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail("read %s: %v", sel, err)
	}
	return s
}

// html is the whole document as the browser holds it.
func (b *browserTab) html() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		b.fail("read the page: %v", err)
	}
	return s
}

// navLinks are the local addresses of the main navigation's entries.
func (b *browserTab) navLinks() []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#nav-main-menu a[href^="/"]')].map((a) => a.getAttribute('href'))`))
	if err != nil || len(links) == 0 {
		b.fail("the navigation's links: %v %v", links, err)
	}
	return links
}

// setDate sets a date field (the browser's own date picker takes no typed text reliably).
func (b *browserTab) setDate(id string, d time.Time) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID(id), d.Format(time.DateOnly))); err != nil {
		b.fail("set #%s: %v", id, err)
	}
}
