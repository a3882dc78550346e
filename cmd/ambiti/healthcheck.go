package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck asks a running server whether it is ready and exits 0 or 1: the container
// image has no shell and no curl, so its HEALTHCHECK runs the binary itself.
//
// The request names the platform host (AMBITI_BASE_DOMAIN) in its Host header, because the
// server answers unknown hosts with 404 by design, and 127.0.0.1 is no host of ours.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("ambiti healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", defaultHealthURL(env("AMBITI_ADDR", ":8080")), "URL to GET; any 2xx answer is healthy")
	host := fs.String("host", env("AMBITI_BASE_DOMAIN", "localhost"), "Host header of the request (the platform host; env AMBITI_BASE_DOMAIN)")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("healthcheck: unexpected argument %q", fs.Arg(0))}
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return usageError{fmt.Sprintf("healthcheck: --url: %v", err)}
	}
	if *host != "" {
		req.Host = *host
	}
	// No proxy from the environment: the check is about this container's own server.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("healthcheck: %s answered %s", *url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// defaultHealthURL is /readyz on loopback at the port serve listens on (AMBITI_ADDR).
func defaultHealthURL(addr string) string {
	port := "8080"
	if _, p, err := net.SplitHostPort(addr); err == nil && p != "" {
		port = p
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port) + "/readyz"
}
