package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
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

func newServer(t *testing.T) (*server.Server, *db.DB) {
	t.Helper()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ready, err := tenancy.NewReadiness(d, migrations.Platform(), migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{BaseDomain: "localhost", Version: "test"}, server.Deps{
		DB: d, Registry: tenancy.NewRegistry(d, 0), Readiness: ready,
	})
	return s, d
}

type answer struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, s *server.Server, host, path string, hdr ...string) answer {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header(), rec.Body.String()}
}

type errorJSON struct {
	Error struct {
		Code, Message, Field string
	}
}

func TestHostsResolveToTheirDistrictOrNotFound(t *testing.T) {
	s, _ := newServer(t)
	for _, host := range []string{"valle-trompia.localhost:8080", "terre-dargine.localhost:8080", "trento.localhost", "localhost:8080", "localhost"} {
		if a := get(t, s, host, "/readyz"); a.status != http.StatusOK {
			t.Errorf("GET %s/readyz = %d %s, want 200", host, a.status, a.body)
		}
	}
	for _, host := range []string{
		"unknown.localhost:8080", "example.org", "valle-trompia.example.org", "VALLE-TROMPIA.localhost:8080",
		"a.b.localhost", `x";drop.localhost`, "..localhost", "-x-.localhost", strings.Repeat("a", 60) + ".localhost",
		"valle_trompia.localhost", "127.0.0.1:8080", "", "valle-trompia.localhost.evil.org",
	} {
		a := get(t, s, host, "/readyz")
		if a.status != http.StatusNotFound {
			t.Errorf("GET %q/readyz = %d, want 404", host, a.status)
			continue
		}
		var e errorJSON
		if err := json.Unmarshal([]byte(a.body), &e); err != nil || e.Error.Code != "not_found" || e.Error.Message == "" {
			t.Errorf("GET %q: body %q is not a not_found JSON error", host, a.body)
		}
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %q: content type %q, want JSON", host, ct)
		}
	}
}

func TestReadyzFailsWhileADistrictIsBehind(t *testing.T) {
	s, d := newServer(t)
	err := d.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE platform.tenants SET schema_version = 0 WHERE slug = 'trento'`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := get(t, s, "trento.localhost", "/readyz"); a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, `"unavailable"`) {
		t.Errorf("trento readyz = %d %s, want 503 unavailable", a.status, a.body)
	}
	if a := get(t, s, "localhost", "/readyz"); a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, "ambiti migrate") {
		t.Errorf("platform readyz = %d %s, want 503 naming the fix", a.status, a.body)
	}
	if a := get(t, s, "valle-trompia.localhost", "/readyz"); a.status != http.StatusOK {
		t.Errorf("valle-trompia readyz = %d, want 200: its schema is current", a.status)
	}
	if a := get(t, s, "trento.localhost", "/healthz"); a.status != http.StatusOK {
		t.Errorf("healthz = %d, want 200 while the process is up", a.status)
	}
}

// During a rolling upgrade the migration runs first: the old instances then see schemas ahead
// of their own migrations and must keep serving until the new ones replace them.
func TestReadyzServesASchemaAheadOfTheBinary(t *testing.T) {
	s, d := newServer(t)
	err := d.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE platform.tenants SET schema_version = schema_version + 1 WHERE slug = 'trento'`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"trento.localhost", "localhost"} {
		if a := get(t, s, host, "/readyz"); a.status != http.StatusOK {
			t.Errorf("%s readyz = %d %s, want 200: a newer schema is served by the old binary", host, a.status, a.body)
		}
	}
}

func TestOpenAPIDescribesExactlyTheRoutesOfEachHost(t *testing.T) {
	s, _ := newServer(t)
	registered := map[string]bool{}
	for _, r := range s.Handler().(*echo.Echo).Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	listed := map[string]bool{}
	for _, r := range s.Routes() {
		listed[r.Method+" "+r.Path] = true
		if len(r.Produces) == 0 {
			t.Errorf("%s %s declares no response media type", r.Method, r.Path)
		}
	}
	for k := range registered {
		if !listed[k] {
			t.Errorf("route %s is served but not in the route table", k)
		}
	}
	for _, host := range []struct {
		name string
		on   route.Hosts
	}{{"localhost", route.OnPlatform}, {"valle-trompia.localhost", route.OnDistrict}} {
		a := get(t, s, host.name, "/api/v1/openapi.json")
		if a.status != http.StatusOK {
			t.Fatalf("%s openapi = %d", host.name, a.status)
		}
		var doc struct {
			OpenAPI string                               `json:"openapi"`
			Paths   map[string]map[string]map[string]any `json:"paths"`
		}
		if err := json.Unmarshal([]byte(a.body), &doc); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(doc.OpenAPI, "3.") {
			t.Errorf("openapi version %q", doc.OpenAPI)
		}
		var got, want []string
		for p, ops := range doc.Paths {
			for m := range ops {
				got = append(got, strings.ToUpper(m)+" "+p)
			}
		}
		for _, r := range route.Ops(s.Routes(), host.on) {
			want = append(want, r.Method+" "+route.OpenAPIPath(r.Path))
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: OpenAPI operations\n%s\nwant\n%s", host.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestErrorsAnswerJSONInItalianOrEnglish(t *testing.T) {
	s, _ := newServer(t)
	a := get(t, s, "valle-trompia.localhost", "/no/such/page")
	var e errorJSON
	if a.status != http.StatusNotFound || json.Unmarshal([]byte(a.body), &e) != nil || e.Error.Code != "not_found" {
		t.Fatalf("unknown path = %d %s", a.status, a.body)
	}
	if !strings.Contains(e.Error.Message, "inesistente") {
		t.Errorf("default message %q is not Italian", e.Error.Message)
	}
	a = get(t, s, "valle-trompia.localhost", "/no/such/page", "Accept-Language", "en-GB,en;q=0.9")
	if !strings.Contains(a.body, "no such page") {
		t.Errorf("English message not chosen: %s", a.body)
	}
	req := httptest.NewRequest(http.MethodPost, "/readyz", nil)
	req.Host = "trento.localhost"
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound {
		t.Errorf("POST /readyz = %d", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("POST /readyz body %q is not a JSON error", rec.Body.String())
	}
}

func TestRequestIDAndMetrics(t *testing.T) {
	s, _ := newServer(t)
	a := get(t, s, "trento.localhost", "/healthz", "X-Request-ID", "abc-123-def-456")
	if got := a.header.Get("X-Request-ID"); got != "abc-123-def-456" {
		t.Errorf("request id %q not echoed", got)
	}
	a = get(t, s, "trento.localhost", "/healthz", "X-Request-ID", "bad id\nforged log line")
	if got := a.header.Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " \n") {
		t.Errorf("unsafe request id accepted: %q", got)
	}
	m := getFrom(t, s, "127.0.0.1:40000", "localhost", "/metrics")
	for _, series := range []string{`ambiti_http_requests_total{method="GET",route="/healthz",status="200"}`, "ambiti_db_connections_open", "go_goroutines"} {
		if !strings.Contains(m.body, series) {
			t.Errorf("metrics lack %s", series)
		}
	}
}

func TestServeStopsGracefullyWhenCancelled(t *testing.T) {
	s, _ := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/healthz", nil)
	req.Host = "valle-trompia.localhost"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("healthz over TCP = %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
}
