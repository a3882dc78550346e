package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// The languages of the pages: Italian is the reference and the default.
const (
	Italian = "it"
	English = "en"
)

// Languages lists the supported languages, the reference first.
var Languages = []string{Italian, English}

// LangCookie remembers the language chosen with ?lang=.
const LangCookie = "ambiti_lang"

// catalogue is one language's messages: flat dotted keys → text (fmt verbs allowed).
type catalogue map[string]string

// loadCatalogues reads locales/<lang>.json of the shell and of every feature and merges them
// into one catalogue per language; a key that two of them define fails the start.
func loadCatalogues(rooms []room) (map[string]catalogue, error) {
	out := map[string]catalogue{}
	for _, lang := range Languages {
		out[lang] = catalogue{}
		owner := map[string]string{} // key → the room that defines it, for the error
		for _, r := range rooms {
			c, err := readCatalogue(r.files, lang)
			if err != nil {
				return nil, fmt.Errorf("web: catalogue %s%s: %w", r.prefix, lang, err)
			}
			for k, v := range c {
				if prev, dup := owner[k]; dup {
					return nil, fmt.Errorf("web: text %q of %q is already defined by %q", k, r.name(), prev)
				}
				owner[k] = r.name()
				out[lang][k] = v
			}
		}
	}
	return out, nil
}

// readCatalogue reads one language's texts of one room.
func readCatalogue(fsys fs.FS, lang string) (catalogue, error) {
	b, err := fs.ReadFile(fsys, "locales/"+lang+".json")
	if err != nil {
		return nil, err
	}
	var c catalogue
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return c, nil
}

// missingPrefix marks a key that is not in the catalogue, so tests (and people) notice.
const missingPrefix = "⟦"

// translate returns the message of key, formatted with args; a missing key shows as ⟦key⟧.
func (c catalogue) translate(key string, args ...any) string {
	msg, ok := c[key]
	if !ok {
		return missingPrefix + key + "⟧"
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// has reports whether key is in the catalogue.
func (c catalogue) has(key string) bool { _, ok := c[key]; return ok }

// keys lists the catalogue's keys, sorted.
func (c catalogue) keys() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// negotiateLang picks the language of a request: ?lang= (remembered in a cookie), then the
// cookie, then Accept-Language; Italian by default.
func negotiateLang(c echo.Context) string {
	if l := c.QueryParam("lang"); supported(l) {
		c.SetCookie(&http.Cookie{Name: LangCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return l
	}
	if ck, err := c.Cookie(LangCookie); err == nil && supported(ck.Value) {
		return ck.Value
	}
	return fromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
}

// fromAcceptLanguage returns the supported language the header prefers most, or Italian.
func fromAcceptLanguage(h string) string {
	best, bestQ := Italian, -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
				q = 0
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if supported(base) && q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

func supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// HasText reports whether the catalogue of lang, merged from the shell's and the features'
// texts, has key (for the tests of every room).
func (w *Web) HasText(lang, key string) bool { return w.cats[lang].has(key) }

// TextKeys lists the keys of the merged catalogue of the reference language, sorted.
func (w *Web) TextKeys() []string { return w.cats[Italian].keys() }
