package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// config is every setting, read once from the environment and the command's flags.
type config struct {
	DatabaseURL     string
	Addr            string
	BaseDomain      string
	TenantsDir      string
	DemoDir         string
	LogLevel        string
	ShutdownTimeout time.Duration
	DBMaxConns      int

	PublicScheme         string // http on localhost, https elsewhere
	PlatformIssuer       string
	PlatformClientID     string
	PlatformClientSecret string
	MetricsToken         string // lets a remote scraper read /metrics (env only: never a flag)
	ExportConcurrency    int    // file exports running at once per instance
	// DevIssuer is the development identity provider (make run): the issuer of the districts
	// whose file names tenancy.DevIssuerPlaceholder. Empty in production.
	DevIssuer string

	Now func() time.Time // the clock for sessions and tokens: time.Now, unless a test moves it
}

// parseConfig reads the environment, then lets the command's flags override it.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := config{}
	fs := flag.NewFlagSet("ambiti "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DatabaseURL, "database-url", getenv("DATABASE_URL"), "PostgreSQL URL (env DATABASE_URL)")
	fs.StringVar(&c.Addr, "addr", env("AMBITI_ADDR", ":8080"), "listen address (env AMBITI_ADDR)")
	fs.StringVar(&c.BaseDomain, "base-domain", env("AMBITI_BASE_DOMAIN", "localhost"), "platform host (env AMBITI_BASE_DOMAIN)")
	fs.StringVar(&c.TenantsDir, "dir", env("AMBITI_TENANTS_DIR", "tenants"), "folder of the district definitions (env AMBITI_TENANTS_DIR)")
	fs.StringVar(&c.DemoDir, "demo-dir", env("AMBITI_DEMO_DIR", "deploy/demo"), "folder of the demo plans (env AMBITI_DEMO_DIR)")
	fs.StringVar(&c.LogLevel, "log-level", env("AMBITI_LOG_LEVEL", "info"), "debug, info, warn or error (env AMBITI_LOG_LEVEL)")
	timeout, err := time.ParseDuration(env("AMBITI_SHUTDOWN_TIMEOUT", "20s"))
	if err != nil {
		return c, usageError{fmt.Sprintf("AMBITI_SHUTDOWN_TIMEOUT: %v", err)}
	}
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", timeout, "grace period on SIGTERM (env AMBITI_SHUTDOWN_TIMEOUT)")
	conns, err := strconv.Atoi(env("AMBITI_DB_MAX_CONNS", "20"))
	if err != nil || conns < 1 {
		return c, usageError{"AMBITI_DB_MAX_CONNS: must be a positive whole number"}
	}
	fs.IntVar(&c.DBMaxConns, "db-max-conns", conns, "database pool size (env AMBITI_DB_MAX_CONNS)")
	fs.StringVar(&c.PublicScheme, "public-scheme", getenv("AMBITI_PUBLIC_SCHEME"), "scheme browsers use to reach us: http or https (env AMBITI_PUBLIC_SCHEME; default http for localhost, else https)")
	fs.StringVar(&c.PlatformIssuer, "platform-oidc-issuer", getenv("AMBITI_PLATFORM_OIDC_ISSUER"), "OIDC issuer of the platform host's login (env AMBITI_PLATFORM_OIDC_ISSUER)")
	fs.StringVar(&c.PlatformClientID, "platform-oidc-client-id", env("AMBITI_PLATFORM_OIDC_CLIENT_ID", "ambiti-platform"), "OIDC client id of the platform host (env AMBITI_PLATFORM_OIDC_CLIENT_ID)")
	c.PlatformClientSecret = getenv("AMBITI_PLATFORM_OIDC_CLIENT_SECRET") // never a flag: flags show in ps
	c.MetricsToken = getenv("AMBITI_METRICS_TOKEN")
	exports, err := strconv.Atoi(env("AMBITI_EXPORT_CONCURRENCY", "4"))
	if err != nil || exports < 1 {
		return c, usageError{"AMBITI_EXPORT_CONCURRENCY: must be a positive whole number"}
	}
	fs.IntVar(&c.ExportConcurrency, "export-concurrency", exports, "file exports (XLSX, CSV, PDF) running at once; more wait 2 s, then get 503 (env AMBITI_EXPORT_CONCURRENCY)")
	fs.StringVar(&c.DevIssuer, "dev-idp-issuer", getenv("AMBITI_DEV_IDP_ISSUER"), "development identity provider (loopback only) for the districts whose issuer is "+tenancy.DevIssuerPlaceholder+" (env AMBITI_DEV_IDP_ISSUER; make run sets it; unset in production)")
	if err := fs.Parse(args); err != nil {
		return c, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("%s: unexpected arguments %q", name, fs.Args())}
	}
	if c.DatabaseURL == "" {
		return c, usageError{"DATABASE_URL is not set (make run sets it for the development cluster)"}
	}
	if c.PublicScheme == "" {
		c.PublicScheme = "https"
		if c.BaseDomain == "localhost" || strings.HasSuffix(c.BaseDomain, ".localhost") {
			c.PublicScheme = "http"
		}
	}
	if c.PublicScheme != "http" && c.PublicScheme != "https" {
		return c, usageError{fmt.Sprintf("public scheme %q: want http or https", c.PublicScheme)}
	}
	if c.DevIssuer != "" {
		if err := tenancy.CheckDevIssuer(c.DevIssuer); err != nil {
			return c, usageError{"AMBITI_DEV_IDP_ISSUER: " + err.Error()}
		}
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return c, usageError{err.Error()}
	}
	return c, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return l, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

func newLogger(c config, w io.Writer) *slog.Logger {
	level, _ := parseLevel(c.LogLevel)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
