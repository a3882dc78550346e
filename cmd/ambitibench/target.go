package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// target is one build of ambiti under test (the working tree's, or the baseline revision's):
// its own database, its own tenants and demo folders, its own server process.
type target struct {
	Name  string // "ambiti", or "baseline <rev>"
	Bin   string // the ambiti binary
	Src   string // the checkout whose tenants/ and deploy/demo it provisions
	DB    string // database name
	DBURL string
	Port  int
	Work  string // a folder of its own, for the tenants, the demo and the server's log
	env   []string
	cmd   *exec.Cmd
	steps []step // provisioning, timed
	// memory is the server's resident memory read as the measurements end (zero: unreadable).
	memory procMemory
}

// step is one provisioning command and how long it took.
type step struct {
	What string
	Took time.Duration
}

// base is the platform host's URL; host(slug) a district's.
func (t *target) base() string            { return fmt.Sprintf("http://localhost:%d", t.Port) }
func (t *target) host(slug string) string { return fmt.Sprintf("http://%s.localhost:%d", slug, t.Port) }

// provision creates the database and runs migrate, tenants sync and demo load on it, as make
// run does, timing each.
func (t *target) provision(ctx context.Context, cfg config, common []string) error {
	var err error
	if t.DBURL, err = createDatabase(ctx, cfg.AdminURL, t.DB); err != nil {
		return err
	}
	// The demo folder sits in a deploy/ of its own beside a link to the checkout's deploy/dev:
	// demo load finds the demo users at <demo>/../dev/idp.yaml.
	tenants, demo := filepath.Join(t.Work, "tenants"), filepath.Join(t.Work, "deploy", "demo")
	devDir, err := filepath.Abs(filepath.Join(t.Src, "deploy", "dev"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(demo), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(devDir, filepath.Join(t.Work, "deploy", "dev")); err != nil {
		return err
	}
	if err := writeTenants(filepath.Join(t.Src, "tenants"), tenants, cfg.Districts); err != nil {
		return fmt.Errorf("tenants folder: %w", err)
	}
	if err := writeDemo(filepath.Join(t.Src, "deploy", "demo"), demo); err != nil {
		return fmt.Errorf("demo folder: %w", err)
	}
	var planDirs []string
	if cfg.SyntheticPlans {
		if planDirs, err = writePlanDirs(filepath.Join(t.Src, "deploy", "demo"), filepath.Dir(demo), cfg.Districts, planLoaders); err != nil {
			return fmt.Errorf("demo folder: %w", err)
		}
	}
	if t.Port, err = freePort(); err != nil {
		return err
	}
	t.env = append(append(os.Environ(), common...),
		"DATABASE_URL="+t.DBURL, "AMBITI_TENANTS_DIR="+tenants, "AMBITI_DEMO_DIR="+demo,
		"AMBITI_ADDR=127.0.0.1:"+strconv.Itoa(t.Port))
	for _, s := range [][]string{{"migrate"}, {"tenants", "sync"}, {"demo", "load"}} {
		t0 := time.Now()
		if err := t.runQuiet(ctx, s...); err != nil {
			return err
		}
		t.steps = append(t.steps, step{What: "`ambiti " + join(s) + "`", Took: time.Since(t0)})
		logf("%s: ambiti %s: %s", t.Name, join(s), time.Since(t0).Round(10*time.Millisecond))
	}
	if len(planDirs) == 0 {
		return nil
	}
	t0 := time.Now()
	errs := make(chan error, len(planDirs))
	for _, dir := range planDirs {
		go func() { errs <- t.runQuiet(ctx, "demo", "load", "--demo-dir", dir) }()
	}
	for range planDirs {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return err
	}
	what := fmt.Sprintf("synthetic plans (%d `demo load`s at once)", len(planDirs))
	t.steps = append(t.steps, step{What: what, Took: time.Since(t0)})
	logf("%s: %s: %s", t.Name, what, time.Since(t0).Round(10*time.Millisecond))
	return nil
}

// planLoaders is how many demo loads import the synthetic districts' plans at once: tenancy's
// default provisioning workers.
const planLoaders = 4

// runQuiet runs an ambiti command with the target's settings, its output in the target's log
// (shown when it fails).
func (t *target) runQuiet(ctx context.Context, args ...string) error {
	logFile := filepath.Join(t.Work, "provision.log")
	f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.CommandContext(ctx, t.Bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = t.env, f, f
	if err := cmd.Run(); err != nil {
		tail, _ := os.ReadFile(logFile)
		return fmt.Errorf("%s: ambiti %s: %w\n%s", t.Name, join(args), err, lastLines(string(tail), 20))
	}
	return nil
}

// start runs ambiti serve and waits for /readyz.
func (t *target) start(ctx context.Context) error {
	f, err := os.Create(filepath.Join(t.Work, "serve.log"))
	if err != nil {
		return err
	}
	t.cmd = exec.Command(t.Bin, "serve")
	t.cmd.Env, t.cmd.Stdout, t.cmd.Stderr = t.env, f, f
	if err := t.cmd.Start(); err != nil {
		return err
	}
	if err := waitReady(ctx, t.base()+"/readyz", 90*time.Second); err != nil {
		tail, _ := os.ReadFile(f.Name())
		return fmt.Errorf("%s: %w\n%s", t.Name, err, lastLines(string(tail), 20))
	}
	return nil
}

// stop ends the server (SIGTERM, then SIGKILL after 30 s).
func (t *target) stop() {
	if t.cmd == nil || t.cmd.Process == nil {
		return
	}
	_ = t.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = t.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = t.cmd.Process.Kill()
		<-done
	}
}

func (t *target) pid() int { return t.cmd.Process.Pid }

// metrics returns the server's /metrics text (readable from this machine without a token).
func (t *target) metrics(c *http.Client) (string, error) {
	res, err := c.Get(t.base() + "/metrics")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("/metrics: %d", res.StatusCode)
	}
	return string(b), nil
}

func waitReady(ctx context.Context, u string, limit time.Duration) error {
	c := newClient(1)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if res, err := c.Get(u); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready after %s", u, limit)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
