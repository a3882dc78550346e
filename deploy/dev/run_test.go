// Package dev holds the tests of the development scripts (run.sh, pg.sh): they start `make run`
// as a developer does, on free ports and a private cluster, and stop it the ways a developer or
// a supervisor does.
package dev

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Stopping `make run` stops the cluster it started — and the server and the identity provider —
// whatever the signal and whoever receives it. TERM to the whole process group used to leave
// PostgreSQL running about half of the time: make forwards the TERM to run.sh, which then
// arrived after run.sh had reset its traps for the cleanup and killed it half-way.
//
// The same copy runs on ports of its own with the development identity provider moved to
// another port too (AMBITI_DEV_IDP_ADDR): a district accepts that provider's token.
func TestMakeRunStopsEverythingItStarted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts make run several times")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"make", "bash", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to run make run: %v", tool, err)
		}
	}
	// Built once here, as run.sh builds them; every make run below uses them as they are.
	bin := t.TempDir()
	for _, b := range []string{"ambiti", "devidp"} {
		build := exec.Command("go", "build", "-o", filepath.Join(bin, b), "./cmd/"+b)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build ./cmd/%s: %v\n%s", b, err, out)
		}
	}
	pgDir := t.TempDir()
	t.Cleanup(func() { // whatever happened, leave no cluster behind
		if out, err := exec.Command(filepath.Join(root, "deploy/dev/pg.sh"), "stop", pgDir).CombinedOutput(); err != nil {
			t.Logf("pg.sh stop %s: %v\n%s", pgDir, err, out)
		}
	})

	runs := []struct {
		name   string
		signal syscall.Signal
		group  bool // to the whole process group, or to make alone
		// again sends the signal to the group a second time once run.sh has begun stopping
		// (no longer catches TERM), while a request held open keeps the server draining: the
		// late signal of make's forwarding, or of an impatient second Ctrl-C, made certain.
		again bool
	}{
		{"TERM to the process group", syscall.SIGTERM, true, false},
		{"TERM to the process group, again", syscall.SIGTERM, true, false},
		{"TERM to the process group, a third time", syscall.SIGTERM, true, false},
		{"TERM to make alone", syscall.SIGTERM, false, false},
		{"INT to the process group (Ctrl-C)", syscall.SIGINT, true, false},
		{"TERM to the process group twice, the second while stopping", syscall.SIGTERM, true, true},
	}
	for i, r := range runs {
		ok := t.Run(r.name, func(t *testing.T) {
			c := startMakeRun(t, root, bin, pgDir)
			postmaster := c.postmasterPID(t)
			if i == 0 {
				c.checkDistrictLogin(t, root, bin)
			}
			var script int
			if r.again {
				script = c.runScriptPID(t)
				held, err := net.Dial("tcp", c.addr) // a request whose headers never end
				if err != nil {
					t.Fatal(err)
				}
				defer held.Close()
				fmt.Fprintf(held, "GET /healthz HTTP/1.1\r\nHost: localhost:%s\r\n", port(c.addr))
			}
			target := c.pgid
			if r.group {
				target = -c.pgid
			}
			if err := syscall.Kill(target, r.signal); err != nil {
				t.Fatal(err)
			}
			if r.again {
				c.waitStopping(t, script, time.Minute)
				if err := syscall.Kill(-c.pgid, r.signal); err != nil && !errors.Is(err, syscall.ESRCH) {
					t.Fatal(err) // ESRCH: all of make run has exited already; the checks below tell how
				}
			}
			c.waitExit(t, 2*time.Minute)
			if alive(postmaster) {
				t.Errorf("make run has exited, but its PostgreSQL (pid %d) is still running\n%s", postmaster, c.log())
			}
			if _, err := os.Stat(filepath.Join(pgDir, "data", "postmaster.pid")); err == nil {
				t.Errorf("%s/data/postmaster.pid is still there: the cluster was not stopped\n%s", pgDir, c.log())
			}
			if left := groupMembers(c.pgid); len(left) > 0 {
				t.Errorf("processes of make run left running: %s\n%s", strings.Join(left, "; "), c.log())
			}
		})
		if !ok {
			break // the cleanup stops what was left; the next runs would only repeat the failure
		}
	}
}

// makeRun is one `make run` in a process group of its own.
type makeRun struct {
	cmd     *exec.Cmd
	pgid    int
	addr    string // the platform, 127.0.0.1:port
	idpAddr string // the development identity provider
	pgDir   string
	out     *syncBuffer
	exited  chan struct{}
}

func startMakeRun(t *testing.T, root, bin, pgDir string) *makeRun {
	t.Helper()
	c := &makeRun{addr: freeAddr(t), idpAddr: freeAddr(t), pgDir: pgDir, out: &syncBuffer{}, exited: make(chan struct{})}
	c.cmd = exec.Command("make", "--no-print-directory", "run")
	c.cmd.Dir = root
	c.cmd.Env = append(cleanEnv(),
		"AMBITI_ADDR="+c.addr,
		"AMBITI_DEV_IDP_ADDR="+c.idpAddr, // the issuer follows: http://localhost:<its port>
		"AMBITI_DEV_PG_DIR="+pgDir,
		"AMBITI_DEV_PREBUILT_BIN="+bin,
		"AMBITI_LOG_LEVEL=warn",
	)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.pgid = c.cmd.Process.Pid
	go func() { c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() { // a failed run: stop what is left of it
		select {
		case <-c.exited:
		default:
			syscall.Kill(-c.pgid, syscall.SIGKILL)
			<-c.exited
		}
	})
	// A first start builds, creates the cluster and loads the demo (a hundred pathways written
	// through the service, each with its audit row): about a minute on an idle machine, several
	// on a shared one. The bound only decides when to give up.
	c.waitReady(t, 6*time.Minute)
	return c
}

