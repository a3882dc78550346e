package web_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
	"github.com/ambiti/ambiti/internal/web/webtest"
	"github.com/ambiti/ambiti/policies"
)

func TestShellTexts(t *testing.T) {
	dyn := append(webtest.Keys("role", roles.All...), webtest.Keys("profile.via", "session", "bearer")...)
	dyn = append(dyn, webtest.Keys("ops.kind", "platform", "region", "district")...)
	dyn = append(dyn, webtest.Keys("ops.outcome", "created", "updated", "migrated", "unchanged", "failed")...)
	for _, line := range strings.Split(policies.Policy, "\n") {
		parts := strings.Split(line, ",")
		if len(parts) == 5 && strings.TrimSpace(parts[0]) == "p" {
			dyn = append(dyn, "perm."+strings.TrimSpace(parts[3])+"."+strings.TrimSpace(parts[4]))
		}
	}
	webtest.CheckTexts(t, webtest.Room{GoFiles: "*.go", Dynamic: dyn, MinUsed: 80})
}

// feature is a minimal feature with one page and one text, for the registration tests.
func feature(name string, files fstest.MapFS) web.Feature {
	fs := fstest.MapFS{
		"templates/pages/one.html": {Data: []byte(`{{define "content"}}{{t "x.one"}}{{end}}`)},
		"locales/it.json":          {Data: []byte(`{"x.one": "uno"}`)},
		"locales/en.json":          {Data: []byte(`{"x.one": "one"}`)},
	}
	for k, v := range files {
		fs[k] = v
	}
	return web.Feature{Name: name, Files: fs, Pages: func(*web.Web) []route.Route { return nil }}
}

func TestFeaturesRegister(t *testing.T) {
	f := feature("x", nil)
	f.Nav = func(echo.Context, *web.Page) []web.NavItem { return nil }
	w, err := web.New(web.Deps{}, f)
	if err != nil {
		t.Fatal(err)
	}
	if !w.HasText(web.English, "x.one") || !w.HasText(web.Italian, "nav.home") {
		t.Error("the feature's texts and the shell's are not merged")
	}
}

func TestFeaturesCannotClash(t *testing.T) {
	for name, fs := range map[string][]web.Feature{
		"the same name twice":  {feature("x", nil), feature("x", nil)},
		"a name with a slash":  {feature("x/y", nil)},
		"a text defined twice": {feature("x", nil), feature("y", nil)},
		"a text of the shell": {feature("x", fstest.MapFS{"locales/it.json": {Data: []byte(`{"x.one": "uno", "nav.home": "Casa"}`)},
			"locales/en.json": {Data: []byte(`{"x.one": "one", "nav.home": "Home"}`)}})},
		"a template of the shell":        {feature("x", fstest.MapFS{"templates/shared.html": {Data: []byte(`{{define "field"}}{{end}}`)}})},
		"a template that does not parse": {feature("x", fstest.MapFS{"templates/pages/two.html": {Data: []byte(`{{define "content"}}{{if}}{{end}}`)}})},
		"a page without content":         {feature("x", fstest.MapFS{"templates/pages/two.html": {Data: []byte(`{{define "other"}}{{end}}`)}})},
		"a function of the shell":        {func() web.Feature { f := feature("x", nil); f.Funcs = map[string]any{"t": strings.ToUpper}; return f }()},
		"missing texts":                  {feature("x", fstest.MapFS{"locales/en.json": nil})},
	} {
		if name == "missing texts" {
			delete(fs[0].Files.(fstest.MapFS), "locales/en.json")
		}
		if _, err := web.New(web.Deps{}, fs...); err == nil {
			t.Errorf("%s: the start did not fail", name)
		}
	}
}
