// Command devidp runs Ambiti's development OpenID Connect provider
// (internal/devidp) and fetches access tokens from it.
//
//	devidp serve [-config deploy/dev/idp.yaml] [-addr 127.0.0.1:9998] [-issuer http://localhost:9998]
//	devidp token -user udp.valle-trompia [-config …] [-issuer …] [-redirect-uri …]
//	devidp users [-config …]
//
// DEVELOPMENT ONLY: it listens on loopback only and every user shares one
// demo password.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ambiti/ambiti/internal/devidp"
)

const (
	defaultConfig = "deploy/dev/idp.yaml"
	defaultAddr   = "127.0.0.1:9998"
	defaultIssuer = "http://localhost:9998"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `devidp — Ambiti's DEVELOPMENT OpenID Connect provider (not for production)

Usage:
  devidp serve [-config %[1]s] [-addr %[2]s] [-issuer %[3]s]
  devidp token -user USERNAME [-config %[1]s] [-issuer %[3]s] [-redirect-uri URI]
  devidp users [-config %[1]s]
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintf(stderr, usage, defaultConfig, defaultAddr, defaultIssuer)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stderr)
	case "token":
		return token(args[1:], stdout, stderr)
	case "users":
		return users(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(stdout, usage, defaultConfig, defaultAddr, defaultIssuer)
		return 0
	default:
		fmt.Fprintf(stderr, "devidp: unknown command %q\n\n"+usage, args[0], defaultConfig, defaultAddr, defaultIssuer)
		return 2
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("devidp "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func serve(args []string, stderr io.Writer) int {
	fs := newFlagSet("serve", stderr)
	configPath := fs.String("config", defaultConfig, "users and clients (YAML)")
	addr := fs.String("addr", defaultAddr, "listen address (loopback only)")
	issuer := fs.String("issuer", defaultIssuer, "issuer URL, as clients reach it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := devidp.CheckLoopbackAddr(*addr); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	cfg, err := devidp.LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cfg.Issuer = strings.TrimSuffix(*issuer, "/")
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	p, err := devidp.New(cfg, logger)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "devidp: listen on %s: %v\n", *addr, err)
		return 1
	}
	if u, err := url.Parse(cfg.Issuer); err == nil {
		if _, lport, _ := net.SplitHostPort(ln.Addr().String()); u.Port() != "" && u.Port() != lport {
			fmt.Fprintf(stderr, "devidp: warning: issuer %s is not on the listen port %s\n", cfg.Issuer, lport)
		}
	}

	fmt.Fprintf(stderr, `
  ************************************************************************
  *  DEVELOPMENT identity provider — NOT FOR PRODUCTION                  *
  *  Solo per sviluppo: non è un vero identity provider.                 *
  ************************************************************************
  issuer:    %s
  listening: http://%s
  users:     %d (shared demo password, see %s; "devidp users" lists them)

`, cfg.Issuer, ln.Addr(), len(cfg.Users), *configPath)

	srv := &http.Server{
		Handler:           p.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "devidp: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	stop()
	fmt.Fprintln(stderr, "devidp: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "devidp: shutdown: %v\n", err)
		return 1
	}
	return 0
}

func token(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("token", stderr)
	username := fs.String("user", "", "demo username, e.g. udp.valle-trompia (required)")
	configPath := fs.String("config", defaultConfig, "users and clients (YAML)")
	issuer := fs.String("issuer", defaultIssuer, "issuer URL of the running provider")
	redirectURI := fs.String("redirect-uri", "", "redirect URI of the user's client (default: derived from the client)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := devidp.LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cfg.Issuer = strings.TrimSuffix(*issuer, "/")
	if *username == "" {
		fmt.Fprintf(stderr, "devidp token: -user is required; valid usernames:\n  %s\n", strings.Join(cfg.Usernames(), "\n  "))
		return 1
	}
	u, ok := cfg.User(*username)
	if !ok {
		fmt.Fprintf(stderr, "devidp token: unknown user %q; valid usernames:\n  %s\n", *username, strings.Join(cfg.Usernames(), "\n  "))
		return 1
	}
	if *redirectURI == "" {
		if *redirectURI, err = devidp.DefaultRedirectURI(u.Client); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := devidp.FetchToken(ctx, cfg, u.Username, *redirectURI, &http.Client{Timeout: 15 * time.Second})
	if errors.Is(err, devidp.ErrUnreachable) {
		fmt.Fprintf(stderr, "devidp token: no identity provider answers at %s — start it with make run\n  (%v)\n", cfg.Issuer, err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "devidp token: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}

func users(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("users", stderr)
	configPath := fs.String("config", defaultConfig, "users and clients (YAML)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := devidp.LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, u := range cfg.Users {
		roles := strings.Join(u.Roles, ",")
		if u.Organisation != "" {
			roles += " (org " + u.Organisation + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Username, u.Name, roles)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
