package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// zeros is an endless body of 'a's, read only as far as the server reads it.
type zeros struct{ sent int64 }

func (z *zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	z.sent += int64(len(p))
	return len(p), nil
}

// A session POST without its CSRF token made the server parse the whole form looking for one,
// however large, before refusing it: bodies are bounded before authentication reads them.
func TestBodiesAreBoundedBeforeTheCSRFCheckReadsThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.login("valle-trompia", "assemblea.valle-trompia") // a role that may write nothing
	prefix := map[string]string{                             // a form field whose value never ends
		"application/x-www-form-urlencoded": "title=",
		"multipart/form-data; boundary=xyz": "--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n",
	}
	for ct, head := range prefix {
		// Declared: refused before a byte is read.
		req, _ := http.NewRequest(http.MethodPost, "http://"+e.host("valle-trompia")+"/piani/nuovo", io.MultiReader(strings.NewReader(head), io.LimitReader(&zeros{}, 50<<20)))
		req.ContentLength = 50<<20 + int64(len(head))
		req.Header.Set("Content-Type", ct)
		res, body := s.b.do(req)
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s, 50 MB declared: %d %.200s, want 413", ct, res.StatusCode, body)
		}
		// Undeclared (chunked): read up to the bound, then refused.
		z := &zeros{}
		req, _ = http.NewRequest(http.MethodPost, "http://"+e.host("valle-trompia")+"/piani/nuovo", io.MultiReader(strings.NewReader(head), io.LimitReader(z, 50<<20)))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", "http://"+e.host("valle-trompia"))
		for _, c := range s.b.jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
		res, err := e.client.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s, 50 MB chunked: %d, want 413", ct, res.StatusCode)
			}
		} // else the server closed the connection on the unread rest: refused too
		if z.sent >= 50<<20 {
			t.Errorf("%s, chunked: all %d bytes were sent: the server read them all", ct, z.sent)
		}
	}
}

// Private answers (identity, CSRF token, members, downloads) must not be kept by a cache.
func TestPrivateAnswersAreNotCached(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token("udp.valle-trompia")
	for _, p := range []string{"/api/v1/me", "/api/v1/members", "/api/v1/plans"} {
		r := e.call("GET", "valle-trompia", p, tok, nil)
		if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d Cache-Control %q, want 200 no-store", p, r.status, r.header.Get("Cache-Control"))
		}
	}
	if r := e.call("GET", "valle-trompia", "/metrics", "", nil); r.status != http.StatusOK || !strings.Contains(string(r.body), "ambiti_http_requests_total") {
		t.Errorf("/metrics from this machine: %d", r.status)
	}
}

// A burst of exports used to take every pooled connection, and /readyz, waiting for one, took
// the replica out of service: exports are bounded (the rest answered 503 with Retry-After), and
// readiness checks the database on its own connection.
func TestABurstOfExportsLeavesTheReplicaReady(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	tok := e.token("udp.valle-trompia")
	pdf := fmt.Sprintf("/api/v1/plans/%d/esiti.pdf", f.plan)
	const burst = 100
	codes := make(chan reply, burst)
	var wg sync.WaitGroup
	for range burst {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- e.call("GET", "valle-trompia", pdf, tok, nil) }()
	}
	ready := 0
	for range 5 { // while the burst runs
		if r := e.call("GET", "valle-trompia", "/readyz", "", nil); r.status == http.StatusOK {
			ready++
		} else {
			t.Errorf("/readyz during the burst: %d %s", r.status, r.body)
		}
	}
	wg.Wait()
	close(codes)
	counts := map[int]int{}
	for r := range codes {
		counts[r.status]++
		if r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" {
			t.Errorf("a refused export without Retry-After: %s", r.body)
		}
	}
	if counts[http.StatusOK]+counts[http.StatusServiceUnavailable] != burst || counts[http.StatusOK] == 0 {
		t.Errorf("answers to %d exports: %v, want only 200 and 503, some 200", burst, counts)
	}
	t.Logf("exports: %v; /readyz 200 %d of 5 times during the burst", counts, ready)
}
