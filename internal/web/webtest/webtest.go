// Package webtest checks a room's pages and texts the same way for the shell and for every
// feature: its catalogue is complete in every language, every key its templates and page code
// use exists (in its own texts or the shell's, never another feature's), and its templates
// need no exception in the Content-Security-Policy.
package webtest

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/web"
)

// literal is a quoted dotted name in a template or Go code: a catalogue key, unless it is a
// file name (fileName). "help=<key>" options of fields name keys too.
var literal = regexp.MustCompile(`"(?:help=)?([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

// fileName is a literal that names a file (an asset of the layout), not a key.
var fileName = regexp.MustCompile(`\.(svg|css|js|woff2|json|html|csv|xlsx|pdf)$`)

// Room describes one room's pages for the checks: the test runs in its directory.
type Room struct {
	GoFiles string   // a glob of its page code in the test's directory: "pages*.go"
	Dynamic []string // keys built at run time from vocabularies: "status.bozza"
	MinUsed int      // fewer keys found in use means the scan is broken
}

// CheckTexts builds the shell with the features given (none: the shell's own pages), which
// must parse, and runs the checks of r, the room in the test's directory, against it.
func CheckTexts(t *testing.T, r Room, features ...web.Feature) {
	t.Helper()
	w, err := web.New(web.Deps{}, features...)
	if err != nil {
		t.Fatal(err)
	}
	files := os.DirFS(".") // the room's templates/ and locales/
	own := map[string]map[string]string{}
	for _, lang := range web.Languages {
		b, err := fs.ReadFile(files, "locales/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var c map[string]string
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		own[lang] = c
	}
	ref := own[web.Italian]
	for _, lang := range web.Languages[1:] {
		for k, v := range ref {
			other, ok := own[lang][k]
			if !ok {
				t.Errorf("%s.json lacks %q (in it.json)", lang, k)
			} else if strings.Count(v, "%") != strings.Count(other, "%") {
				t.Errorf("%q: the languages disagree on the number of %% verbs", k)
			}
		}
		for k := range own[lang] {
			if _, ok := ref[k]; !ok {
				t.Errorf("%s.json has %q, which it.json (the reference) lacks", lang, k)
			}
		}
	}

	used := map[string]string{} // key → where
	scan := func(where string, b []byte) {
		for _, m := range literal.FindAllSubmatch(b, -1) {
			used[string(m[1])] = where
		}
	}
	err = fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		scan(p, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, err := fs.Glob(os.DirFS("."), r.GoFiles)
	if err != nil || len(goFiles) == 0 {
		t.Fatalf("Go files %s: %v %v", r.GoFiles, goFiles, err)
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(f, b)
	}
	for _, k := range r.Dynamic {
		used[k] = "a vocabulary"
	}
	n := 0
	for _, k := range slices.Sorted(mapKeys(used)) {
		if fileName.MatchString(k) {
			continue
		}
		n++
		for _, lang := range web.Languages {
			if !w.HasText(lang, k) {
				t.Errorf("%s: key %q (used in %s) is missing", lang, k, used[k])
			}
		}
	}
	if n < r.MinUsed {
		t.Errorf("only %d keys found in use: is the scan broken?", n)
	}
	checkNoInline(t, files)
}

// checkNoInline: inline styles, scripts and event handlers are blocked by the
// Content-Security-Policy.
func checkNoInline(t *testing.T, files fs.FS) {
	t.Helper()
	inline := regexp.MustCompile(`(?i)<style|\sstyle=|<script>|<script [^>]*>[^<]+</script>|\son[a-z]+=`)
	err := fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if m := inline.Find(b); m != nil {
			t.Errorf("%s: %q is blocked by the Content-Security-Policy", p, m)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Keys are the catalogue keys prefix.value of a vocabulary: Keys("status", plan.Statuses...).
func Keys[T ~string](prefix string, values ...T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = prefix + "." + string(v)
	}
	return out
}
