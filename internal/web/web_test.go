package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

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
	if v, err := parseNumber("12,5"); err != nil || v != 12.5 {
		t.Errorf("parseNumber: %v %v", v, err)
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

func TestStaticFiles(t *testing.T) {
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
		if !strings.Contains(rec.Header().Get("Cache-Control"), "max-age=86400") {
			t.Errorf("%s: cache %q, want a day for an unversioned name", path, rec.Header().Get("Cache-Control"))
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
	if u := w.assets.url("app.css"); u != "/static/app."+w.assets.version["app.css"]+".css" {
		t.Errorf("asset url %s, want the content hash in the name", u)
	}
}
