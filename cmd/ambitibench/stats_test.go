package main

import (
	"math"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		xs   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond},
		{ms(hundred...), 100, 100 * time.Millisecond},
		{ms(hundred...), 1, 1 * time.Millisecond},
	} {
		if got := percentile(tc.xs, tc.p); got != tc.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tc.xs, tc.p, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
	xs := []float64{3, 1, 2}
	median(xs)
	if xs[0] != 3 {
		t.Error("median sorted its argument in place")
	}
}

func TestSummaryTakesMediansAndAddsErrors(t *testing.T) {
	s := series{Samples: []sample{
		{Requests: 100, Throughput: 10, P99: 30 * time.Millisecond, RoundTrips: math.NaN()},
		{Requests: 120, Errors: 2, FirstErr: "status 500", Throughput: 30, P99: 10 * time.Millisecond, RoundTrips: math.NaN()},
		{Requests: 110, Throughput: 20, P99: 20 * time.Millisecond, RoundTrips: math.NaN()},
	}}
	got := s.summary()
	if got.Throughput != 20 || got.P99 != 20*time.Millisecond || got.Requests != 330 || got.Errors != 2 || got.FirstErr != "status 500" {
		t.Errorf("summary = %+v", got)
	}
	if !math.IsNaN(got.RoundTrips) {
		t.Errorf("round trips = %v, want NaN (n/a) when no round counted them", got.RoundTrips)
	}
}
