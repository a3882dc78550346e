package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// a11yTags are the axe-core rules the test runs: WCAG 2.0 and 2.1, levels A and AA (the
// level the Linee guida AgID sull'accessibilità require), WCAG 2.2 AA's (the size of what a
// finger taps) and axe's best practices (landmarks, heading order, one main), which the pages
// meet too.
var a11yTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "wcag22aa"}

// a11yViewports are the sizes every page is checked at: a laptop and a phone (portrait).
var a11yViewports = []struct {
	name          string
	width, height int64
	phone         bool
}{
	{"desktop", 1280, 900, false},
	{"phone", 390, 844, true},
}

// TestA11yPages visits representative pages of every kind of user, over the demo data, in
// Chromium at a laptop's and a phone's size; on each it runs axe-core (WCAG 2.1 A and AA) and
// fails naming every violation with the elements it found it on. On the phone it also checks
// the layout: the page never scrolls sideways, "Esci" stays on one line, and a table wider
// than the screen scrolls inside its own box, which shows that it does (or stacks).
func TestA11yPages(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the accessibility test needs Chromium at %s: install it with `apt-get install chromium` (Debian)", chromiumPath)
	}
	start := time.Now()
	root, err := dbtest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	axe, err := os.ReadFile(filepath.Join(root, "cmd/ambiti/testdata/axe/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	loadDemoInto(t, e)
	t.Logf("the demo data loaded (%s)", time.Since(start).Round(100*time.Millisecond))
	const vt = "valle-trompia"
	ids := a11yIDs(t, e)
	// A proposed amendment, for the Assemblea's page to show its changes before and after.
	udpAPI := e.as("udp."+vt, vt)
	var am idOnly
	udpAPI.ok("POST", fmt.Sprintf("/api/v1/plans/%d/amendments", ids.plan), map[string]any{"reason": "Più persone da seguire dopo il bando regionale"}, &am)
	udpAPI.ok("PATCH", fmt.Sprintf("/api/v1/indicators/%d", ids.indicator), map[string]any{"target": 45}, nil)
	udpAPI.ok("POST", fmt.Sprintf("/api/v1/plans/%d/amendments/%d/propose", ids.plan, am.ID), nil, nil)

	sh := &shots{dir: screenshotDir(t)}
	bctx := startChromium(t)
	district := "http://" + vt + ".localhost:" + e.port
	people := []struct {
		who, base, user string
		pages           []string // paths; "@sel" reads the next page's address from sel on the last one
	}{
		{"udp", district, "udp." + vt, []string{"/", "/piani", fmt.Sprintf("/piani/%d", ids.plan),
			fmt.Sprintf("/obiettivi/%d", ids.objective), fmt.Sprintf("/obiettivi/%d/budget", ids.objective), "/incarichi"}},
		{"assemblea", district, "assemblea." + vt, []string{"/", "/approvazioni"}},
		{"coop", district, "coop." + vt, []string{"/incarichi", `@main table a[href^="/incarichi/"]`}},
		{"link_worker", "http://trento.localhost:" + e.port, "link_worker.trento", []string{"/percorsi", `@#caseload-table a[href^="/percorsi/"]`}},
		{"cittadino", "http://trento.localhost:" + e.port, "", []string{"/risorse"}},
		{"dpo", district, "dpo." + vt, []string{"/dpo/registro"}},
		{"regione", "http://localhost:" + e.port, "regione.lombardia", []string{"/regioni/lombardia"}},
	}
	found, pages := 0, 0
	for _, p := range people {
		desk := &browserTab{t: t, who: p.who, base: p.base, shots: sh}
		var cancel context.CancelFunc
		desk.ctx, cancel = chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		desk.watch()
		if p.user != "" {
			desk.open("/auth/login?return_to=/")
			desk.login(p.user, e.idp.Password, "")
		}
		// The phone is a second tab of the same browser context: the same login.
		phone := &browserTab{t: t, who: p.who + " (telefono)", base: p.base, shots: sh}
		phone.ctx, cancel = chromedp.NewContext(desk.ctx)
		t.Cleanup(cancel)
		phone.watch()
		tabs := []*browserTab{desk, phone}
		if pages == 0 {
			desk.axeCanary(axe)
		}
		for i, vp := range a11yViewports {
			ctx, cancel := tabs[i].step()
			opts := []chromedp.EmulateViewportOption{}
			if vp.phone {
				opts = append(opts, chromedp.EmulateMobile)
			}
			err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, opts...))
			cancel()
			if err != nil {
				t.Fatalf("%s: the %s viewport: %v", p.who, vp.name, err)
			}
		}
		for _, path := range p.pages {
			if sel, ok := strings.CutPrefix(path, "@"); ok {
				path = desk.href(sel)
			}
			pages++
			for i, vp := range a11yViewports {
				b := tabs[i]
				if status := b.open(path); status != 200 {
					t.Errorf("%s %s (%s): status %d", p.who, path, vp.name, status)
					continue
				}
				where := fmt.Sprintf("%s %s (%s)", p.who, path, vp.name)
				problems := b.axe(axe)
				if vp.phone {
					problems = append(problems, b.phoneLayout()...)
					b.shot(fmt.Sprintf("a11y-telefono-%s-%d", p.who, pages))
				}
				for _, v := range problems {
					t.Errorf("%s: %s", where, v)
				}
				found += len(problems)
				t.Logf("%s: %d problems (%s)", where, len(problems), time.Since(start).Round(100*time.Millisecond))
			}
		}
		for _, b := range tabs {
			for _, pr := range b.problems() {
				t.Errorf("%s's browser reported: %s", b.who, pr)
			}
		}
	}
	t.Logf("%d pages at %d sizes, %d problems (%s)", pages, len(a11yViewports), found, time.Since(start).Round(100*time.Millisecond))
}

