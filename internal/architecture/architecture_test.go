// Package architecture holds no code, only a test: the rules of docs/architecture.md ("the
// rooms") checked against the source tree, so that a feature cannot quietly lean on another
// one, on the server or on the raw pool. It reads the tree with one `go list -json` and
// go/parser; nothing is built.
//
// The rules are broken in a few places today. Those are written down in knownViolations, a
// ratchet: a violation that is not on the list fails the test, and so does an entry that no
// longer happens (delete it, the list only shrinks).
package architecture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the module path; every rule speaks in paths relative to it ("internal/plan").
const module = "github.com/ambiti/ambiti"

// infrastructure are the rooms every feature may use and which use no feature. A package below
// one of them (internal/authz/roles) belongs to it. A new cross-cutting package goes here;
// anything under internal/ that is not listed here, nor the shell, the server or a test helper,
// is a feature.
var infrastructure = []string{
	"internal/apperr",     // the one error type
	"internal/db",         // the pool, schema transactions, migrations runner
	"internal/tenancy",    // districts, Host → district, tenancy.Scope
	"internal/auth",       // who is calling: sessions, Bearer
	"internal/authz",      // what they may do: Casbin with domains
	"internal/actor",      // the actor handed to services (added by the restructure)
	"internal/route",      // routes as data, OpenAPI
	"internal/audit",      // the audit trail of personal data (hash chain, verify)
	"internal/keyring",    // envelope encryption of personal data
	"internal/strictjson", // strict JSON decoding
	"internal/csvfile",    // the one CSV writer
	"internal/taggedpdf",  // tagged (accessible) PDFs: the district files (issue 19)
	"internal/money",      // euro cents and decimals, formatted once (added by the restructure)
	"internal/facts",      // the district facts: sections, their shapes, platform.district_facts, suppression
	"internal/audit",      // the audit trail of personal data, written in the district transaction
	"internal/keyring",    // envelope encryption of personal data: master, district and person keys
	"internal/tenantdump", // one district's archive: export and import of its schema and platform rows
}

// shell is the page shell: layout, templates, forms helpers, i18n, static files. Features may
// import it (their pages register into it); it may import no feature.
const shell = "internal/web"

// server assembles the HTTP server; only cmd/ may import it.
const server = "internal/server"

// notChecked are packages that are neither infrastructure nor features: development tooling.
// Test helpers (a last path element ending in "test": dbtest, tenancytest) are skipped too.
var notChecked = []string{
	"internal/devidp",       // the development OpenID Connect provider
	"internal/architecture", // this test
}

// echoFile names the files of a feature that may import Echo (or the shell): its HTTP
// adapters: api.go, api_<x>.go (plan, plan/export, region), pages.go and pages_<family>.go
// (the pages a feature registers into the shell), or <family>_pages.go.
var echoFile = regexp.MustCompile(`^(api|pages|http|routes)(_[a-z0-9_]+)?\.go$|_(api|pages|handlers|http|routes)\.go$`)

// platformAllowed may open transactions on the shared `platform` schema (db.DB.Platform) or on
// the probe connection (db.DB.Probe): the infrastructure that owns platform tables — districts
// and regions (tenancy), identities and sessions (auth), role bindings (authz), the district
// facts (facts: written in the district's transaction, read across a region). A feature keeps
// its data in its district schema and reaches it through tenancy.Scope.
var platformAllowed = []string{"internal/db", "internal/tenancy", "internal/auth", "internal/authz", "internal/facts"}

// inSchemaAllowed may call db.DB.InSchema: only tenancy.Scope, which derives the schema from the
// district the request resolved to.
var inSchemaAllowed = []string{"internal/db", "internal/tenancy"}

// knownViolations are the rules broken today, each with what will remove it. The key is the
// violation exactly as the test prints it.
var knownViolations = map[string]string{}

// pkg is what `go list -json` says about one package.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Error      *struct{ Err string }
}

