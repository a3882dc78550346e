package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserTab is one person's browser (its own cookies) on one Ambiti host.
//
// Every step waits for the condition it needs, never for a fixed time: the document loaded
// (and its fonts, which move the layout when they arrive), the element visible, still and
// not covered, the navigation a click causes committed and loaded. Bootstrap Italia scrolls
// smoothly to a fragment (#budget), so an element's box keeps moving for a while after the
// load event; a click aimed at where it was hits something else, which is what made this test
// fail on a busy machine.
type browserTab struct {
	t    *testing.T
	who  string
	ctx  context.Context
	base string // http://valle-trompia.localhost:PORT

	shots *shots
	mu    sync.Mutex
	seen  []string // JavaScript exceptions and Content-Security-Policy refusals
}

// shots numbers and saves the screenshots.
type shots struct {
	dir   string
	mu    sync.Mutex
	n     int
	names []string
}

// stepTimeout bounds one step; the conditions it waits for come true in milliseconds on an
// idle machine, and the bound only decides when a step that will never succeed gives up.
const stepTimeout = 45 * time.Second

func (b *browserTab) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// watch records what the page's console and JavaScript report as broken.
func (b *browserTab) watch() {
	ctx := b.ctx
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		b.t.Fatalf("%s: enable the log: %v", b.who, err)
	}
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.seen = append(b.seen, "exception: "+ev.ExceptionDetails.Text+" "+fmt.Sprint(ev.ExceptionDetails.Exception))
			b.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, log.EntryAdded) {
			if err != nil {
				return
			}
			e := ev.Entry
			if e.Source == log.EntrySourceNetwork {
				continue // HTTP statuses: the test checks those it expects
			}
			if e.Level == log.EntryLevelError || strings.Contains(e.Text, "Content Security Policy") {
				b.mu.Lock()
				b.seen = append(b.seen, string(e.Source)+": "+e.Text+" "+e.URL)
				b.mu.Unlock()
			}
		}
	}()
}

func (b *browserTab) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.seen...)
}

// fail ends the test with what went wrong, where, and the paths of a screenshot and of the
// page's HTML saved at that moment, so that a failure on CI can be read from its log.
func (b *browserTab) fail(format string, args ...any) {
	b.t.Helper()
	b.t.Fatalf("%s: %s\n\ton %s\n\t%s", b.who, fmt.Sprintf(format, args...), b.location(), b.evidence())
}

// evidence saves the tab's screenshot and HTML next to the other screenshots.
func (b *browserTab) evidence() string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	base := filepath.Join(b.shots.dir, fmt.Sprintf("FAILED-%s-%s", b.who, time.Now().Format("150405.000")))
	var saved []string
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		saved = append(saved, "no screenshot: "+err.Error())
	} else if err := os.WriteFile(base+".png", png, 0o644); err == nil {
		saved = append(saved, "screenshot "+base+".png")
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil {
		saved = append(saved, "no HTML: "+err.Error())
	} else if err := os.WriteFile(base+".html", []byte(html), 0o644); err == nil {
		saved = append(saved, "HTML "+base+".html")
	}
	return strings.Join(saved, "; ")
}

// open goes to path on the tab's host (or to a full URL), waits for its load event and
// returns the final status.
func (b *browserTab) open(path string) int64 {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		b.fail("open %s: %v", u, err)
	}
	return res.Status
}

// actionableJS resolves, once the element that sel selects can take a person's click, to the
// point to click: the document complete with its fonts, the element visible, scrolled into
// the middle of the viewport without animation, its box and the page's scroll unchanged over
// two animation frames, and the element itself (or a child) what a click there would hit. It
// rejects, naming what was last wrong, when budgetMs run out.
const actionableJS = `(async (sel, budgetMs) => {
  const deadline = performance.now() + budgetMs;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const describe = (el) => el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '') : 'nothing';
  let why = 'the document is still loading';
  while (document.readyState !== 'complete') {
    if (performance.now() > deadline) throw new Error(why);
    await new Promise((r) => setTimeout(r, 10));
  }
  await document.fonts.ready;
  let last = '', still = 0, scrolled = false;
  while (performance.now() < deadline) {
    await frame();
    const el = document.querySelector(sel);
    if (!el) { why = 'not in the page'; last = ''; still = 0; continue; }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') {
      why = 'not visible'; last = ''; still = 0; continue;
    }
    if (!scrolled) {
      el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
      scrolled = true; last = ''; still = 0; continue;
    }
    const box = [r.x, r.y, r.width, r.height, window.scrollX, window.scrollY].join(',');
    if (box !== last) { why = 'still moving'; last = box; still = 0; continue; }
    if (++still < 2) continue;
    // A link that wraps over two lines has its middle between them: aim at its first line.
    const first = el.getClientRects()[0] || r;
    const x = first.left + first.width / 2, y = first.top + first.height / 2;
    if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) {
      why = 'outside the viewport'; scrolled = false; continue;
    }
    const hit = document.elementFromPoint(x, y);
    if (hit !== el && !el.contains(hit)) {
      why = 'covered by ' + describe(hit) + ' at ' + Math.round(x) + ',' + Math.round(y); still = 0; continue;
    }
    return [x, y];
  }
  throw new Error(why);
})`

