package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/db/dbtest"
	"github.com/ambiti/ambiti/internal/devidp"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// env is the whole platform for an end-to-end test: the development identity provider and the
// Ambiti server, each on its own loopback port, over a freshly provisioned database.
type env struct {
	t      *testing.T
	idp    devidp.Config
	port   string // the Ambiti server's port
	app    *app
	db     *db.DB
	url    string
	client *http.Client // resolves *.localhost to loopback, as browsers do; follows no redirect
	clock  *testClock   // the server's clock for sessions and token expiry

	mu     sync.Mutex
	tokens map[string]string
}

// newEnv starts everything.
// Every test of this package calls t.Parallel(): each builds its own env (database copied
// from the template, server, identity provider, browser) and shares nothing with the others,
// so a new test must too — no t.Setenv, no fixed port, no global it changes.
func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, db.Config{})
}

// newEnvWith is newEnv on a pool configured with dc (a tracer, for instance).
func newEnvWith(t *testing.T, dc db.Config) *env {
	t.Helper()
	cfg := startDevIdP(t)
	// The districts as shipped, copied from the template: their issuer is the development
	// placeholder, which DevIssuer below points at this test's provider, as `make run` does.
	d, url, _ := tenancytest.Provisioned(t, dc)
	secrets := map[string]string{
		"AMBITI_OIDC_SECRET_VALLE_TROMPIA": "dev-secret-valle-trompia",
		"AMBITI_OIDC_SECRET_TERRE_DARGINE": "dev-secret-terre-dargine",
		"AMBITI_OIDC_SECRET_TRENTO":        "dev-secret-trento",
	}
	clock := &testClock{}
	c := config{DatabaseURL: url, BaseDomain: "localhost", PublicScheme: "http", PlatformIssuer: cfg.Issuer, DevIssuer: cfg.Issuer,
		PlatformClientID: "ambiti-platform", PlatformClientSecret: "dev-secret-platform", ShutdownTimeout: 5 * time.Second, Now: clock.now,
		MasterKey: testMasterKey}
	a, port := serveAssembled(t, c, d, func(k string) string { return secrets[k] })
	return &env{t: t, idp: cfg, port: port, app: a, db: d, url: url, client: loopbackClient(), clock: clock, tokens: map[string]string{}}
}

// testClock is the wall clock moved forward by what a test asks, so that expiry is tested
// without waiting for it.
type testClock struct {
	mu    sync.Mutex
	ahead time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

// advance moves the clock forward by d.
func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.ahead += d
	c.mu.Unlock()
}

// serveAssembled assembles the server as `ambiti serve` does and serves it on a loopback port
// until the test ends; it returns the app and the port.
func serveAssembled(t *testing.T, c config, d *db.DB, getenv func(string) string) (*app, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := assemble(ctx, c, d, getenv, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	// Role changes made by other processes (a `demo load`, another instance) reach this one as
	// they reach `ambiti serve`: through the listener.
	listenURL := c.DirectDatabaseURL
	if listenURL == "" {
		listenURL = c.DatabaseURL
	}
	watching := make(chan struct{})
	go func() {
		if listenURL != "" {
			a.authz.Watch(ctx, listenURL, time.Minute)
		}
		close(watching)
	}()
	done := make(chan struct{})
	go func() { a.server.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; <-watching })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return a, port
}

// startDevIdP starts the development identity provider with the demo users on a loopback port
// of its own, for the test's duration.
func startDevIdP(t *testing.T) devidp.Config {
	t.Helper()
	root, _ := dbtest.RepoRoot()
	cfg, err := devidp.LoadConfig(filepath.Join(root, "deploy/dev/idp.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	idpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Issuer = "http://" + idpLn.Addr().String()
	p, err := devidp.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	idpSrv := &http.Server{Handler: p.Handler()}
	go idpSrv.Serve(idpLn)
	t.Cleanup(func() { idpSrv.Close() })
	return cfg
}

// testLog sends the server's warnings and errors to the test's log.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// loopbackClient dials every *.localhost name on 127.0.0.1 (Go's resolver does not) and
// leaves redirects to the caller.
func loopbackClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
				addr = net.JoinHostPort("127.0.0.1", port)
			}
			return dialer.DialContext(ctx, network, addr)
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// host is the address of a district (or of the platform, for "").
func (e *env) host(slug string) string {
	if slug == "" {
		return "localhost:" + e.port
	}
	return slug + ".localhost:" + e.port
}

// token is a real access token of a demo user, through the provider's code flow.
func (e *env) token(username string) string {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	u, ok := e.idp.User(username)
	if !ok {
		e.t.Fatalf("no demo user %s", username)
	}
	redirect, err := devidp.DefaultRedirectURI(u.Client)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := devidp.FetchToken(context.Background(), e.idp, username, redirect, nil)
	if err != nil {
		e.t.Fatalf("token for %s: %v", username, err)
	}
	e.tokens[username] = tok
	return tok
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// call sends one request to host (a district slug, or "" for the platform).
func (e *env) call(method, slug, path, bearer string, body io.Reader, hdr ...string) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, "http://"+e.host(slug)+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, b}
}

// districtConn is a direct connection to the test database, closed when the test ends, and
// the district's schema name: for tests that look at or break a district's tables themselves.
func (e *env) districtConn(t *testing.T, slug string) (context.Context, *pgx.Conn, string) {
	t.Helper()
	schema, err := tenancy.SchemaName(slug)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return ctx, conn, schema
}