func TestArchitecture(t *testing.T) {
	root := moduleRoot(t)
	pkgs := listPackages(t, root)
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages under %s: is this the module root?", len(pkgs), root)
	}

	var found []string
	add := func(v string) {
		if !slices.Contains(found, v) {
			found = append(found, v)
		}
	}
	for _, p := range pkgs {
		if p.Error != nil {
			t.Errorf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		checkImports(p, add)
		checkFiles(t, root, p, add)
	}
	checkTenantMigrations(t, root, add)

	sort.Strings(found)
	var unexpected, gone []string
	for _, v := range found {
		if _, known := knownViolations[v]; !known {
			unexpected = append(unexpected, v)
		}
	}
	for v := range knownViolations {
		if !slices.Contains(found, v) {
			gone = append(gone, v)
		}
	}
	sort.Strings(gone)
	if len(unexpected) > 0 {
		t.Errorf("%d new architecture violation(s) (docs/architecture.md, \"The rooms\"):\n\t%s\n"+
			"Fix the code; if a package is new infrastructure, add it to the infrastructure list.",
			len(unexpected), strings.Join(unexpected, "\n\t"))
	}
	if len(gone) > 0 {
		t.Errorf("%d known violation(s) no longer happen: delete them from knownViolations (the list only shrinks) "+
			"and from docs/architecture.md:\n\t%s", len(gone), strings.Join(gone, "\n\t"))
	}
	t.Logf("%d packages checked; %d known violation(s) remain", len(pkgs), len(found)-len(unexpected))
}

// kind is a package's room type.
type kind int

const (
	other kind = iota // outside internal/, test helpers, tooling
	infra
	shellKind
	serverKind
	feature
)

func classify(path string) kind {
	if !strings.HasPrefix(path, "internal/") {
		return other
	}
	if strings.HasSuffix(path[strings.LastIndex(path, "/")+1:], "test") {
		return other
	}
	for _, n := range notChecked {
		if within(path, n) {
			return other
		}
	}
	for _, n := range infrastructure {
		if within(path, n) {
			return infra
		}
	}
	switch {
	case within(path, shell):
		return shellKind
	case within(path, server):
		return serverKind
	}
	return feature
}

// room is the feature a package belongs to: internal/plan for internal/plan/export.
func room(path string) string {
	parts := strings.SplitN(path, "/", 3)
	if len(parts) < 2 {
		return path
	}
	return parts[0] + "/" + parts[1]
}

func within(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }

func local(path string) (string, bool) {
	if path == module {
		return ".", true
	}
	return strings.CutPrefix(path, module+"/")
}

// checkImports applies the import rules to a package's own imports. Tests may import what they
// need to set a scenario up (a region test writing plans through the plan service), so test
// imports are not checked.
func checkImports(p pkg, add func(string)) {
	from, ok := local(p.ImportPath)
	if !ok {
		return
	}
	fk := classify(from)
	for _, imp := range p.Imports {
		to, ok := local(imp)
		if !ok {
			continue
		}
		tk := classify(to)
		switch {
		case within(to, "cmd"):
			add(fmt.Sprintf("package imports a command: %s imports %s", from, to))
		case tk == serverKind && fk != serverKind && strings.HasPrefix(from, "internal/"):
			add(fmt.Sprintf("package imports the server: %s imports %s", from, to))
		case fk == infra && (tk == feature || tk == shellKind):
			add(fmt.Sprintf("infrastructure imports a feature: %s imports %s", from, to))
		case fk == shellKind && tk == feature:
			add(fmt.Sprintf("shell imports a feature: %s imports %s", from, to))
		case fk == feature && tk == feature && room(from) != room(to):
			add(fmt.Sprintf("feature imports another feature: %s imports %s", from, room(to)))
		}
	}
}

var (
	// districtSchema is a district schema named in SQL: t_valle_trompia.plans.
	districtSchema = regexp.MustCompile(`\bt_[a-z0-9_]+\.`)
	// searchPath is SQL that changes the search_path.
	searchPath = regexp.MustCompile(`(?i)(\bset\b[^;]*\bsearch_path\b|set_config\s*\(\s*'search_path')`)
)

