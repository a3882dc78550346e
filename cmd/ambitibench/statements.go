package main

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/region"
)

// statementsSQL are the raw loop's reads per scenario: SQL in a file of its own, easy to read
// and to keep in step with the server (its header says how).
//
//go:embed statements.sql
var statementsSQL string

// stmt is one statement with the names of its arguments.
type stmt struct {
	SQL  string
	Args []string
}

// ceilingRead is a scenario's reads; Tx when the server runs them in a transaction.
type ceilingRead struct {
	Tx    bool
	Stmts []stmt
}

// pageLimit is route.Paging's default page, which the API list uses without ?limit=.
const pageLimit = 50

// ceilingReads are statements.sql's sections by scenario key.
var ceilingReads = mustParseStatements(statementsSQL)

func mustParseStatements(text string) map[string]ceilingRead {
	m, err := parseStatements(text)
	if err != nil {
		panic(err)
	}
	return m
}

// parseStatements reads the sections of statements.sql.
func parseStatements(text string) (map[string]ceilingRead, error) {
	out := map[string]ceilingRead{}
	var key string
	var args []string
	var sql []string
	for n, line := range strings.Split(text, "\n") {
		trim := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trim, "-- ["):
			name, rest, ok := strings.Cut(strings.TrimPrefix(trim, "-- ["), "]")
			if !ok || name == "" {
				return nil, fmt.Errorf("statements.sql:%d: a section is \"-- [key]\" or \"-- [key] tx\"", n+1)
			}
			key = name
			out[key] = ceilingRead{Tx: strings.TrimSpace(rest) == "tx"}
		case strings.HasPrefix(trim, "-- args:"):
			args = nil
			for _, a := range strings.Split(strings.TrimPrefix(trim, "-- args:"), ",") {
				if a = strings.TrimSpace(a); a != "" {
					args = append(args, a)
				}
			}
		case trim == "" || strings.HasPrefix(trim, "--"):
		default:
			if key == "" {
				return nil, fmt.Errorf("statements.sql:%d: a statement before any section", n+1)
			}
			sql = append(sql, line)
			if strings.HasSuffix(trim, ";") {
				s := strings.TrimSuffix(strings.TrimSpace(strings.Join(sql, "\n")), ";")
				r := out[key]
				r.Stmts = append(r.Stmts, stmt{SQL: s, Args: args})
				out[key] = r
				sql, args = nil, nil
			}
		}
	}
	if len(sql) > 0 {
		return nil, fmt.Errorf("statements.sql: the last statement of [%s] has no final ';'", key)
	}
	return out, nil
}

// values are a statement's arguments for the fixture.
func (s stmt) values(f fixture) ([]any, error) {
	out := make([]any, len(s.Args))
	for i, a := range s.Args {
		switch a {
		case "schema":
			out[i] = `"` + f.Schema + `"` // as pgx.Identifier.Sanitize, what the server sends
		case "plan":
			out[i] = f.PlanID
		case "limit":
			out[i] = pageLimit
		case "region":
			out[i] = benchRegion
		case "offset":
			out[i] = 0
		case "per_page":
			out[i] = region.DefaultPerPage // what the regional table reads without ?per_page=
		case "no_schema":
			out[i] = db.NoSchema // the platform's reads: a path that names no schema
		default:
			return nil, fmt.Errorf("statements.sql: unknown argument %q", a)
		}
	}
	return out, nil
}

// roundTrips is how many a read costs sent one by one.
func (r ceilingRead) roundTrips() int {
	n := len(r.Stmts)
	if r.Tx {
		n += 2
	}
	return n
}
