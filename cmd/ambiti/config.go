package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// config is every setting, read once from the environment and the command's flags.
type config struct {
	DatabaseURL     string
	Addr            string
	BaseDomain      string
	TenantsDir      string
	LogLevel        string
	ShutdownTimeout time.Duration
	DBMaxConns      int
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
	if err := fs.Parse(args); err != nil {
		return c, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return c, usageError{fmt.Sprintf("%s: unexpected arguments %q", name, fs.Args())}
	}
	if c.DatabaseURL == "" {
		return c, usageError{"DATABASE_URL is not set (make run sets it for the development cluster)"}
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
