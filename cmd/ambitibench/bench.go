package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ambiti/ambiti/internal/devidp"
)

// benchmark is the whole run: provision, start, log in, measure, report, clean up.
func benchmark(ctx context.Context, cfg config) error {
	work, err := os.MkdirTemp("", "ambitibench-")
	if err != nil {
		return err
	}
	keep := os.Getenv("AMBITI_BENCH_KEEP") == "1" // for a post-mortem: the logs and the databases stay
	if keep {
		logf("keeping %s and the databases", work)
	} else {
		defer os.RemoveAll(work)
	}

	idp, stopIdP, err := startIdP(ctx, cfg, work)
	if err != nil {
		return err
	}
	defer stopIdP()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	common := []string{
		"AMBITI_MASTER_KEY=" + base64.StdEncoding.EncodeToString(key),
		"AMBITI_MASTER_KEY_FILE=",
		"AMBITI_BASE_DOMAIN=localhost",
		"AMBITI_DEV_IDP_ISSUER=" + idp.Issuer,
		"AMBITI_PLATFORM_OIDC_ISSUER=" + idp.Issuer,
		"AMBITI_PLATFORM_OIDC_CLIENT_ID=ambiti-platform",
		"AMBITI_PLATFORM_OIDC_CLIENT_SECRET=dev-secret-platform",
		"AMBITI_OIDC_SECRET_VALLE_TROMPIA=dev-secret-valle-trompia",
		"AMBITI_OIDC_SECRET_TERRE_DARGINE=dev-secret-terre-dargine",
		"AMBITI_OIDC_SECRET_TRENTO=dev-secret-trento",
		"AMBITI_METRICS_TOKEN=",
	}

	targets := []*target{{Name: "ambiti", Bin: cfg.Ambiti, Src: ".", DB: "ambiti_bench_" + strconv.Itoa(os.Getpid())}}
	if cfg.Baseline != "" {
		targets = append(targets, &target{Name: "baseline " + cfg.BaselineRev, Bin: cfg.Baseline, Src: cfg.BaselineSrc,
			DB: "ambiti_bench_base_" + strconv.Itoa(os.Getpid())})
	}
	for _, t := range targets {
		t.Work = filepath.Join(work, t.DB)
		if err := os.MkdirAll(t.Work, 0o755); err != nil {
			return err
		}
		defer func() {
			t.stop()
			if t.DBURL != "" && !keep {
				if err := dropDatabase(context.Background(), cfg.AdminURL, t.DB); err != nil {
					logf("%s: drop database: %v", t.Name, err)
				}
			}
		}()
		logf("%s: provisioning %d districts", t.Name, cfg.Districts)
		if err := t.provision(ctx, cfg, common); err != nil {
			return err
		}
	}

	writers := slices.Max(cfg.Concurrency)
	fixtures := make([]fixture, len(targets))
	for i, t := range targets {
		if err := t.start(ctx); err != nil {
			return err
		}
		if fixtures[i], err = prepare(ctx, t, idp, writers); err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		logf("%s: serving on %s, plan %d (%d objectives)", t.Name, t.base(), fixtures[i].PlanID, fixtures[i].Objectives)
	}

	ppid, pgVersion, err := postmaster(ctx, targets[0].DBURL)
	m := meters{client: newClient(slices.Max(cfg.Concurrency))}
	if err != nil {
		logf("%v", err)
	} else {
		m.pg = clusterCPU(ppid)
	}

	res := &results{}
	started, load := time.Now(), loadAvg()
	if err := measureAll(ctx, cfg, m, targets, fixtures, res); err != nil {
		return err
	}
	for _, t := range targets {
		if t.memory, err = readProcMemory(t.pid()); err != nil {
			logf("%s: memory: %v", t.Name, err)
		}
	}
	rep := report{cfg: cfg, targets: targets, fixture: fixtures[0], res: res, pgVersion: pgVersion,
		took: time.Since(started), date: time.Now().UTC(), loadStart: load, pgOK: m.pg != nil}
	out := os.Stdout
	if cfg.Out != "" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	return rep.write(out)
}

// measureAll runs, for each scenario and concurrency, the rounds; in each round every target
// then the raw loop's two modes, back to back, so that what disturbs the machine in one round
// disturbs them all alike.
func measureAll(ctx context.Context, cfg config, m meters, targets []*target, fixtures []fixture, res *results) error {
	for _, sc := range selected(cfg.Only) {
		builds := make([]func(int) (*http.Request, error), len(targets))
		skip := false
		for i, t := range targets {
			if builds[i] = sc.request(t, fixtures[i]); builds[i] == nil {
				skip = true
			}
		}
		if skip {
			logf("%s: skipped (nothing to request)", sc.Key)
			continue
		}
		read, hasCeiling := ceilingReads[sc.Ceiling]
		for _, c := range cfg.Concurrency {
			var pool *pgxpool.Pool
			if hasCeiling {
				var err error
				if pool, err = newPool(ctx, targets[0].DBURL, c); err != nil {
					return err
				}
			}
			for round := range cfg.Rounds {
				if err := ctx.Err(); err != nil {
					return err
				}
				for i, t := range targets {
					s := m.server(ctx, t, builds[i], c, cfg.Warmup, cfg.Duration)
					res.add(sc.Key, c, t.Name, false, s)
					logf("%s c=%d round %d %s: %.0f req/s p99 %s errors %d", sc.Key, c, round+1, t.Name, s.Throughput, s.P99.Round(100*time.Microsecond), s.Errors)
				}
				if !hasCeiling {
					continue
				}
				for _, mode := range []ceilingMode{sameStatements, oneRoundTrip} {
					rt := read.roundTrips()
					if mode == oneRoundTrip {
						rt = 1
					}
					fn, err := ceilingAttempt(pool, read, mode, fixtures[0])
					if err != nil {
						return err
					}
					s := m.ceiling(ctx, fn, rt, c, cfg.Warmup, cfg.Duration)
					res.add(sc.Key, c, mode.String(), true, s)
					logf("%s c=%d round %d %s: %.0f req/s p99 %s errors %d", sc.Key, c, round+1, mode, s.Throughput, s.P99.Round(100*time.Microsecond), s.Errors)
				}
			}
			if pool != nil {
				pool.Close()
			}
		}
	}
	return nil
}

// startIdP runs the development identity provider on a free loopback port.
func startIdP(ctx context.Context, cfg config, work string) (devidp.Config, func(), error) {
	idp, err := devidp.LoadConfig(cfg.IdPConfig)
	if err != nil {
		return idp, nil, err
	}
	port, err := freePort()
	if err != nil {
		return idp, nil, err
	}
	idp.Issuer = fmt.Sprintf("http://localhost:%d", port)
	log, err := os.Create(filepath.Join(work, "devidp.log"))
	if err != nil {
		return idp, nil, err
	}
	cmd := exec.Command(cfg.IdP, "serve", "-config", cfg.IdPConfig, "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-issuer", idp.Issuer)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return idp, nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
	if err := waitReady(ctx, idp.Issuer+"/.well-known/openid-configuration", 30*time.Second); err != nil {
		stop()
		return idp, nil, fmt.Errorf("development identity provider: %w", err)
	}
	return idp, stop, nil
}
