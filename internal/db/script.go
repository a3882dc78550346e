package db

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// ErrNotScriptable says the migrations cannot be run as one script (a migration outside a
// transaction, one with environment substitution, or not plain SQL): such a schema is created
// by goose, one migration at a time, like any other migration.
var ErrNotScriptable = errors.New("db: migrations cannot be run as one script")

// script is every "Up" section of a directory of goose migrations, in version order, as one
// piece of SQL, and what goose records after running them. Sent in one simple-protocol query it
// builds a new schema in one round trip instead of goose's dozens per migration (version reads,
// savepoints, each statement on its own). goose's "-- +goose" annotations are SQL comments, so
// the sections are sent as they are: PostgreSQL splits the statements itself, dollar quotes
// included, where goose relies on StatementBegin/End.
type script struct {
	sql      string
	versions []int64 // in order; goose inserts version 0 first
	// What goose itself sends to create its version table and record a version, taken from
	// goose's own store (see recorder) so the bookkeeping stays goose's whatever its version.
	createTable, insertVersion string
}

// gooseTable is goose's default version table, which Migrate's provider uses.
const gooseTable = "goose_db_version"

func newScript(fsys fs.FS) (*script, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	type file struct {
		name    string
		version int64
	}
	var files []file
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		v, err := goose.NumericComponent(e.Name())
		if err != nil {
			continue // goose ignores what is not named like a migration
		}
		if !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("%w: %s", ErrNotScriptable, e.Name())
		}
		files = append(files, file{e.Name(), v})
	}
	slices.SortFunc(files, func(a, b file) int { return int(a.version - b.version) })
	s := &script{}
	var b strings.Builder
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f.name)
		if err != nil {
			return nil, err
		}
		up, err := upSection(string(data))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotScriptable, f.name, err)
		}
		// A section's last statement may lack its semicolon, or end on a comment line.
		fmt.Fprintf(&b, "-- %s\n%s\n;\n", f.name, up)
		s.versions = append(s.versions, f.version)
	}
	s.sql = b.String()
	store, err := database.NewStore(database.DialectPostgres, gooseTable)
	if err != nil {
		return nil, err
	}
	var rec recorder
	if err := store.CreateVersionTable(context.Background(), &rec); err != nil {
		return nil, err
	}
	if err := store.Insert(context.Background(), &rec, database.InsertRequest{Version: 0}); err != nil {
		return nil, err
	}
	if len(rec.queries) != 2 {
		return nil, fmt.Errorf("%w: goose's bookkeeping is not two statements", ErrNotScriptable)
	}
	s.createTable, s.insertVersion = rec.queries[0], rec.queries[1]
	return s, nil
}

// upSection is the text between "-- +goose Up" and "-- +goose Down" (or the end), refused when
// an annotation asks for something a single transaction of plain SQL cannot do.
func upSection(text string) (string, error) {
	var b strings.Builder
	in, seen := false, false
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if ann, ok := annotation(line); ok {
			switch {
			case ann == "up":
				in, seen = true, true
				continue
			case ann == "down":
				in = false
				continue
			case ann == "statementbegin" || ann == "statementend":
				// Only goose's splitting needs them: PostgreSQL parses dollar quotes itself.
			default: // NO TRANSACTION, ENVSUB ON/OFF (anywhere in the file), or anything newer
				return "", fmt.Errorf("annotation %q", strings.TrimSpace(line))
			}
		}
		if in {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	if !seen {
		return "", errors.New(`no "-- +goose Up"`)
	}
	return b.String(), nil
}

// annotation recognises a goose annotation line the way goose's parser does (a comment line
// containing "+goose"), returning what follows lower-cased and without spaces.
func annotation(line string) (string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(line), "--") || !strings.Contains(line, "+goose") {
		return "", false
	}
	cmd := strings.Replace(strings.ReplaceAll(line, "--", ""), "+goose", "", 1)
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(cmd), " ", "")), true
}

// recorder is a database.DBTxConn that keeps the statements goose's store would send.
type recorder struct{ queries []string }

func (r *recorder) ExecContext(_ context.Context, q string, _ ...any) (sql.Result, error) {
	r.queries = append(r.queries, q)
	return nil, nil
}

func (r *recorder) QueryContext(context.Context, string, ...any) (*sql.Rows, error) {
	return nil, errors.New("db: recorder: no queries")
}

func (r *recorder) QueryRowContext(context.Context, string, ...any) *sql.Row { return nil }
