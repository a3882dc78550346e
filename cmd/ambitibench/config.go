package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is the run: the environment of make bench (AMBITI_BENCH_*), flags for what bench.sh
// builds.
type config struct {
	AdminURL       string        // TEST_DATABASE_URL: the cluster, where each target gets a database
	Districts      int           // AMBITI_BENCH_DISTRICTS (100)
	Rounds         int           // AMBITI_BENCH_ROUNDS (3)
	Duration       time.Duration // AMBITI_BENCH_DURATION (5s), per scenario, round and concurrency
	Warmup         time.Duration // AMBITI_BENCH_WARMUP (1s), before each measured window, not counted
	Concurrency    []int         // AMBITI_BENCH_CONCURRENCY ("8,32")
	Only           string        // AMBITI_BENCH_SCENARIOS: a comma-separated subset of the scenarios' keys
	SyntheticPlans bool          // AMBITI_BENCH_SYNTHETIC_PLANS (1): Valle Trompia's plan in every synthetic district
	Ambiti         string        // -ambiti: the working tree's binary
	IdP            string        // -devidp: the development provider's binary
	IdPConfig      string        // -idp-config
	Baseline       string        // -baseline: the baseline's ambiti binary (bench.sh builds AMBITI_BENCH_BASELINE)
	BaselineRev    string        // -baseline-rev: its revision, for the report
	BaselineSrc    string        // -baseline-src: its checkout (tenants/, deploy/demo)
	Out            string        // -out: the markdown written
	Commit         string        // -commit: the working tree's revision, for the report
}

func parseConfig(args []string) (config, error) {
	c := config{AdminURL: os.Getenv("TEST_DATABASE_URL")}
	var err error
	if c.Districts, err = envInt("AMBITI_BENCH_DISTRICTS", 100, 3); err != nil {
		return c, err
	}
	if c.Rounds, err = envInt("AMBITI_BENCH_ROUNDS", 3, 1); err != nil {
		return c, err
	}
	if c.Duration, err = envDuration("AMBITI_BENCH_DURATION", 5*time.Second); err != nil {
		return c, err
	}
	if c.Warmup, err = envDuration("AMBITI_BENCH_WARMUP", time.Second); err != nil {
		return c, err
	}
	for _, s := range strings.Split(envOr("AMBITI_BENCH_CONCURRENCY", "8,32"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 1024 {
			return c, fmt.Errorf("AMBITI_BENCH_CONCURRENCY: %q is not a number of workers from 1 to 1024", s)
		}
		c.Concurrency = append(c.Concurrency, n)
	}
	c.Only = os.Getenv("AMBITI_BENCH_SCENARIOS")
	c.SyntheticPlans = envOr("AMBITI_BENCH_SYNTHETIC_PLANS", "1") != "0"
	fs := flag.NewFlagSet("ambitibench", flag.ContinueOnError)
	fs.StringVar(&c.Ambiti, "ambiti", "bin/ambiti", "the ambiti binary under test")
	fs.StringVar(&c.IdP, "devidp", "bin/devidp", "the development identity provider's binary")
	fs.StringVar(&c.IdPConfig, "idp-config", "deploy/dev/idp.yaml", "its users and clients")
	fs.StringVar(&c.Baseline, "baseline", "", "a baseline ambiti binary, run beside the one under test")
	fs.StringVar(&c.BaselineRev, "baseline-rev", "", "the baseline's revision (for the report)")
	fs.StringVar(&c.BaselineSrc, "baseline-src", "", "the baseline's checkout (its tenants/ and deploy/demo)")
	fs.StringVar(&c.Out, "out", "", "write the markdown report here (default stdout)")
	fs.StringVar(&c.Commit, "commit", "", "the revision under test (for the report)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.AdminURL == "" {
		return c, fmt.Errorf("TEST_DATABASE_URL is not set (deploy/dev/bench.sh sets it)")
	}
	if c.Baseline != "" && c.BaselineSrc == "" {
		c.BaselineSrc = "."
	}
	return c, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envInt(k string, def, least int) (int, error) {
	n, err := strconv.Atoi(envOr(k, strconv.Itoa(def)))
	if err != nil || n < least {
		return 0, fmt.Errorf("%s: must be a whole number ≥ %d", k, least)
	}
	return n, nil
}

func envDuration(k string, def time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(envOr(k, def.String()))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: must be a duration such as 5s", k)
	}
	return d, nil
}
