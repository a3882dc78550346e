package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strings"
	"time"
)

// report writes the run as markdown: the machine and the settings, the provisioning, then a
// table per scenario with the medians of the rounds.
type report struct {
	cfg       config
	targets   []*target
	fixture   fixture
	res       *results
	pgVersion string
	took      time.Duration
	date      time.Time
	loadStart string
	pgOK      bool // the cluster's processes were readable: its CPU was measured
}

func (r report) write(w io.Writer) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	cfg := r.cfg
	p("## Side by side: the server and its raw pgx ceiling (`make bench`)\n\n")
	p("Run on %s UTC, commit `%s`: %s, %s, `nproc` %d; %s.\n\n", r.date.Format("2006-01-02 15:04"), orUnknown(cfg.Commit),
		cpuModel(), coresLine(), runtime.NumCPU(), orUnknown(shortVersion(r.pgVersion)))
	p("%d districts (the 3 demo districts with their demo data, %d synthetic copies of Valle Trompia%s); "+
		"concurrency %s; %s per scenario, per concurrency and per round after a %s warm-up that is not counted; "+
		"%d paired rounds (each round runs the server, then the raw loop's two modes, back to back); every figure is the median of the rounds "+
		"(errors are added up). Load generator and raw loop: this harness (`cmd/ambitibench`), keep-alive, on the same machine. "+
		"Measured %s in all.\n\n",
		cfg.Districts, max(cfg.Districts-len(demoSlugs), 0), map[bool]string{true: ", each with Valle Trompia's plan", false: ", without plans"}[cfg.SyntheticPlans],
		joinInts(cfg.Concurrency), cfg.Duration, cfg.Warmup, cfg.Rounds, r.took.Round(time.Second))
	p("Load average (1, 5, 15 min; other work on the machine shows here): %s at the start of the measurements, %s at the end.\n\n", r.loadStart, loadAvg())
	p("```\n%s\n```\n\n", r.command())
	p("The district under load is `%s` (user `%s`): plan %d with %d objectives; the regional table is `%s` "+
		"(user `%s`, all %d districts). The API write edits one field of an objective of a draft plan, each worker its own.\n\n",
		r.fixture.District, benchUser, r.fixture.PlanID, r.fixture.Objectives, benchRegion, regionUser, cfg.Districts)

	p("### Provisioning\n\n| build | districts |")
	for _, s := range r.targets[0].steps {
		p(" %s |", s.What)
	}
	p(" total |\n|---|---:|%s---:|\n", strings.Repeat("---:|", len(r.targets[0].steps)))
	for _, t := range r.targets {
		var total time.Duration
		cells := make([]string, 0, 3)
		for _, s := range t.steps {
			total += s.Took
			cells = append(cells, s.Took.Round(10*time.Millisecond).String())
		}
		p("| %s | %d | %s | %s |\n", t.Name, cfg.Districts, strings.Join(cells, " | "), total.Round(10*time.Millisecond))
	}
	p("\nA fresh database each: `migrate` creates the platform schema, `tenants sync` creates and migrates every district's schema, " +
		"`demo load` imports the demo districts' plans, directories and pathways; the synthetic districts then get Valle Trompia's plan (with its facts).\n\n")

	p("Server memory as the measurements ended (`/proc/<pid>/status`): ")
	for i, t := range r.targets {
		if i > 0 {
			p("; ")
		}
		if t.memory.Peak == 0 {
			p("%s n/a", t.Name)
			continue
		}
		p("%s peak %.0f MB (VmHWM), %.0f MB resident", t.Name, float64(t.memory.Peak)/(1<<20), float64(t.memory.Now)/(1<<20))
	}
	p(".\n\n")

	r.writeGoals(w)

	p("### Columns\n\n" +
		"- **req/s**: requests (or raw reads) per second, all workers together; **p50/p99**: latency of the successful ones.\n" +
		"- **CPU/req, process**: the server's CPU per request (utime+stime of its process from `/proc`); on the raw loop's rows, this harness's own (the loop and its bookkeeping).\n" +
		"- **CPU/req, PostgreSQL**: every process of the cluster (the postmaster and its children), per request.\n" +
		"- **round trips/req**: the server's `" + roundTripsMetric + "` over the window, per request (n/a when the build does not count them); the raw loop's are by construction.\n" +
		"- **× same** and **× 1 RT**: the row's throughput over the raw pgx loop's, issuing the same statements one round trip each, or the same reads in one round trip (a `pgx.Batch`, implicit transaction).\n" +
		"- The raw loop runs the reads of `cmd/ambitibench/statements.go` (the API list and the regional table): the pages, the write and the exports have no ceiling row, their reads being many and changing.\n" +
		"- The exports answer 503 when more than `AMBITI_EXPORT_CONCURRENCY` (4) run at once for over 2 s: at c=32 that is the server protecting itself, and it shows as errors.\n\n")

	for _, sc := range selected(cfg.Only) {
		if !r.has(sc.Key) {
			continue
		}
		p("### %s\n\n", sc.Title)
		p("| c | system | req/s | p50 | p99 | CPU/req, process | CPU/req, PostgreSQL | round trips/req | × same | × 1 RT | errors |\n")
		p("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, c := range cfg.Concurrency {
			same, hasSame := r.res.get(sc.Key, c, sameStatements.String())
			one, hasOne := r.res.get(sc.Key, c, oneRoundTrip.String())
			for _, ser := range r.res.order {
				if ser.Scenario != sc.Key || ser.C != c {
					continue
				}
				s := ser.summary()
				xSame, xOne := "", ""
				if !ser.Ceiling && hasSame {
					xSame = ratio(s.Throughput, same.summary().Throughput)
				}
				if !ser.Ceiling && hasOne {
					xOne = ratio(s.Throughput, one.summary().Throughput)
				}
				p("| %d | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, ser.System, s.Throughput,
					ms(s.P50), ms(s.P99), ms(s.ProcCPU), r.pgCell(s.PGCPU), rtCell(s.RoundTrips), xSame, xOne, errCell(s))
			}
		}
		p("\n")
	}
	return nil
}