// waitReady polls the platform's /readyz and the identity provider's discovery document until
// both answer 200 (make run has migrated, loaded the demo and started both), failing if make
// exits first or the bound passes.
func (c *makeRun) waitReady(t *testing.T, bound time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	ok := func(addr, path string) bool {
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Host = "localhost:" + port(addr)
		res, err := client.Do(req)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}
	deadline := time.Now().Add(bound)
	for {
		if ok(c.addr, "/readyz") && ok(c.idpAddr, "/.well-known/openid-configuration") {
			return
		}
		select {
		case <-c.exited:
			t.Fatalf("make run exited before answering /readyz:\n%s", c.log())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("make run did not answer /readyz within %s:\n%s", bound, c.log())
		}
	}
}

func (c *makeRun) waitExit(t *testing.T, bound time.Duration) {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(bound):
		t.Fatalf("make run still running %s after the signal:\n%s", bound, c.log())
	}
}

// runScriptPID is the pid of run.sh, make's child.
func (c *makeRun) runScriptPID(t *testing.T) int {
	t.Helper()
	for _, pid := range groupPIDs(c.pgid) {
		if _, ppid, _, err := procStat(pid); err == nil && ppid == c.pgid {
			return pid
		}
	}
	t.Fatalf("no run.sh under make (pid %d):\n%s", c.pgid, c.log())
	return 0
}

// waitStopping waits until run.sh no longer catches TERM: it has begun stopping (its stop()
// ignores further signals; before the fix, the cleanup reset TERM to its default action).
func (c *makeRun) waitStopping(t *testing.T, pid int, bound time.Duration) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return // already gone
		}
		for _, line := range strings.Split(string(b), "\n") {
			if mask, ok := strings.CutPrefix(line, "SigCgt:"); ok {
				m, err := strconv.ParseUint(strings.TrimSpace(mask), 16, 64)
				if err == nil && m&(1<<(syscall.SIGTERM-1)) == 0 {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("run.sh (pid %d) still catches TERM %s after the first signal:\n%s", pid, bound, c.log())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// postmasterPID is the pid of the cluster make run started (first line of postmaster.pid).
func (c *makeRun) postmasterPID(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.pgDir, "data", "postmaster.pid"))
	if err != nil {
		t.Fatalf("make run is ready but its cluster has no pid file: %v\n%s", err, c.log())
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		t.Fatalf("postmaster.pid: %v", err)
	}
	return pid
}

// checkDistrictLogin gets a token from this copy's development provider (what make -s token
// does, with AMBITI_DEV_IDP_ISSUER) and uses it on a district: the district's issuer is the
// moved provider, not the default http://localhost:9998.
func (c *makeRun) checkDistrictLogin(t *testing.T, root, bin string) {
	t.Helper()
	issuer := "http://localhost:" + port(c.idpAddr)
	tok := exec.Command(filepath.Join(bin, "devidp"), "token", "-config", "deploy/dev/idp.yaml", "-user", "udp.valle-trompia", "-issuer", issuer)
	tok.Dir = root
	var stderr bytes.Buffer
	tok.Stderr = &stderr
	out, err := tok.Output()
	if err != nil {
		t.Fatalf("devidp token with the provider at %s: %v\n%s", issuer, err, stderr.String())
	}
	req, _ := http.NewRequest("GET", "http://"+c.addr+"/api/v1/me", nil)
	req.Host = "valle-trompia.localhost:" + port(c.addr)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(out)))
	res, err := (&http.Client{Timeout: 15 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET %s/api/v1/me with a token of the provider at %s: %d %s, want 200", req.Host, issuer, res.StatusCode, body)
	}
}

func (c *makeRun) log() string { return c.out.String() }

// cleanEnv is this process's environment without what would point make run elsewhere: a
// database (it must start its own cluster), Ambiti settings, an enclosing make's flags.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "DATABASE_URL", k == "TEST_DATABASE_URL", strings.HasPrefix(k, "AMBITI_"),
			k == "MAKEFLAGS", k == "MFLAGS", k == "MAKELEVEL", k == "MAKEOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// alive reports whether pid is a running process (a zombie waiting for its parent is not).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	state, _, _, err := procStat(pid)
	return err == nil && state != "Z"
}

// groupPIDs lists the live processes of process group pgid.
func groupPIDs(pgid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if state, _, pg, err := procStat(pid); err == nil && pg == pgid && state != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

// groupMembers describes the live processes of process group pgid.
func groupMembers(pgid int) []string {
	var out []string
	for _, pid := range groupPIDs(pgid) {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		out = append(out, fmt.Sprintf("%d %s", pid, strings.ReplaceAll(strings.TrimRight(string(cmdline), "\x00"), "\x00", " ")))
	}
	return out
}

// procStat reads a process's state, parent and process group from /proc/<pid>/stat.
func procStat(pid int) (state string, ppid, pgrp int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0, 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces and parentheses
	if i < 0 {
		return "", 0, 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	f := strings.Fields(s[i+1:]) // state ppid pgrp …
	if len(f) < 3 {
		return "", 0, 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	if ppid, err = strconv.Atoi(f[1]); err != nil {
		return "", 0, 0, err
	}
	pgrp, err = strconv.Atoi(f[2])
	return f[0], ppid, pgrp, err
}

// syncBuffer collects make run's output from both streams.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
