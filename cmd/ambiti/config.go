package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// config is every setting, read once from the environment and the command's flags.
type config struct {
	DatabaseURL string
	// DirectDatabaseURL reaches PostgreSQL without a transaction pooler, for what needs one
	// server session: migrations, the authz listener (LISTEN). Defaults to DatabaseURL; set it
	// when DATABASE_URL goes through PgBouncer in transaction mode.
	DirectDatabaseURL string
	Addr              string
	BaseDomain        string
	TenantsDir        string
	DemoDir           string
	LogLevel          string
	ShutdownTimeout   time.Duration
	DrainDelay        time.Duration // serving on, /readyz at 503, after SIGTERM (server.Config)
	DBMaxConns        int
	Workers           int // districts migrated or provisioned at once (migrate, tenants sync)

	PublicScheme         string // http on localhost, https elsewhere
	PlatformIssuer       string
	PlatformClientID     string
	PlatformClientSecret string
	MetricsToken         string // lets a remote scraper read /metrics (env only: never a flag)
	ExportConcurrency    int    // file exports running at once per instance
	// DevIssuer is the development identity provider (make run): the issuer of the districts
	// whose file names tenancy.DevIssuerPlaceholder. Empty in production.
	DevIssuer string
	// The master key of personal data (internal/keyring), in base64 or in a mounted file; the
	// previous one while a rotation runs. Environment only, never flags: flags show in ps.
	MasterKey, MasterKeyFile                 string
	MasterKeyPrevious, MasterKeyPreviousFile string

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
	fs.StringVar(&c.DirectDatabaseURL, "direct-database-url", getenv("AMBITI_DIRECT_DATABASE_URL"), "PostgreSQL URL without a transaction pooler, for migrations and the role-change listener; set it when DATABASE_URL goes through PgBouncer in transaction mode (env AMBITI_DIRECT_DATABASE_URL; default DATABASE_URL)")
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
	drain, err := time.ParseDuration(env("AMBITI_DRAIN_DELAY", "0s"))
	if err != nil || drain < 0 {
		return c, usageError{"AMBITI_DRAIN_DELAY: must be a duration such as 5s"}
	}
	fs.DurationVar(&c.DrainDelay, "drain-delay", drain, "on SIGTERM, go on serving this long with /readyz answering 503 before draining, so the load balancer stops routing here first (env AMBITI_DRAIN_DELAY; default 0s)")
	conns, err := strconv.Atoi(env("AMBITI_DB_MAX_CONNS", "20"))
	if err != nil || conns < 1 {
		return c, usageError{"AMBITI_DB_MAX_CONNS: must be a positive whole number"}
	}
	fs.IntVar(&c.DBMaxConns, "db-max-conns", conns, "database pool size (env AMBITI_DB_MAX_CONNS)")
	workers, err := strconv.Atoi(env("AMBITI_PROVISION_WORKERS", strconv.Itoa(tenancy.DefaultWorkers)))
	if err != nil || workers < 1 || workers > 64 {
		return c, usageError{"AMBITI_PROVISION_WORKERS: must be a whole number from 1 to 64"}
	}
	fs.IntVar(&c.Workers, "workers", workers, "districts migrated or provisioned at once by migrate and tenants sync (env AMBITI_PROVISION_WORKERS)")
	fs.StringVar(&c.PublicScheme, "public-scheme", getenv("AMBITI_PUBLIC_SCHEME"), "scheme browsers use to reach us: http or https (env AMBITI_PUBLIC_SCHEME; default http for localhost, else https)")
	fs.StringVar(&c.PlatformIssuer, "platform-oidc-issuer", getenv("AMBITI_PLATFORM_OIDC_ISSUER"), "OIDC issuer of the platform host's login (env AMBITI_PLATFORM_OIDC_ISSUER)")
	fs.StringVar(&c.PlatformClientID, "platform-oidc-client-id", env("AMBITI_PLATFORM_OIDC_CLIENT_ID", "ambiti-platform"), "OIDC client id of the platform host (env AMBITI_PLATFORM_OIDC_CLIENT_ID)")
	c.PlatformClientSecret = getenv("AMBITI_PLATFORM_OIDC_CLIENT_SECRET") // never a flag: flags show in ps
	c.MetricsToken = getenv("AMBITI_METRICS_TOKEN")
	c.MasterKey, c.MasterKeyFile = getenv(masterKeyEnv), getenv(masterKeyEnv+"_FILE")
	c.MasterKeyPrevious, c.MasterKeyPreviousFile = getenv(previousKeyEnv), getenv(previousKeyEnv+"_FILE")
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
	if c.DirectDatabaseURL == "" {
		c.DirectDatabaseURL = c.DatabaseURL
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

// The variables naming the master keys; each also has a _FILE form.
const (
	masterKeyEnv   = "AMBITI_MASTER_KEY"
	previousKeyEnv = "AMBITI_MASTER_KEY_PREVIOUS"
)

// masterEnv answers keyring.LoadMaster from the settings read by parseConfig.
func (c config) masterEnv(name string) string {
	return map[string]string{
		masterKeyEnv: c.MasterKey, masterKeyEnv + "_FILE": c.MasterKeyFile,
		previousKeyEnv: c.MasterKeyPrevious, previousKeyEnv + "_FILE": c.MasterKeyPreviousFile,
	}[name]
}

// masters loads the current master key, which must be set, and the previous one, if any.
func (c config) masters() (keyring.Master, []keyring.Master, error) {
	current, err := keyring.LoadMaster(c.masterEnv, masterKeyEnv)
	if errors.Is(err, keyring.ErrNoMaster) {
		return current, nil, fmt.Errorf("manca la chiave master dei dati personali: imposta AMBITI_MASTER_KEY o AMBITI_MASTER_KEY_FILE (make run ne crea una di sviluppo in .data/master.key) / %w", err)
	}
	if err != nil {
		return current, nil, err
	}
	previous, err := keyring.LoadMaster(c.masterEnv, previousKeyEnv)
	switch {
	case errors.Is(err, keyring.ErrNoMaster):
		return current, nil, nil
	case err != nil:
		return current, nil, fmt.Errorf("%s: %w", previousKeyEnv, err)
	}
	return current, []keyring.Master{previous}, nil
}

// keys is the keyring of personal data: the current master key wraps, the previous one (during
// a rotation) still unwraps.
func (c config) keys() (*keyring.Keyring, error) {
	current, previous, err := c.masters()
	if err != nil {
		return nil, err
	}
	return keyring.New(current, previous...), nil
}

// optionalKeys is the keyring when a master key is set, else nil: the commands that only
// recompute the facts run without it (the pathways' ONS4 change is then left out).
func (c config) optionalKeys() (*keyring.Keyring, error) {
	k, err := c.keys()
	if errors.Is(err, keyring.ErrNoMaster) {
		return nil, nil
	}
	return k, err
}
