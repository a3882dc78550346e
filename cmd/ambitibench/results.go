package main

import (
	"math"
	"time"
)

// series is one system's samples, one per round, on one scenario at one concurrency.
type series struct {
	Scenario string // scenario key
	C        int
	System   string // a target's name, or a ceilingMode's
	Ceiling  bool
	Samples  []sample
}

// summary is a series' medians over the rounds; errors are added up, not medianed: one failed
// request in any round marks the row.
type summary struct {
	Throughput float64
	P50, P99   time.Duration
	ProcCPU    time.Duration
	PGCPU      time.Duration
	RoundTrips float64 // NaN: n/a
	Requests   int
	Errors     int
	FirstErr   string
}

func (s series) summary() summary {
	var out summary
	pick := func(f func(sample) float64) float64 {
		xs := make([]float64, 0, len(s.Samples))
		for _, x := range s.Samples {
			if v := f(x); !math.IsNaN(v) {
				xs = append(xs, v)
			}
		}
		if len(xs) == 0 {
			return math.NaN()
		}
		return median(xs)
	}
	out.Throughput = pick(func(x sample) float64 { return x.Throughput })
	out.P50 = time.Duration(pick(func(x sample) float64 { return float64(x.P50) }))
	out.P99 = time.Duration(pick(func(x sample) float64 { return float64(x.P99) }))
	out.ProcCPU = time.Duration(pick(func(x sample) float64 { return float64(x.ProcCPU) }))
	out.PGCPU = time.Duration(pick(func(x sample) float64 { return float64(x.PGCPU) }))
	out.RoundTrips = pick(func(x sample) float64 { return x.RoundTrips })
	for _, x := range s.Samples {
		out.Requests += x.Requests
		out.Errors += x.Errors
		if out.FirstErr == "" {
			out.FirstErr = x.FirstErr
		}
	}
	return out
}

// results are every series in the order they were first measured.
type results struct {
	order []*series
	index map[[3]any]*series
}

func (r *results) add(scenario string, c int, system string, ceiling bool, s sample) {
	if r.index == nil {
		r.index = map[[3]any]*series{}
	}
	k := [3]any{scenario, c, system}
	ser, ok := r.index[k]
	if !ok {
		ser = &series{Scenario: scenario, C: c, System: system, Ceiling: ceiling}
		r.index[k] = ser
		r.order = append(r.order, ser)
	}
	ser.Samples = append(ser.Samples, s)
}

func (r *results) get(scenario string, c int, system string) (*series, bool) {
	s, ok := r.index[[3]any{scenario, c, system}]
	return s, ok
}