func (r report) has(key string) bool {
	for _, s := range r.res.order {
		if s.Scenario == key {
			return true
		}
	}
	return false
}

// command is how to run this again.
func (r report) command() string {
	cfg := r.cfg
	var env []string
	for _, k := range []string{"AMBITI_BENCH_DISTRICTS", "AMBITI_BENCH_ROUNDS", "AMBITI_BENCH_DURATION", "AMBITI_BENCH_WARMUP",
		"AMBITI_BENCH_CONCURRENCY", "AMBITI_BENCH_SCENARIOS", "AMBITI_BENCH_SYNTHETIC_PLANS", "AMBITI_BENCH_BASELINE"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	if cfg.Baseline != "" && os.Getenv("AMBITI_BENCH_BASELINE") == "" {
		env = append(env, "AMBITI_BENCH_BASELINE="+cfg.BaselineRev)
	}
	return strings.TrimSpace(strings.Join(env, " ") + " make bench")
}

func (r report) pgCell(d time.Duration) string {
	if !r.pgOK {
		return "n/a"
	}
	return ms(d)
}

func ms(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
}

func rtCell(rt float64) string {
	if math.IsNaN(rt) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", rt)
}

func ratio(a, b float64) string {
	if b <= 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func errCell(s summary) string {
	if s.Errors == 0 {
		return "0"
	}
	msg := strings.NewReplacer("|", "/", "\n", " ").Replace(s.FirstErr)
	if len(msg) > 80 {
		msg = msg[:80] + "…"
	}
	return fmt.Sprintf("**%d of %d failed** (%s)", s.Errors, s.Requests, msg)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " and ")
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// shortVersion keeps "PostgreSQL 15.18 (Debian …)" of version()'s long line.
func shortVersion(v string) string {
	if i := strings.Index(v, " on "); i > 0 {
		return v[:i]
	}
	return v
}

// cpuModel and coresLine describe the machine from /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func coresLine() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "? cores"
	}
	procs := strings.Count(string(b), "\nprocessor") + map[bool]int{true: 1}[strings.HasPrefix(string(b), "processor")]
	return fmt.Sprintf("%d logical CPUs", procs)
}

// loadAvg is /proc/loadavg's first three figures.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], ", ")
}