// actionable waits until sel can be clicked (see actionableJS) and returns where.
func (b *browserTab) actionable(ctx context.Context, sel string) (x, y float64) {
	b.t.Helper()
	budget := stepTimeout - time.Second // the page gives up first, and says why
	if dl, ok := ctx.Deadline(); ok {
		budget = time.Until(dl) - time.Second
	}
	arg, _ := json.Marshal(sel)
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](
		fmt.Sprintf("%s(%s, %d)", actionableJS, arg, budget.Milliseconds()), chromedp.EvalAwaitPromise))
	if err != nil || len(xy) != 2 {
		b.fail("%s cannot be clicked: %v", sel, err)
	}
	return xy[0], xy[1]
}

// click clicks what sel selects, once it can take the click, and waits until the page it leads
// to has been committed and loaded.
func (b *browserTab) click(sel string) *network.Response {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	x, y := b.actionable(ctx, sel)
	res, err := chromedp.RunResponse(ctx, chromedp.MouseClickXY(x, y))
	if err != nil {
		b.fail("click %s: no page loaded after the click: %v", sel, err)
	}
	return res
}

// tick clicks what does not navigate (a checkbox's label, a menu button).
func (b *browserTab) tick(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	x, y := b.actionable(ctx, sel)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		b.fail("click %s: %v", sel, err)
	}
}

// settled waits until what sel selects is visible and has stopped moving (a panel sliding in).
func (b *browserTab) settled(sel string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	b.actionable(ctx, sel)
}

// fill types into the fields named by id, each within its own step; a value for a select is
// chosen, not typed. Text goes in as the browser inserts typed or pasted text (one input event
// per field, Input.insertText) rather than one key event per character: a paragraph typed key
// by key is hundreds of round trips to the browser, which a busy machine cannot fit in a step.
func (b *browserTab) fill(kv ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(kv); i += 2 {
		b.fillOne(kv[i], kv[i+1])
	}
}

func (b *browserTab) fillOne(id, v string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	// A date input takes its value as YYYY-MM-DD, not typed keys (whose order is the locale's).
	tag, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(e => e ? (e.type === "date" ? "DATE" : e.tagName) : "")(document.getElementById(%q))`, id)))
	if err != nil || tag == "" {
		b.fail("no field #%s (%v)", id, err)
	}
	if tag == "SELECT" || tag == "DATE" {
		err = chromedp.Do(ctx, chromedp.SetValue(chromedp.ID(id), v))
	} else {
		err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ""`, id)),
			chromedp.Focus(chromedp.ID(id)))
		if err == nil {
			_, err = chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: v})
		}
	}
	if err != nil {
		b.fail("fill #%s: %v", id, err)
	}
}

// text is the visible text of the page's main content.
func (b *browserTab) text() string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		b.fail("read the page: %v", err)
	}
	return s
}

func (b *browserTab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// sees checks that the page's main content shows each text.
func (b *browserTab) sees(what string, want ...string) {
	b.t.Helper()
	txt := b.text()
	for _, w := range want {
		if !strings.Contains(txt, w) {
			b.t.Errorf("%s, %s: the page (%s) does not show %q:\n%.1500s", b.who, what, b.location(), w, txt)
		}
	}
}

// shot saves a full-page PNG of the tab.
func (b *browserTab) shot(name string) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fail("screenshot %s: %v", name, err)
	}
	b.shots.mu.Lock()
	b.shots.n++
	file := filepath.Join(b.shots.dir, fmt.Sprintf("%02d-%s.png", b.shots.n, name))
	b.shots.names = append(b.shots.names, filepath.Base(file))
	b.shots.mu.Unlock()
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// login fills the development provider's form, on which the tab stands, and comes back;
// shot names a screenshot of the filled form ("" for none).
func (b *browserTab) login(username, password, shot string) {
	b.t.Helper()
	b.fill("username", username, "password", password)
	if shot != "" {
		b.shot(shot)
	}
	if res := b.click(`button[type="submit"]`); res.Status != 200 {
		b.fail("after login: %d %s", res.Status, res.URL)
	}
}

// startChromium starts Debian's Chromium, headless, in Italian, for the rest of the test; the
// context it returns is the browser's (tabs are made from it).
func startChromium(t *testing.T) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", "it-IT,it"),
		chromedp.Flag("lang", "it-IT"),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil { // starts the browser: no timeout on this context
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}

// districtTabs starts Chromium for the test and returns how to open a tab on slug's host of
// e, each in its own browser context (its own cookies: its own login), its screenshots saved
// together.
func districtTabs(t *testing.T, e *env, slug string) func(who string) *browserTab {
	t.Helper()
	sh := &shots{dir: screenshotDir(t)}
	bctx := startChromium(t)
	base := "http://" + slug + ".localhost:" + e.port
	return func(who string) *browserTab {
		ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		b := &browserTab{t: t, who: who, ctx: ctx, base: base, shots: sh}
		b.watch()
		return b
	}
}
