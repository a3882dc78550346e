package architecture

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCitusReadySQL checks the SQL that Citus schema-based sharding refuses (docs/operations.md,
// "Citus"), in the migrations and in every string literal of non-test Go code. Citus cannot be
// installed here, so this looks for the patterns that failed when the code was run on it:
//
//   - a function that is not IMMUTABLE in the DO UPDATE SET of an upsert (`updated_at = now()`):
//     Citus refuses it on distributed tables. Compute the value in VALUES and use excluded.col;
//   - a foreign key from a district's table to `platform`: district schemas are distributed,
//     platform stays local on the coordinator;
//   - SQL naming two district schemas, or joining a district schema's table: a join across
//     districts is refused (their shards live on different nodes). Rule 7 of TestArchitecture
//     already forbids `t_<name>.` outside internal/tenancy and internal/db; this applies
//     everywhere, those two packages and the platform migrations included.
func TestCitusReadySQL(t *testing.T) {
	root := moduleRoot(t)
	var found []string
	upserts := 0
	add := func(v string) {
		if !slices.Contains(found, v) {
			found = append(found, v)
		}
	}
	for _, p := range listPackages(t, root) {
		if _, ok := local(p.ImportPath); !ok {
			continue
		}
		for _, file := range p.GoFiles {
			path := filepath.Join(p.Dir, file)
			rel, err := filepath.Rel(root, path)
			if err != nil {
				rel = path
			}
			for _, s := range goStrings(t, path) {
				upserts += checkCitusSQL(s.text, filepath.ToSlash(rel), s.line, add)
			}
		}
	}
	for _, dir := range []string{"platform", "tenant"} {
		files, err := filepath.Glob(filepath.Join(root, "migrations", dir, "*.sql"))
		if err != nil || len(files) == 0 {
			t.Errorf("no migrations found under %s/migrations/%s (%v)", root, dir, err)
			continue
		}
		for _, path := range files {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				continue
			}
			rel := "migrations/" + dir + "/" + filepath.Base(path)
			sql := stripSQLComments(string(b))
			upserts += checkCitusSQL(sql, rel, 1, add)
			if dir == "tenant" {
				for _, m := range platformFK.FindAllStringIndex(sql, -1) {
					add(fmt.Sprintf("%s:%d: foreign key from a district schema to platform (%q)", rel, lineAt(sql, m[0], 1), sql[m[0]:m[1]]))
				}
			}
		}
	}
	// A scanner that reads nothing passes too: the code has had upserts since the first version.
	if upserts < 5 {
		t.Errorf("only %d upserts (DO UPDATE SET) found: is the scan reading the code?", upserts)
	}
	t.Logf("%d upserts checked", upserts)
	if len(found) > 0 {
		t.Errorf("%d SQL pattern(s) Citus schema-based sharding refuses (docs/operations.md, \"Citus\"):\n\t%s",
			len(found), strings.Join(found, "\n\t"))
	}
}

var (
	// doUpdateSet starts the SET list of an upsert; the list ends at its WHERE, RETURNING, the
	// statement's end or the literal's end.
	doUpdateSet   = regexp.MustCompile(`(?i)\bdo\s+update\s+set\b`)
	doUpdateSetTo = regexp.MustCompile(`(?i)\bwhere\b|\breturning\b|;`)
	// volatile are the functions (STABLE or VOLATILE in PostgreSQL) met in timestamps, keys and
	// sequences; SQL-standard forms without parentheses included.
	volatile = regexp.MustCompile(`(?i)\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|random|nextval|currval|setval)\s*\(|\b(current_timestamp|current_date|current_time|localtimestamp|localtime)\b`)
	// platformFK is a foreign key into the platform schema.
	platformFK = regexp.MustCompile(`(?i)\breferences\s+"?platform"?\s*\.`)
	// join is a SQL join.
	join = regexp.MustCompile(`(?i)\bjoin\b`)
)

// checkCitusSQL reports, in one piece of SQL starting at line first of rel, the upserts with a
// non-immutable function in DO UPDATE SET and the SQL reaching across district schemas. It
// returns the number of upserts it read.
func checkCitusSQL(sql, rel string, first int, add func(string)) int {
	upserts := doUpdateSet.FindAllStringIndex(sql, -1)
	for _, m := range upserts {
		set := sql[m[1]:]
		if end := doUpdateSetTo.FindStringIndex(set); end != nil {
			set = set[:end[0]]
		}
		for _, f := range volatile.FindAllStringIndex(set, -1) {
			at := m[1] + f[0]
			add(fmt.Sprintf("%s:%d: non-immutable function in DO UPDATE SET (%q): compute it in VALUES and use excluded.<column>",
				rel, lineAt(sql, at, first), strings.TrimRight(set[f[0]:f[1]], "( \t\n")))
		}
	}
	var schemas []string
	for _, m := range districtSchema.FindAllString(sql, -1) {
		if s := strings.TrimSuffix(m, "."); !slices.Contains(schemas, s) {
			schemas = append(schemas, s)
		}
	}
	switch {
	case len(schemas) > 1:
		add(fmt.Sprintf("%s:%d: SQL names two district schemas (%s): a query reaches one district", rel, first, strings.Join(schemas, ", ")))
	case len(schemas) == 1 && join.MatchString(sql):
		add(fmt.Sprintf("%s:%d: SQL joins a district schema's table (%s): a district is reached through its search_path, alone", rel, first, schemas[0]))
	}
	return len(upserts)
}

// goString is a string constant of a Go file: a literal, or literals joined with +.
type goString struct {
	text string
	line int
}

// goStrings returns the string constants of a Go file, each with the line it starts on.
func goStrings(t *testing.T, path string) []goString {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Errorf("parse %s: %v", path, err)
		return nil
	}
	var out []goString
	ast.Inspect(f, func(n ast.Node) bool {
		if _, isImport := n.(*ast.ImportSpec); isImport {
			return false
		}
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		if s, ok := constString(e); ok {
			out = append(out, goString{text: s, line: fset.Position(e.Pos()).Line})
			return false // its parts are in s
		}
		return true
	})
	return out
}

// constString is the value of a string literal or of literals joined with +, so that an upsert
// split over several lines of Go is read whole. Only the raw (backquoted) literals keep their
// newlines, so line numbers within interpreted strings stay on the literal's first line.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return "", false
		}
		if !strings.HasPrefix(e.Value, "`") {
			s = strings.ReplaceAll(s, "\n", " ")
		}
		return s, true
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok := constString(e.X)
		if !ok {
			return "", false
		}
		y, ok := constString(e.Y)
		return x + y, ok
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

// stripSQLComments blanks `--` comments, keeping the newlines (and so the line numbers).
func stripSQLComments(sql string) string {
	lines := strings.Split(sql, "\n")
	for i, l := range lines {
		lines[i], _, _ = strings.Cut(l, "--")
	}
	return strings.Join(lines, "\n")
}

// lineAt is the line of offset at in s, s starting on line first.
func lineAt(s string, at, first int) int { return first + strings.Count(s[:at], "\n") }
