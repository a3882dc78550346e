package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// attempt is one unit of work of a load run: an HTTP request, or one read of the raw pgx
// loop. worker is the goroutine's number (a write scenario gives each its own row); it
// returns an error for anything but success.
type attempt func(ctx context.Context, worker int) error

// result is one load run: c workers, each doing attempts back to back for the duration. The
// attempts still running at the deadline finish (none is cut short: a cancelled pgx query
// closes its connection) but only those ended by then count in the throughput; every attempt
// counts in Requests, which the CPU and the round trips measured around the run are divided by.
type result struct {
	Requests int // every attempt, those ending after the deadline too
	InWindow int // the attempts ended by the deadline
	Errors   int
	FirstErr string
	Window   time.Duration
	Sorted   []time.Duration // every successful attempt's latency, sorted
}

func (r result) throughput() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.InWindow) / r.Window.Seconds()
}

// run drives fn with c workers for d, after a short warm-up that is not counted (new
// connections, the server's caches, the first GC cycles). Errors are counted, never retried,
// and a failing attempt's latency is left out of the percentiles.
func run(ctx context.Context, c int, warmup, d time.Duration, fn attempt) result {
	if warmup > 0 {
		runFor(ctx, c, warmup, fn)
	}
	return runFor(ctx, c, d, fn)
}

func runFor(ctx context.Context, c int, d time.Duration, fn attempt) result {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type worker struct {
		lat   []time.Duration
		errs  int
		first string
		inWin int
	}
	ws := make([]worker, c)
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for i := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &ws[i]
			w.lat = make([]time.Duration, 0, 4096)
			for {
				t0 := time.Now()
				if !t0.Before(deadline) || ctx.Err() != nil {
					return
				}
				err := fn(ctx, i)
				t1 := time.Now()
				if !t1.After(deadline) {
					w.inWin++
				}
				if err != nil {
					w.errs++
					if w.first == "" {
						w.first = err.Error()
					}
					continue
				}
				w.lat = append(w.lat, t1.Sub(t0))
			}
		}()
	}
	wg.Wait()
	r := result{Window: d}
	for _, w := range ws {
		r.InWindow += w.inWin
		r.Sorted = append(r.Sorted, w.lat...)
		r.Errors += w.errs
		if r.FirstErr == "" {
			r.FirstErr = w.first
		}
	}
	r.Requests = len(r.Sorted) + r.Errors
	slices.Sort(r.Sorted)
	return r
}

// httpAttempt sends the request build makes and reads the whole answer; any status but 2xx is
// an error (a redirect to the login page is a lost session, not a success).
func httpAttempt(client *http.Client, build func(worker int) (*http.Request, error)) attempt {
	return func(ctx context.Context, worker int) error {
		req, err := build(worker)
		if err != nil {
			return err
		}
		res, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode < 200 || res.StatusCode > 299 {
			return fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, res.StatusCode)
		}
		return nil
	}
}
