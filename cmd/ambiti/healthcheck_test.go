package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The healthcheck command exits 0 on a 2xx, 1 on anything else or no answer, and names the
// platform host, since the server answers unknown hosts with 404.
func TestHealthcheck(t *testing.T) {
	var gotHost string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHost = r.Host
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	env := map[string]string{"AMBITI_BASE_DOMAIN": "ambiti.example.it"}

	out, err := ambiti(t, env, "healthcheck", "--url", srv.URL+"/readyz")
	if err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("ready server: err %v, output %q", err, out)
	}
	if gotHost != "ambiti.example.it" {
		t.Errorf("Host header %q, want the platform host ambiti.example.it", gotHost)
	}

	status = http.StatusServiceUnavailable
	if _, err := ambiti(t, env, "healthcheck", "--url", srv.URL+"/readyz"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("server answering 503: err %v, want a failure naming 503", err)
	}

	// The default URL is loopback at AMBITI_ADDR's port.
	status = http.StatusOK
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	if _, err := ambiti(t, map[string]string{"AMBITI_ADDR": ":" + port}, "healthcheck"); err != nil {
		t.Errorf("default URL at AMBITI_ADDR :%s: %v", port, err)
	}
	if gotHost != "localhost" {
		t.Errorf("default Host header %q, want localhost", gotHost)
	}

	// A server that is down fails, and so does one slower than the timeout.
	srv.Close()
	if _, err := ambiti(t, env, "healthcheck", "--url", srv.URL+"/readyz"); err == nil {
		t.Error("server down: healthcheck succeeded")
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	start := time.Now()
	if _, err := ambiti(t, env, "healthcheck", "--url", slow.URL+"/readyz", "--timeout", "200ms"); err == nil {
		t.Error("slow server: healthcheck succeeded")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow server: gave up after %v, want about the 200ms timeout", d)
	}

	if _, err := ambiti(t, env, "healthcheck", "extra"); err == nil {
		t.Error("an extra argument was accepted")
	}
}

func TestDefaultHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080/readyz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/readyz",
		"[::]:8081":      "http://127.0.0.1:8081/readyz",
		"not an address": "http://127.0.0.1:8080/readyz",
	} {
		if got := defaultHealthURL(addr); got != want {
			t.Errorf("defaultHealthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}
