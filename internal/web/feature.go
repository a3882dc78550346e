package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/route"
)

// Feature is what a feature brings to the shell: its pages, their templates and texts, and its
// entries in the main navigation. The shell imports no feature; cmd/ambiti hands each
// feature's value to New.
type Feature struct {
	// Name prefixes the feature's page names ("plan" → "plan/objective"), so that two features
	// cannot clash; it must be unique, without "/".
	Name string
	// Files holds templates/pages/<name>.html (one page each, defining "content"), optionally
	// templates/*.html (templates the feature's pages share; their names must not be the
	// shell's), and locales/<lang>.json (its texts, which the shell merges into one catalogue
	// per language: a key defined twice fails the start).
	Files fs.FS
	// Funcs are template functions of the feature's own (independent of the language); a name
	// the shell already uses fails the start.
	Funcs template.FuncMap
	// Nav lists the feature's entries of the main navigation for the page being prepared: only
	// what the person may open. It may be nil.
	Nav func(c echo.Context, p *Page) []NavItem
	// Pages builds the feature's page routes on the shell, once the templates are parsed.
	Pages func(w *Web) []route.Route
	// Organisation names the organisation the person belongs to (a partner's code → its
	// name), for the profile; "" when the feature does not know it. It may be nil.
	Organisation func(c echo.Context) string
}

// checkFeatures refuses features whose names cannot keep their pages apart.
func checkFeatures(fs []Feature) error {
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Name == "" || strings.Contains(f.Name, "/") || seen[f.Name] {
			return fmt.Errorf("web: feature name %q is empty, holds a slash or is used twice", f.Name)
		}
		if f.Files == nil || f.Pages == nil {
			return fmt.Errorf("web: feature %s has no files or no pages", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// room is one set of pages parsed against the shell: the shell's own (no prefix) or a
// feature's.
type room struct {
	prefix string // "" for the shell, "plan/" for the plan
	files  fs.FS
}

// name is how errors call the room.
func (r room) name() string {
	if r.prefix == "" {
		return "web"
	}
	return strings.TrimSuffix(r.prefix, "/")
}