// checkFiles parses the package's (non-test) files for Echo imports in domain files, pool
// transactions outside infrastructure, and SQL that escapes the district's schema.
func checkFiles(t *testing.T, root string, p pkg, add func(string)) {
	from, ok := local(p.ImportPath)
	if !ok {
		return
	}
	k := classify(from)
	for _, file := range p.GoFiles {
		path := filepath.Join(p.Dir, file)
		rel, err := filepath.Rel(root, path)
		if err != nil {
			rel = path
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("parse %s: %v", rel, err)
			continue
		}
		imported := map[string]bool{} // names under which packages are imported in this file
		for _, is := range f.Imports {
			ip, _ := strconv.Unquote(is.Path.Value)
			name := ip[strings.LastIndex(ip, "/")+1:]
			if is.Name != nil {
				name = is.Name.Name
			}
			imported[name] = true
			if k == feature && !echoFile.MatchString(file) {
				if ip == "github.com/labstack/echo/v4" || strings.HasPrefix(ip, "github.com/labstack/echo/v4/") || ip == module+"/"+shell {
					add(fmt.Sprintf("HTTP in a domain file: %s imports %s", rel, ip))
				}
			}
		}
		if k == other && !within(from, "cmd") {
			continue // tooling, test helpers, embedded files
		}
		if k == feature {
			checkStoreFunctions(f, rel, imported, add)
		}
		calls := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				// x.Platform(…) with x not an imported package: migrations.Platform() is the
				// platform migrations, d.Platform(ctx, fn) a transaction on db.DB.
				if id, isID := n.X.(*ast.Ident); isID && imported[id.Name] {
					return true
				}
				switch n.Sel.Name {
				case "Platform", "Probe":
					if !inList(from, platformAllowed) {
						calls[n.Sel.Name] = true
					}
				case "InSchema":
					if !inList(from, inSchemaAllowed) {
						calls[n.Sel.Name] = true
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING || within(from, "internal/db") {
					return true
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				if m := districtSchema.FindString(s); m != "" && !within(from, "internal/tenancy") {
					add(fmt.Sprintf("SQL names a district schema: %s (%q)", rel, m))
				}
				if searchPath.MatchString(s) {
					add(fmt.Sprintf("SQL sets the search_path outside internal/db: %s", rel))
				}
			}
			return true
		})
		for _, c := range slices.Sorted(mapKeys(calls)) {
			if c == "InSchema" {
				add(fmt.Sprintf("schema transaction outside tenancy.Scope: %s calls .InSchema", rel))
			} else {
				add(fmt.Sprintf("platform transaction outside infrastructure: %s calls .%s", rel, c))
			}
		}
	}
}

// checkStoreFunctions: in a feature, no function takes a bare *gorm.DB. District data is
// reached through *tenancy.Tx, which only tenancy.Scope.Tx makes, with the district's schema and
// the actor (and, as personal data arrives, the audit row) in the same transaction; a store
// function taking *gorm.DB could be handed any handle, the pool included.
func checkStoreFunctions(f *ast.File, rel string, imported map[string]bool, add func(string)) {
	if !imported["gorm"] {
		return
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		for _, field := range fn.Type.Params.List {
			star, ok := field.Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "DB" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "gorm" {
					add(fmt.Sprintf("feature function takes *gorm.DB: %s: %s", rel, fn.Name.Name))
				}
			}
		}
	}
}

// checkTenantMigrations: a district's migrations run with search_path = its schema and never
// name a schema (nor change the path), or they would land in one district for all.
func checkTenantMigrations(t *testing.T, root string, add func(string)) {
	files, err := filepath.Glob(filepath.Join(root, "migrations", "tenant", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Errorf("no tenant migrations found under %s/migrations/tenant (%v)", root, err)
		return
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		rel := "migrations/tenant/" + filepath.Base(path)
		for line := range strings.SplitSeq(string(b), "\n") {
			if code, _, _ := strings.Cut(line, "--"); districtSchema.MatchString(code) {
				add(fmt.Sprintf("SQL names a district schema: %s (%q)", rel, districtSchema.FindString(code)))
			} else if searchPath.MatchString(code) {
				add(fmt.Sprintf("SQL sets the search_path outside internal/db: %s", rel))
			}
		}
	}
}

func inList(path string, list []string) bool {
	return slices.ContainsFunc(list, func(p string) bool { return within(path, p) })
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// moduleRoot is the directory of go.mod.
func moduleRoot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("not inside a module")
	}
	return filepath.Dir(gomod)
}

// listPackages runs go list once over the whole module; -e keeps going past a broken package
// (reported in its Error), and nothing is compiled.
func listPackages(t *testing.T, root string) []pkg {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Dir,GoFiles,Imports,Error", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
