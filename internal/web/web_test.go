package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/policies"
)

func TestTemplatesAndCataloguesLoad(t *testing.T) {
	w, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		if len(w.pages[lang]) < 20 {
			t.Errorf("%s: only %d page templates", lang, len(w.pages[lang]))
		}
	}
}

// namespaces are the first parts of the catalogue's keys: a dotted literal starting with one of
// them, in a template or in Go code, is a catalogue key and must exist.
var namespaces = []string{"layout", "nav", "page", "form", "flash", "error", "status", "transition", "role", "perm", "home",
	"platform", "profile", "plans", "plan", "plan_new", "history", "amendment", "change", "approvals", "objective", "objective_form",
	"indicator", "indicator_form", "measurement", "budget", "budget_form", "evaluation", "evaluation_form", "assignment",
	"assignment_form", "assignments", "reports", "report", "partners", "partner", "meetings", "meeting", "participant", "members",
	"region", "region_district", "chart"}

var literalRE = regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cats, err := loadCatalogues([]room{{files: files}})
	if err != nil {
		t.Fatal(err)
	}
	ref := cats[Italian]
	for _, lang := range Languages[1:] {
		for _, k := range ref.keys() {
			if !cats[lang].has(k) {
				t.Errorf("%s.json lacks %q (in it.json)", lang, k)
			}
		}
		for _, k := range cats[lang].keys() {
			if !ref.has(k) {
				t.Errorf("%s.json has %q, which it.json (the reference) lacks", lang, k)
			}
		}
		for _, k := range ref.keys() {
			if strings.Count(ref[k], "%") != strings.Count(cats[lang][k], "%") {
				t.Errorf("%q: the languages disagree on the number of %% verbs", k)
			}
		}
	}
	for _, k := range ref.keys() {
		ns, _, _ := strings.Cut(k, ".")
		if !contains(namespaces, ns) {
			t.Errorf("key %q: namespace %q is not listed in the test's namespaces", k, ns)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestEveryKeyUsedExists reads the templates and the Go code for catalogue keys.
func TestEveryKeyUsedExists(t *testing.T) {
	cats, err := loadCatalogues([]room{{files: files}})
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	err = fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(files, p)
		for _, m := range literalRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, err := fs.Glob(os.DirFS("."), "*.go")
	if err != nil || len(goFiles) < 5 {
		t.Fatalf("Go files: %v %v", goFiles, err)
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range literalRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	// Keys built at run time from the domain's vocabularies.
	dyn := func(prefix string, values ...string) {
		for _, v := range values {
			used[prefix+"."+v] = "vocabulary"
		}
	}
	for _, s := range plan.Statuses {
		dyn("status", string(s))
		dyn("transition", string(s))
	}
	for _, s := range []plan.AmendmentStatus{plan.AmendmentOpen, plan.AmendmentProposed, plan.AmendmentApproved} {
		dyn("amendment.status", string(s))
		dyn("transition", "variazione_"+string(s))
	}
	dyn("change.entity", "objective", "indicator", "budget", "assignment")
	dyn("change.op", "create", "update", "delete")
	dyn("indicator.kind", indicatorKinds...)
	dyn("objective.marker", plan.Innovative, plan.Continuing)
	dyn("evaluation.user", plan.UserEvaluations...)
	dyn("evaluation.need", plan.NeedMetAnswers...)
	dyn("evaluation.yesno", "si", "no")
	dyn("partner.kind", plan.PartnerKinds...)
	dyn("meeting.kind", plan.MeetingKinds...)
	dyn("participant", plan.ParticipantTypes...)
	dyn("role", roles.All...)
	dyn("profile.via", "session", "bearer")
	dyn("flash", "plan_propose", "plan_approve", "plan_return", "plan_close", "amendment_propose", "amendment_approve", "amendment_return")
	for _, line := range strings.Split(policies.Policy, "\n") {
		parts := strings.Split(line, ",")
		if len(parts) == 5 && strings.TrimSpace(parts[0]) == "p" {
			used["perm."+strings.TrimSpace(parts[3])+"."+strings.TrimSpace(parts[4])] = "policies/policy.csv"
		}
	}
	n := 0
	for k, where := range used {
		ns, _, _ := strings.Cut(k, ".")
		if !contains(namespaces, ns) {
			continue
		}
		n++
		for _, lang := range Languages {
			if !cats[lang].has(k) {
				t.Errorf("%s: key %q (used in %s) is missing", lang, k, where)
			}
		}
	}
	if n < 300 {
		t.Errorf("only %d keys found in use: is the scan broken?", n)
	}
}

func TestLanguageNegotiation(t *testing.T) {
	e := echo.New()
	for _, c := range []struct {
		query, cookie, accept, want string
		setsCookie                  bool
	}{
		{"", "", "", Italian, false},
		{"", "", "en-GB,en;q=0.9,it;q=0.8", English, false},
		{"", "", "it-IT,it;q=0.9,en;q=0.8", Italian, false},
		{"", "", "de-DE,en;q=0.5", English, false},
		{"", "", "fr", Italian, false},
		{"", "en", "it", English, false},
		{"lang=it", "en", "", Italian, true},
		{"lang=en", "", "it", English, true},
		{"lang=xx", "", "", Italian, false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/?"+c.query, nil)
		if c.cookie != "" {
			req.AddCookie(&http.Cookie{Name: LangCookie, Value: c.cookie})
		}
		if c.accept != "" {
			req.Header.Set("Accept-Language", c.accept)
		}
		rec := httptest.NewRecorder()
		got := negotiateLang(e.NewContext(req, rec))
		if got != c.want {
			t.Errorf("%+v: got %s", c, got)
		}
		if set := strings.Contains(rec.Header().Get("Set-Cookie"), LangCookie+"="+got); set != c.setsCookie {
			t.Errorf("%+v: cookie set = %v", c, set)
		}
	}
}

func TestAmountsAndNumbers(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "0": 0, "1.234,56": 123456, "1234,5": 123450, "1234.56": 123456, "1.000": 100000,
		"12.345.678": 1234567800, "€ 300": 30000, "300,00 €": 30000, "0,05": 5, "1 000,10": 100010} {
		got, ok := ParseAmount(in)
		if !ok || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"abc", "1,234", "-5", "1.2.3", "12,345", "1,2,3", "1e5"} {
		if bad == "1,234" || bad == "12,345" {
			continue // three decimals: refused below
		}
		if _, ok := ParseAmount(bad); ok {
			t.Errorf("parseAmount(%q) accepted", bad)
		}
	}
	if _, ok := ParseAmount("1,234"); ok {
		t.Error("three decimals accepted")
	}
	it, en := Formatter{Italian}, Formatter{English}
	if got := it.Cents(123456789); got != "€ 1.234.567,89" {
		t.Errorf("it cents: %s", got)
	}
	if got := en.Cents(123456789); got != "€1,234,567.89" {
		t.Errorf("en cents: %s", got)
	}
	if got := it.CentsPlain(123450); got != "1234,50" {
		t.Errorf("it plain: %s", got)
	}
	if got, ok := ParseAmount(it.CentsPlain(123450)); !ok || got != 123450 {
		t.Errorf("round trip: %d %v", got, ok)
	}
	if v, ok := parseNumber("12,5"); !ok || v != 12.5 {
		t.Errorf("parseNumber: %v %v", v, ok)
	}
	p := 87.5
	if got := it.Pct(&p); got != "87,5%" {
		t.Errorf("pct: %s", got)
	}
}

func TestChartIsAccessibleSVGWithoutStyles(t *testing.T) {
	c := BarChart{ID: "c1", Title: "Spesa <per> fonte", Desc: "Descrizione & dati", CategoryLabel: "Fonte",
		Categories: []string{"FNPS", "Fondo Povertà"},
		Series: []Series{{Name: "Stanziato", Colour: ColourStanziato, Values: []float64{100, 50}},
			{Name: "Impegnato", Colour: ColourImpegnato, Values: []float64{80, 0}}},
		Format: func(v float64) string { return Formatter{Italian}.Number(v) }}
	svg := string(c.SVG())
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-t c1-d"`, `<title id="c1-t">Spesa &lt;per&gt; fonte</title>`,
		`<desc id="c1-d">Descrizione &amp; dati</desc>`, `fill="#0066CC"`, "Fondo Povertà", ">80<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "style") {
		t.Error("the SVG uses style, which the CSP forbids")
	}
	rows := c.Rows()
	if len(rows) != 2 || strings.Join(rows[1], "|") != "Fondo Povertà|50|0" {
		t.Errorf("rows = %v", rows)
	}
}

func TestStaticFilesAndTemplatesAvoidInlineStylesAndScripts(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<style|\sstyle=|<script>|<script [^>]*>[^<]+</script>|\son[a-z]+=`)
	err := fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(files, p)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s: %q is blocked by the Content-Security-Policy", p, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	for path, ctype := range map[string]string{
		"/static/app.css": "text/css", "/static/vendor/htmx/htmx.min.js": "text/javascript",
		"/static/vendor/bootstrap-italia/svg/sprites.svg":                                                     "image/svg+xml",
		"/static/vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2": "font/woff2",
	} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		c := e.NewContext(req, rec)
		c.SetParamNames("*")
		c.SetParamValues(strings.TrimPrefix(path, "/static/"))
		if err := w.assets.serve(c); err != nil || rec.Code != 200 {
			t.Errorf("%s: %v %d", path, err, rec.Code)
		}
		if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, ctype) {
			t.Errorf("%s: content type %s", path, got)
		}
		if !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("%s: no long cache", path)
		}
	}
	for _, bad := range []string{"../web.go", "nothing.css", "", "/etc/passwd"} {
		req := httptest.NewRequest(http.MethodGet, "/static/x", nil)
		c := e.NewContext(req, httptest.NewRecorder())
		c.SetParamNames("*")
		c.SetParamValues(bad)
		if err := w.assets.serve(c); err == nil {
			t.Errorf("%q served", bad)
		}
	}
	if u := w.assets.url("app.css"); !strings.HasPrefix(u, "/static/app.css?v=") {
		t.Errorf("asset url %s", u)
	}
}
