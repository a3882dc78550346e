// Command ambiti runs the Ambiti platform: the server and its operational commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `ambiti — Piani di Zona e servizi sociali dei distretti / social-service districts' planning platform

Uso / Usage:
  ambiti serve           start the HTTP server (districts at <slug>.<base domain>)
  ambiti migrate         migrate the platform schema and every district schema, reporting per district
  ambiti tenants sync    create or update the districts and regions defined in the tenants folder
  ambiti tenants list    list the provisioned districts
  ambiti tenants suspend SLUG | resume SLUG
                         take a district off the platform (its host answers 404, it leaves the
                         regional views; its data stays) or bring it back
  ambiti tenants export SLUG [--out FILE]
                         write one district's archive (its schema and its platform rows, one
                         consistent snapshot, with row counts and SHA-256 per table) to FILE or
                         to standard output
  ambiti tenants import FILE [--as SLUG] [--replace]
                         create the district of an archive ("-": standard input) in this
                         database, all or nothing, checked against its checksums and migrated;
                         refused if the slug exists, unless --replace and the district is
                         suspended: then it is restored over it. A restore or a copy --as
                         another slug arrives suspended (resume it when checked). Needs
                         the master key that wraps its key (as AMBITI_MASTER_KEY, or _PREVIOUS
                         to rewrap it under a new one)
  ambiti demo load       import the demo districts' plans (deploy/demo/<slug>.yaml); idempotent
  ambiti facts rebuild   recompute every district's regional facts from its own data
  ambiti audit verify [--district SLUG]
                         check the hash chain of each district's audit trail (all when omitted);
                         exits non-zero naming the district and seq of the first break
  ambiti keys rotate     rewrap every district key with the new master key (AMBITI_MASTER_KEY)
                         in place of the old one (AMBITI_MASTER_KEY_PREVIOUS); idempotent
  ambiti pathways retention [--district SLUG]
                         anonymise the pathways closed longer ago than their programme's
                         retention period (and erase the people left with none); run nightly
  ambiti healthcheck [--url http://127.0.0.1:8080/readyz]
                         exit 0 when the server answers the URL with 2xx within --timeout (3s),
                         else 1: the container image's HEALTHCHECK (it has no shell)
  ambiti version         print the version

Environment (flags of the same name override them; 'ambiti COMMAND -h' lists a command's flags):
  DATABASE_URL              PostgreSQL URL (required), e.g. postgres://user@host:5432/ambiti?sslmode=disable
  AMBITI_DIRECT_DATABASE_URL
                            PostgreSQL URL without a transaction pooler, for migrations and the
                            role-change listener (LISTEN); set it when DATABASE_URL goes through
                            PgBouncer in transaction mode (default DATABASE_URL)
  AMBITI_ADDR               listen address of serve (default :8080)
  AMBITI_BASE_DOMAIN        platform host; district N answers on N.<base domain> (default localhost)
  AMBITI_TENANTS_DIR        folder of the district files and regions/ (default tenants)
  AMBITI_DEMO_DIR           folder of the demo plans for demo load (default deploy/demo)
  AMBITI_LOG_LEVEL          debug, info, warn or error (default info); logs are JSON on stderr
  AMBITI_SHUTDOWN_TIMEOUT   grace period for in-flight requests on SIGTERM (default 20s)
  AMBITI_DRAIN_DELAY        on SIGTERM, serve on this long with /readyz at 503 first, so a load
                            balancer stops routing here before the port closes (default 0s)
  AMBITI_DB_MAX_CONNS       pool size per instance (default 20)
  AMBITI_PROVISION_WORKERS  districts migrate and tenants sync work on at once (default 4); both
                            skip the districts already current, and draw a progress bar on a terminal
  AMBITI_PUBLIC_SCHEME      http or https as browsers see us (default http for *localhost, else https)
  AMBITI_PLATFORM_OIDC_ISSUER, AMBITI_PLATFORM_OIDC_CLIENT_ID (default ambiti-platform),
  AMBITI_PLATFORM_OIDC_CLIENT_SECRET
                            login of the platform host (regional bodies, operators)
  AMBITI_OIDC_SECRET_<SLUG> each district's OIDC client secret, as named by client_secret_env
                            in tenants/<slug>.yaml (issuer, client id and role mapping are there)
  AMBITI_MASTER_KEY         master key of personal data: base64 of 32 random bytes (required by
                            serve; make run creates a development one in .data/master.key)
  AMBITI_MASTER_KEY_FILE    the same, read from a file (a mounted secret) when the variable is unset
  AMBITI_MASTER_KEY_PREVIOUS, AMBITI_MASTER_KEY_PREVIOUS_FILE
                            the old master key during a rotation (keys rotate; serve accepts it too)
  AMBITI_DEV_IDP_ISSUER     development identity provider (loopback only; make run sets it): the
                            issuer of the districts whose file says issuer: "${AMBITI_DEV_IDP_ISSUER}"
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	var ue usageError
	switch {
	case err == nil:
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "ambiti:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "ambiti:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run executes one command; tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"missing command"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stderr)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout, stderr)
	case "tenants":
		if len(rest) == 0 {
			return usageError{"tenants: missing subcommand (sync, list, suspend, resume, export or import)"}
		}
		switch rest[0] {
		case "sync":
			return tenantsSync(ctx, rest[1:], getenv, stdout, stderr)
		case "list":
			return tenantsList(ctx, rest[1:], getenv, stdout, stderr)
		case "suspend", "resume":
			return tenantsStatus(ctx, rest[0], rest[1:], getenv, stdout, stderr)
		case "export":
			return tenantsExport(ctx, rest[1:], getenv, stdout, stderr)
		case "import":
			return tenantsImport(ctx, rest[1:], getenv, stdout, stderr)
		}
		return usageError{fmt.Sprintf("tenants: unknown subcommand %q (sync, list, suspend, resume, export or import)", rest[0])}
	case "demo":
		if len(rest) == 0 || rest[0] != "load" {
			return usageError{"demo: the subcommand is load"}
		}
		return demoLoad(ctx, rest[1:], getenv, stdout, stderr)
	case "facts":
		if len(rest) == 0 || rest[0] != "rebuild" {
			return usageError{"facts: the subcommand is rebuild"}
		}
		return factsRebuild(ctx, rest[1:], getenv, stdout, stderr)
	case "audit":
		if len(rest) == 0 || rest[0] != "verify" {
			return usageError{"audit: the subcommand is verify"}
		}
		return auditVerify(ctx, rest[1:], getenv, stdout, stderr)
	case "keys":
		if len(rest) == 0 || rest[0] != "rotate" {
			return usageError{"keys: the subcommand is rotate"}
		}
		return keysRotate(ctx, rest[1:], getenv, stdout, stderr)
	case "pathways":
		if len(rest) == 0 || rest[0] != "retention" {
			return usageError{"pathways: the subcommand is retention"}
		}
		return pathwaysRetention(ctx, rest[1:], getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
