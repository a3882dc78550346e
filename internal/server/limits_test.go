package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/server"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// getFrom is get from a given client address.
func getFrom(t *testing.T, s *server.Server, remote, host, path string, hdr ...string) answer {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host, req.RemoteAddr = host, remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.String()}
}

// serverWith builds a server over a provisioned database with extra routes, every route allowed.
func serverWith(t *testing.T, cfg server.Config, dbCfg db.Config, routes ...route.Route) (*server.Server, *db.DB) {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, dbCfg)
	ready, err := tenancy.NewReadiness(d, migrations.Platform(), migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseDomain, cfg.Version = "localhost", "test"
	s := server.New(cfg, server.Deps{
		DB: d, Registry: tenancy.NewRegistry(d, time.Minute), Readiness: ready, Routes: routes,
		Guard: func(route.Route) echo.MiddlewareFunc {
			return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
		},
	})
	return s, d
}

func TestMetricsLabelsStayBoundedWhateverTheRequestLine(t *testing.T) {
	s, _ := newServer(t)
	long := strings.Repeat("X", 100_000)
	for i := range 20 {
		req := httptest.NewRequest(http.MethodGet, "/nowhere-"+strings.Repeat("p", i), nil)
		req.Method, req.Host = long+string(rune('A'+i)), "valle-trompia.localhost"
		s.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	m := getFrom(t, s, "127.0.0.1:40000", "localhost", "/metrics")
	if m.status != http.StatusOK {
		t.Fatalf("metrics: %d", m.status)
	}
	if strings.Contains(m.body, "XXXX") || strings.Contains(m.body, "nowhere") {
		t.Errorf("a request's method or path became a label: /metrics is %d bytes", len(m.body))
	}
	if !strings.Contains(m.body, `method="OTHER"`) {
		t.Errorf("unknown methods are not counted as OTHER")
	}
	if len(m.body) > 64<<10 {
		t.Errorf("/metrics is %d bytes after 20 odd requests", len(m.body))
	}
}

func TestMetricsAreForLoopbackOrTheMetricsToken(t *testing.T) {
	open, _ := newServer(t) // no token: loopback only
	closed, _ := serverWith(t, server.Config{MetricsToken: "s3cret-scraper-token"}, db.Config{})
	for _, host := range []string{"localhost", "valle-trompia.localhost"} {
		if a := getFrom(t, open, "192.0.2.7:5000", host, "/metrics"); a.status != http.StatusForbidden {
			t.Errorf("%s/metrics from another machine: %d, want 403", host, a.status)
		}
		if a := getFrom(t, open, "[::1]:5000", host, "/metrics"); a.status != http.StatusOK {
			t.Errorf("%s/metrics from loopback: %d", host, a.status)
		}
		for _, from := range []string{"192.0.2.7:5000", "127.0.0.1:5000"} { // a local proxy makes everyone local
			if a := getFrom(t, closed, from, host, "/metrics"); a.status != http.StatusForbidden {
				t.Errorf("%s/metrics from %s without the token: %d, want 403", host, from, a.status)
			}
			if a := getFrom(t, closed, from, host, "/metrics", "Authorization", "Bearer wrong"); a.status != http.StatusForbidden {
				t.Errorf("%s/metrics from %s with a wrong token: %d, want 403", host, from, a.status)
			}
			if a := getFrom(t, closed, from, host, "/metrics", "Authorization", "Bearer s3cret-scraper-token"); a.status != http.StatusOK || !strings.Contains(a.body, "go_goroutines") {
				t.Errorf("%s/metrics from %s with the token: %d", host, from, a.status)
			}
		}
	}
}

func TestEveryAnswerIsUncachedUnlessItsHandlerSaysSo(t *testing.T) {
	s, _ := newServer(t)
	for _, p := range []string{"/healthz", "/readyz", "/api/v1/openapi.json", "/nowhere"} {
		if a := get(t, s, "valle-trompia.localhost", p); a.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, a.header.Get("Cache-Control"))
		}
	}
}

