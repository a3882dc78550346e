package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// createDatabase makes a fresh, empty database on the cluster of adminURL and returns its URL.
// A database left by an interrupted run of the same name is dropped first.
func createDatabase(ctx context.Context, adminURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("database: %w", err)
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		return "", fmt.Errorf("database: drop %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+id); err != nil {
		return "", fmt.Errorf("database: create %s: %w", name, err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// dropDatabase removes it at the end of the run (the servers are stopped by then).
func dropDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// postmaster finds the cluster's postmaster: the parent of our own backend. Its children are
// every PostgreSQL process of the cluster, whose CPU the harness adds up.
func postmaster(ctx context.Context, dbURL string) (int, string, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close(ctx)
	var pid int
	var version string
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid(), version()").Scan(&pid, &version); err != nil {
		return 0, "", err
	}
	s, err := readProcStat(pid)
	if err != nil {
		return 0, version, fmt.Errorf("the cluster's processes are not readable here (%w): PostgreSQL CPU will be n/a", err)
	}
	return s.PPID, version, nil
}
