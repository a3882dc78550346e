package dbtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// QueryInt runs a query answering one number (a count, usually) on a connection of its own to
// url, failing the test on any error.
func QueryInt(tb testing.TB, url, query string) int {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, query).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}
