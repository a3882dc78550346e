// Package dumptest computes, for tests, what a district's archive must preserve: a digest of
// every table of its schema and of its platform rows, read straight from the database.
package dumptest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Digests reads every table of the district's schema and its platform rows, independently of
// package tenantdump: per table "<SHA-256 of its rows' text, sorted byte-wise>/<row count>".
// The slug, the schema name and the ids a database hands out are left out of the rows, so
// that a copy under another slug (import --as) digests the same.
func Digests(t testing.TB, url, slug string) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema, _ := tenancy.SchemaName(slug)
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{}
	for _, tb := range tables {
		queries[tb] = `SELECT x::text FROM ` + pgx.Identifier{schema, tb}.Sanitize() + ` x`
	}
	// The platform rows, with the slug and the schema name taken out (an import may rename them)
	// and without the ids a database gives.
	queries["platform.tenants"] = `SELECT (to_jsonb(x) - 'slug' - 'schema_name' - 'definition' - 'status')::text FROM platform.tenants x WHERE slug = $1`
	queries["platform.identities"] = `SELECT x::text FROM platform.identities x WHERE id IN (SELECT identity_id FROM platform.memberships WHERE domain = $1)`
	queries["platform.memberships"] = `SELECT (to_jsonb(x) - 'domain')::text FROM platform.memberships x WHERE domain = $1`
	queries["platform.casbin_rules"] = `SELECT (to_jsonb(x) - 'id' - 'v2')::text FROM platform.casbin_rules x WHERE v2 = $1`
	queries["platform.invitations"] = `SELECT (to_jsonb(x) - 'id' - 'domain')::text FROM platform.invitations x WHERE domain = $1`
	queries["platform.district_facts"] = `SELECT (to_jsonb(x) - 'tenant_slug')::text FROM platform.district_facts x WHERE tenant_slug = $1`
	out := map[string]string{}
	for name, q := range queries {
		var n int64
		var sum string
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, slug)
		}
		err := conn.QueryRow(ctx, `SELECT count(*), coalesce(encode(sha256(convert_to(string_agg(r, E'\n' ORDER BY r COLLATE "C"), 'UTF8')), 'hex'), '')
			FROM (`+q+`) s(r)`, args...).Scan(&n, &sum)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = fmt.Sprintf("%s/%d", sum, n)
	}
	return out
}
