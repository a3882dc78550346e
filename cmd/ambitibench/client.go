package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"
)

// newClient is the load generator's HTTP client: keep-alive, as many idle connections per host
// as there are workers (so no request waits for a connection to be reopened), no redirects
// followed, and every *.localhost host dialled on the loopback (the districts' hosts,
// valle-trompia.localhost:port, which not every resolver knows).
func newClient(conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
				addr = net.JoinHostPort("127.0.0.1", port)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        conns * 4,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true, // the static scenario asks for brotli itself; nothing is decoded
	}
	return &http.Client{
		Transport: tr,
		Timeout:   60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
