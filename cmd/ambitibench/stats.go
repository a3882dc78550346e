package main

import (
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the nearest-rank method:
// the smallest value with at least p% of the values at or below it. Nearest rank, rather than
// interpolation, always answers a latency that some request really had.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100 + 0.9999999)
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}

// median returns the median of xs (the mean of the two middle values for an even count), or
// NaN-free 0 for none. The rounds' figures are summarised by it: one noisy round moves it less
// than it moves a mean.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
