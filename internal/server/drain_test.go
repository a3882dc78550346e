package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/server"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
	"github.com/ambiti/ambiti/migrations"
)

// On SIGTERM (the context's end) the server first tells the balancer it is going — /readyz
// answers 503 — while it still serves everything else for DrainDelay, then drains and stops.
func TestOnSIGTERMReadyzFailsFirstWhileTheServerStillServes(t *testing.T) {
	t.Parallel()
	d, _, _ := tenancytest.Provisioned(t, db.Config{})
	ready, err := tenancy.NewReadiness(d, migrations.Platform(), migrations.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	// Long enough for the checks below on a loaded machine; the test waits it out once.
	const drain = 4 * time.Second
	s := server.New(server.Config{BaseDomain: "localhost", Version: "test", DrainDelay: drain}, server.Deps{
		DB: d, Registry: tenancy.NewRegistry(d, 0), Readiness: ready,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	status := func(path string) int {
		req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+path, nil)
		req.Host = "localhost"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	if got := status("/readyz"); got != http.StatusOK {
		t.Fatalf("readyz before SIGTERM = %d", got)
	}
	cancel()
	stopped := time.Now()
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("readyz after SIGTERM = %d, want 503", got)
	}
	if got := status("/healthz"); got != http.StatusOK {
		t.Errorf("healthz while draining = %d, want 200: the server still serves", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
		if waited := time.Since(stopped); waited < drain/2 {
			t.Errorf("Serve returned %v after SIGTERM, before its drain delay of %v", waited, drain)
		}
	case <-time.After(drain + 30*time.Second):
		t.Fatal("Serve did not return after its drain delay")
	}
}
