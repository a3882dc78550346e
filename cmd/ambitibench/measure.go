package main

import (
	"context"
	"math"
	"net/http"
	"os"
	"time"
)

// sample is one measured window of one system (a server, or the raw loop) on one scenario at
// one concurrency.
type sample struct {
	Requests   int
	Errors     int
	FirstErr   string
	Throughput float64       // successful and failed attempts per second
	P50, P99   time.Duration // of the successful ones
	ProcCPU    time.Duration // per request: the server's, or this harness's for the raw loop
	PGCPU      time.Duration // per request: the whole PostgreSQL cluster's
	RoundTrips float64       // per request; NaN when the server does not count them
}

// meters are the CPU counters read around every window.
type meters struct {
	pg     cpuMeter // nil when the cluster's processes are not readable
	client *http.Client
}

// window runs the load and reads proc and the cluster's CPU before and after.
func (m meters) window(ctx context.Context, proc cpuMeter, c int, warmup, d time.Duration, fn attempt) sample {
	if warmup > 0 {
		runFor(ctx, c, warmup, fn)
	}
	p0, g0 := proc.cpu(), m.pgCPU()
	r := runFor(ctx, c, d, fn)
	p1, g1 := proc.cpu(), m.pgCPU()
	s := sample{Requests: r.Requests, Errors: r.Errors, FirstErr: r.FirstErr, Throughput: r.throughput(),
		P50: percentile(r.Sorted, 50), P99: percentile(r.Sorted, 99), RoundTrips: math.NaN()}
	if r.Requests > 0 {
		s.ProcCPU = (p1 - p0) / time.Duration(r.Requests)
		if m.pg != nil {
			s.PGCPU = (g1 - g0) / time.Duration(r.Requests)
		}
	}
	return s
}

func (m meters) pgCPU() time.Duration {
	if m.pg == nil {
		return 0
	}
	return m.pg.cpu()
}

// server measures a scenario against a running target, with the round trips its /metrics
// counted over the window.
func (m meters) server(ctx context.Context, t *target, build func(int) (*http.Request, error), c int, warmup, d time.Duration) sample {
	fn := httpAttempt(m.client, build)
	if warmup > 0 {
		runFor(ctx, c, warmup, fn)
	}
	before, okBefore := m.roundTrips(t)
	s := m.window(ctx, processCPU(t.pid()), c, 0, d, fn)
	after, okAfter := m.roundTrips(t)
	if okBefore && okAfter && s.Requests > 0 {
		s.RoundTrips = (after - before) / float64(s.Requests)
	}
	return s
}

// roundTripsMetric is the server's counter of statements and batches sent to PostgreSQL.
const roundTripsMetric = "ambiti_db_round_trips_total"

func (m meters) roundTrips(t *target) (float64, bool) {
	text, err := t.metrics(m.client)
	if err != nil {
		return 0, false
	}
	return counterSum(text, roundTripsMetric)
}

// ceiling measures the raw pgx loop on the same reads.
func (m meters) ceiling(ctx context.Context, fn attempt, rt int, c int, warmup, d time.Duration) sample {
	s := m.window(ctx, processCPU(os.Getpid()), c, warmup, d, fn)
	s.RoundTrips = float64(rt)
	return s
}