func TestBodiesAreBoundedBeforeAnythingReadsThem(t *testing.T) {
	read := make(chan int64, 1)
	echoBody := route.Route{Method: http.MethodPost, Path: "/api/v1/echo", On: route.OnAny, Public: true, Produces: []string{route.JSON},
		Handler: func(c echo.Context) error {
			b, err := route.Body(c)
			if err != nil {
				return err
			}
			read <- int64(len(b))
			return c.JSON(http.StatusOK, map[string]int{"bytes": len(b)})
		}}
	s, _ := serverWith(t, server.Config{}, db.Config{}, echoBody)
	post := func(body *strings.Reader, length int64) int {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/echo", body)
		req.Host, req.ContentLength = "valle-trompia.localhost", length
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	big := strings.Repeat("a", route.MaxBody+10)
	if code := post(strings.NewReader(big), int64(len(big))); code != http.StatusRequestEntityTooLarge {
		t.Errorf("a declared body over the bound: %d, want 413", code)
	}
	select {
	case n := <-read:
		t.Errorf("the handler read %d bytes of a body declared too large", n)
	default:
	}
	if code := post(strings.NewReader(big), -1); code != http.StatusRequestEntityTooLarge {
		t.Errorf("an undeclared (chunked) body over the bound: %d, want 413", code)
	}
	if code := post(strings.NewReader(`{"a":1}`), 7); code != http.StatusOK {
		t.Errorf("a small body: %d", code)
	}
	req := httptest.NewRequest(http.MethodGet, "/healthz", strings.NewReader(strings.Repeat("b", 10_000)))
	req.Host = "valle-trompia.localhost"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a GET with a 10 kB body: %d, want 413", rec.Code)
	}
}

func TestExportsBeyondTheLimitAreRefusedWithRetryAfter(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{}, 10)
	pdf := route.Route{Method: http.MethodGet, Path: "/api/v1/slow.pdf", On: route.OnAny, Produces: []string{"application/pdf"},
		Handler: func(c echo.Context) error {
			started <- struct{}{}
			<-release
			return c.Blob(http.StatusOK, "application/pdf", []byte("%PDF-"))
		}}
	s, _ := serverWith(t, server.Config{Limits: server.Limits{Exports: 2, ExportWait: 50 * time.Millisecond}}, db.Config{}, pdf)
	codes := make(chan int, 2)
	for range 2 {
		go func() { codes <- get(t, s, "valle-trompia.localhost", "/api/v1/slow.pdf").status }()
	}
	<-started // both slots are taken
	<-started
	a := get(t, s, "valle-trompia.localhost", "/api/v1/slow.pdf")
	if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, `"unavailable"`) {
		t.Errorf("a third export while two run: %d Retry-After=%q %s, want 503 with Retry-After", a.status, a.header.Get("Retry-After"), a.body)
	}
	if h := get(t, s, "valle-trompia.localhost", "/healthz"); h.status != http.StatusOK {
		t.Errorf("other requests while exports run: %d", h.status)
	}
	close(release)
	for range 2 {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("an export within the limit: %d", c)
		}
	}
	if a := get(t, s, "valle-trompia.localhost", "/api/v1/slow.pdf"); a.status != http.StatusOK {
		t.Errorf("an export once the slots are free: %d", a.status)
	}
}

func TestReadinessDoesNotWaitForABusyPool(t *testing.T) {
	s, d := serverWith(t, server.Config{}, db.Config{MaxOpenConns: 1})
	for _, host := range []string{"valle-trompia.localhost", "localhost"} {
		get(t, s, host, "/healthz") // the host registry is loaded, as on a serving instance
	}
	release, holding, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { // the pool's one connection busy, the database itself fine
		defer close(done)
		d.Platform(context.Background(), func(tx *gorm.DB) error {
			tx.Exec("SELECT 1")
			close(holding)
			<-release
			return nil
		})
	}()
	select {
	case <-holding:
	case <-time.After(30 * time.Second):
		t.Fatalf("the pool's connection never became free to hold: %+v", d.Stats())
	}
	defer func() { close(release); <-done }()
	for _, host := range []string{"valle-trompia.localhost", "localhost"} {
		if a := get(t, s, host, "/readyz"); a.status != http.StatusOK {
			t.Errorf("%s/readyz with the pool busy: %d %s, want 200", host, a.status, a.body)
		}
	}
}
