package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// parseTemplates builds, for each language, one template per page: the shell's layout and
// partials, the room's shared templates, and templates/pages/<name>.html, named by the room's
// prefix and the file ("plan/objective"; the shell's own pages have no prefix). The
// translation function is bound per language, so rendering never clones.
func parseTemplates(shellFiles fs.FS, rooms []room, cats map[string]catalogue, a *assets, extra template.FuncMap) (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, lang := range Languages {
		fm := funcs(lang, cats[lang], a)
		for name, fn := range extra {
			fm[name] = fn
		}
		base, err := template.New("base").Funcs(fm).ParseFS(shellFiles, "templates/*.html")
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		out[lang] = map[string]*template.Template{}
		for _, r := range rooms {
			if err := parseRoom(base, fm, r, out[lang]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// parseRoom adds a room's pages to pages, each on a clone of base plus the room's shared
// templates, which may not redefine the shell's.
func parseRoom(base *template.Template, fm template.FuncMap, r room, pages map[string]*template.Template) error {
	shared, err := fs.Glob(r.files, "templates/*.html")
	if err != nil {
		return err
	}
	roomBase := base
	if r.prefix != "" && len(shared) > 0 {
		own, err := template.New("").Funcs(fm).ParseFS(r.files, shared...)
		if err != nil {
			return fmt.Errorf("web: templates of %s: %w", r.name(), err)
		}
		for _, t := range own.Templates() {
			if t.Name() != "" && base.Lookup(t.Name()) != nil {
				return fmt.Errorf("web: template %q of %s is the shell's", t.Name(), r.name())
			}
		}
		if roomBase, err = template.Must(base.Clone()).ParseFS(r.files, shared...); err != nil {
			return fmt.Errorf("web: templates of %s: %w", r.name(), err)
		}
	}
	pageFiles, err := fs.Glob(r.files, "templates/pages/*.html")
	if err != nil {
		return err
	}
	if len(pageFiles) == 0 {
		return fmt.Errorf("web: %s has no templates/pages/*.html", r.name())
	}
	for _, f := range pageFiles {
		t, err := template.Must(roomBase.Clone()).ParseFS(r.files, f)
		if err != nil {
			return fmt.Errorf("web: template %s of %s: %w", f, r.name(), err)
		}
		if t.Lookup("content") == nil {
			return fmt.Errorf("web: template %s of %s defines no \"content\"", f, r.name())
		}
		pages[r.prefix+strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return nil
}

// funcs are the template functions of one language.
func funcs(lang string, cat catalogue, a *assets) template.FuncMap {
	f := Formatter{lang}
	return template.FuncMap{
		"t":     cat.translate,
		"asset": a.url,
		"eur":   f.Cents,
		"pct":   f.Pct,
		"pctp": func(v *int) string {
			if v == nil {
				return "—"
			}
			return f.Number(float64(*v)) + "%"
		},
		"num": f.Number,
		"nump": func(v *float64) string {
			if v == nil {
				return "—"
			}
			return f.Number(*v)
		},
		"date": f.Date,
		// day formats a date held as text (YYYY-MM-DD…), as the meetings keep it.
		"day": func(s string) string {
			if len(s) >= 10 {
				if d, err := time.Parse(time.DateOnly, s[:10]); err == nil {
					return f.Date(d)
				}
			}
			return s
		},
		"datetime": f.DateTime,
		"datep": func(t *time.Time) string {
			if t == nil {
				return "—"
			}
			return f.Date(*t)
		},
		// key builds a catalogue key from parts: (key "status" .Status) → "status.bozza".
		"key": func(parts ...any) string {
			s := make([]string, len(parts))
			for i, p := range parts {
				s[i] = fmt.Sprint(p)
			}
			return strings.Join(s, ".")
		},
		"add": func(a, b int) int { return a + b },
		// icon draws a Bootstrap Italia icon from the sprite; decorative (the text says it).
		"icon": func(name string, class ...string) template.HTML {
			cls := "icon"
			if len(class) > 0 {
				cls += " " + strings.Join(class, " ")
			}
			return template.HTML(`<svg class="` + template.HTMLEscapeString(cls) + `" aria-hidden="true" focusable="false"><use href="` +
				template.HTMLEscapeString(a.url("vendor/bootstrap-italia/svg/sprites.svg")+"#"+name) + `"></use></svg>`)
		},
		// progress is a percentage clamped to 0–100, for progress bars.
		"progress": func(v *float64) int {
			if v == nil {
				return 0
			}
			return int(max(0, min(100, *v)) + 0.5)
		},
	}
}

// featureFuncs gathers the features' template functions; a name used twice, or one of the
// shell's, fails the start.
func featureFuncs(features []Feature) (template.FuncMap, error) {
	shellFuncs := funcs(Italian, nil, &assets{})
	out := template.FuncMap{}
	for _, f := range features {
		for name, fn := range f.Funcs {
			if _, taken := shellFuncs[name]; taken {
				return nil, fmt.Errorf("web: template function %q of %s is the shell's", name, f.Name)
			}
			if _, taken := out[name]; taken {
				return nil, fmt.Errorf("web: template function %q of %s is defined twice", name, f.Name)
			}
			out[name] = fn
		}
	}
	return out, nil
}

// Render writes the page called name (a feature's pages are "<feature>/<file>") with status
// p.Status.
func (w *Web) Render(c echo.Context, name string, p *Page) error {
	t, ok := w.pages[p.Lang][name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Content-Language", p.Lang)
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Cookie")
	return c.HTMLBlob(p.Status, buf.Bytes())
}

// Fragment renders the template called name, defined among the page called page's templates,
// in p's language: a part of a page that the same data always renders the same, for a feature
// to keep aside and put back into the page as it is.
func (w *Web) Fragment(p *Page, page, name string, data any) (template.HTML, error) {
	t, ok := w.pages[p.Lang][page]
	if !ok {
		return "", fmt.Errorf("web: no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: render %s of %s: %w", name, page, err)
	}
	return template.HTML(buf.String()), nil //nolint:gosec // html/template's own escaped output
}
