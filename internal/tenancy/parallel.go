package tenancy

import (
	"sync"
	"time"
)

// DefaultWorkers is how many districts a sync or a migration works on at once. Each worker
// holds one connection and one transaction; four keep two cores and PostgreSQL busy without
// making the migrations queue on the catalogue locks they all take.
const DefaultWorkers = 4

// Progress is what a sync or a migration reports after each district, for a progress bar.
type Progress struct {
	Done, Total int
	Elapsed     time.Duration
	Last        Result
}

// ETA estimates the time left from the pace so far (zero until one district is done).
func (p Progress) ETA() time.Duration {
	if p.Done == 0 || p.Done >= p.Total {
		return 0
	}
	return time.Duration(float64(p.Elapsed) / float64(p.Done) * float64(p.Total-p.Done))
}

// WithWorkers sets how many districts are provisioned or migrated at once (at least 1).
func (p *Provisioner) WithWorkers(n int) *Provisioner {
	p.workers = max(n, 1)
	return p
}

// WithProgress sets a function called after each district, from one goroutine at a time.
func (p *Provisioner) WithProgress(fn func(Progress)) *Provisioner {
	p.progress = fn
	return p
}

// each runs work(i) for i in [0, n) on the provisioner's workers and reports progress. Results
// are written by index, so their order is the input's whatever the order of completion. Every
// index is handed out even after a cancellation: work fails fast then, and each district gets
// its line in the report.
func (p *Provisioner) each(n int, work func(i int) Result, results []Result) {
	workers := min(max(p.workers, 1), max(n, 1))
	next := make(chan int)
	var mu sync.Mutex
	done, start := 0, time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := work(i)
				mu.Lock()
				results[i] = r
				done++
				if p.progress != nil {
					p.progress(Progress{Done: done, Total: n, Elapsed: time.Since(start), Last: r})
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