// loadDemoInto loads the demo data (`ambiti demo load`) into e's database, the pathways made
// as e's development provider's users.
func loadDemoInto(t *testing.T, e *env) {
	t.Helper()
	root, _ := dbtest.RepoRoot()
	out, err := ambiti(t, map[string]string{"DATABASE_URL": e.url, "AMBITI_DEMO_DIR": filepath.Join(root, "deploy/demo"),
		"AMBITI_DEV_IDP_ISSUER": e.idp.Issuer, "AMBITI_MASTER_KEY": testMasterKey}, "demo", "load")
	if err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
}

// a11yPageIDs are the demo records the test's addresses name.
type a11yPageIDs struct {
	plan, objective, indicator int64
}

// a11yIDs finds, in Valle Trompia's demo plans, the objective with the longest series of
// measurements (its sheet draws the chart), its indicator and its plan.
func a11yIDs(t *testing.T, e *env) a11yPageIDs {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ids a11yPageIDs
	err = conn.QueryRow(ctx, `SELECT o.plan_id, o.id, i.id FROM t_valle_trompia.measurements m
		JOIN t_valle_trompia.indicators i ON i.id = m.indicator_id
		JOIN t_valle_trompia.objectives o ON o.id = i.objective_id
		JOIN t_valle_trompia.plans p ON p.id = o.plan_id AND p.status = 'approvato'
		GROUP BY o.plan_id, o.id, i.id ORDER BY count(*) DESC, i.id LIMIT 1`).Scan(&ids.plan, &ids.objective, &ids.indicator)
	if err != nil {
		t.Fatalf("the demo's objective with a series: %v", err)
	}
	return ids
}

