// Command ambitibench is make bench's side-by-side harness (issue 21): it provisions N
// districts on a fresh database, starts the real server (and, optionally, a baseline build
// beside it), logs in as people do, drives each scenario with a Go load generator at fixed
// concurrencies, and measures in the same run the raw pgx ceiling of the same reads (the same
// statements one by one, and in one round trip), in paired rounds. It writes markdown tables
// with the medians: throughput, p50/p99, CPU per request of the server and of PostgreSQL,
// round trips per request, and the ratios to the ceiling.
//
// deploy/dev/bench.sh builds it and runs it; see docs/benchmarks.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "ambitibench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := benchmark(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "ambitibench:", err)
		os.Exit(1)
	}
}