// href is the address of the first link sel selects on the tab's page.
func (b *browserTab) href(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	arg, _ := json.Marshal(sel)
	h, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%s) || {}).href || ""`, arg)))
	if err != nil || h == "" {
		b.fail("no link %s: %v", sel, err)
	}
	return h
}

// axe injects axe-core into the tab's page, runs it with a11yTags and returns each violation
// as "rule (impact): help — the elements' selectors".
func (b *browserTab) axe(src []byte) []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	tags, _ := json.Marshal(a11yTags)
	run := `document.fonts.ready.then(() => axe.run(document, {runOnly: {type: 'tag', values: ` + string(tags) + `}, resultTypes: ['violations']}))
  .then((r) => JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.flat().join(' >>> '))}))))`
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src)+"\n;void 0"))
	var out string
	if err == nil {
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	}
	if err != nil {
		b.fail("run axe-core: %v", err)
	}
	var violations []struct {
		ID, Impact, Help string
		Targets          []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		b.fail("axe-core's answer: %v: %.300s", err, out)
	}
	var found []string
	for _, v := range violations {
		found = append(found, fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, " | ")))
	}
	return found
}

// axeCanary makes sure the check can fail: an image without its text alternative, added to
// the tab's page, must be reported.
func (b *browserTab) axeCanary(src []byte) {
	b.t.Helper()
	b.open("/")
	ctx, cancel := b.step()
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="a11y-canary" src="data:,">')`))
	cancel()
	if err != nil {
		b.fail("add the canary: %v", err)
	}
	for _, v := range b.axe(src) {
		if strings.HasPrefix(v, "image-alt ") && strings.Contains(v, "#a11y-canary") {
			return
		}
	}
	b.t.Fatal("axe-core does not report an image without alt: the accessibility check checks nothing")
}

// phoneLayoutJS returns what is wrong with the page's layout on a phone.
const phoneLayoutJS = `(() => {
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const de = document.documentElement;
  if (de.scrollWidth > innerWidth + 1) {
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > innerWidth + 1 && el.parentElement.getBoundingClientRect().right <= innerWidth + 1;
    }).slice(0, 5).map(name);
    out.push('the page scrolls sideways: ' + de.scrollWidth + ' px wide in ' + innerWidth + '; too wide: ' + wide.join(', '));
  }
  const esci = document.querySelector('.app-logout button');
  if (esci) {
    const range = document.createRange();
    range.selectNodeContents(esci);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const cs = getComputedStyle(esci);
    const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5;
    const height = Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top));
    if (rects.length && height > line * 1.5) out.push('"Esci" wraps over more than one line (' + Math.round(height) + ' px, a line is ' + Math.round(line) + ')');
  }
  for (const table of document.querySelectorAll('main table')) {
    if (!table.getClientRects().length) continue;
    const label = name(table) + (table.caption ? ' «' + table.caption.textContent.trim().slice(0, 40) + '»' : '');
    // A caption as wide as the part of the table in view (a stacked table's caption can end
    // up laid out a word wide); one visually hidden, for screen readers only, is 1 px.
    const inView = Math.min(table.getBoundingClientRect().width, table.parentElement.clientWidth);
    const cap = table.caption ? table.caption.getBoundingClientRect().width : 0;
    if (cap > 1 && cap < inView * 0.9) {
      out.push(label + ': its caption is squeezed into ' + Math.round(cap) + ' px of ' + Math.round(inView));
    }
    if (getComputedStyle(table).display === 'block' && getComputedStyle(table.querySelector('tr') || table).display === 'block') continue; // stacked
    let box = table.parentElement;
    while (box && box !== document.body && !/(auto|scroll)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box || box === document.body) {
      if (table.getBoundingClientRect().right > innerWidth + 1) out.push(label + ' is wider than the screen and not in a box that scrolls');
      continue;
    }
    if (box.scrollWidth > box.clientWidth + 1 && !/gradient/.test(getComputedStyle(box).backgroundImage)) {
      out.push(label + ' scrolls sideways in ' + name(box) + ' with nothing showing that it does');
    }
  }
  return out;
})()`

// phoneLayout checks the tab's page as laid out on a phone (see phoneLayoutJS).
func (b *browserTab) phoneLayout() []string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](phoneLayoutJS))
	if err != nil {
		b.fail("check the phone layout: %v", err)
	}
	return out
}
