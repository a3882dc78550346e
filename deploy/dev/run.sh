#!/usr/bin/env bash
# run.sh — `make run`: the whole platform on this machine.
#
# Without DATABASE_URL it starts the private PostgreSQL cluster in .data/pg (deploy/dev/pg.sh),
# migrates it, loads the demo districts from tenants/ and serves http://localhost:8080 with the
# districts at http://<slug>.localhost:8080. Ctrl-C or SIGTERM stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

command -v go >/dev/null 2>&1 || { echo "run: Go is not installed: install Go 1.26 or newer (https://go.dev/dl or your package manager)" >&2; exit 1; }

addr=${AMBITI_ADDR:-127.0.0.1:8080}
export AMBITI_BASE_DOMAIN=${AMBITI_BASE_DOMAIN:-localhost}
mkdir -p bin
echo "run: building bin/ambiti" >&2
go build -ldflags "-X main.version=$(git describe --always --dirty 2>/dev/null || echo dev)" -o bin/ambiti ./cmd/ambiti
go build -o bin/devidp ./cmd/devidp

pids=()
started_pg=
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$started_pg" ]; then echo "run: stopping PostgreSQL" >&2; deploy/dev/pg.sh stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${DATABASE_URL:-}" ]; then
  echo "run: DATABASE_URL not set: starting the private PostgreSQL cluster in .data/pg" >&2
  DATABASE_URL=$(deploy/dev/pg.sh start)
  started_pg=1
fi
export DATABASE_URL

bin/ambiti migrate
bin/ambiti tenants sync
bin/ambiti demo load

# The development identity provider (loopback only) and the demo clients' secrets: the same
# values as deploy/dev/idp.yaml. Production districts name their own issuer in tenants/*.yaml.
idp=${AMBITI_DEV_IDP_ISSUER:-http://localhost:9998}
bin/devidp serve -config deploy/dev/idp.yaml -addr "${AMBITI_DEV_IDP_ADDR:-127.0.0.1:9998}" -issuer "$idp" &
pids+=($!)
export AMBITI_OIDC_SECRET_VALLE_TROMPIA=${AMBITI_OIDC_SECRET_VALLE_TROMPIA:-dev-secret-valle-trompia}
export AMBITI_OIDC_SECRET_TERRE_DARGINE=${AMBITI_OIDC_SECRET_TERRE_DARGINE:-dev-secret-terre-dargine}
export AMBITI_OIDC_SECRET_TRENTO=${AMBITI_OIDC_SECRET_TRENTO:-dev-secret-trento}
export AMBITI_PLATFORM_OIDC_ISSUER=${AMBITI_PLATFORM_OIDC_ISSUER:-$idp}
export AMBITI_PLATFORM_OIDC_CLIENT_ID=${AMBITI_PLATFORM_OIDC_CLIENT_ID:-ambiti-platform}
export AMBITI_PLATFORM_OIDC_CLIENT_SECRET=${AMBITI_PLATFORM_OIDC_CLIENT_SECRET:-dev-secret-platform}

bin/ambiti serve --addr "$addr" &
pids+=($!)

port=${addr##*:}
cat >&2 <<BANNER

  Ambiti is running (development):
    piattaforma / platform   http://${AMBITI_BASE_DOMAIN}:${port}
    Valle Trompia            http://valle-trompia.${AMBITI_BASE_DOMAIN}:${port}
    Terre d'Argine           http://terre-dargine.${AMBITI_BASE_DOMAIN}:${port}
    Trento                   http://trento.${AMBITI_BASE_DOMAIN}:${port}
    identity provider (dev)  ${idp}   users: bin/devidp users, password in README.md
    API token for scripts    make -s token USER=udp.valle-trompia
  Ctrl-C stops it.

BANNER
# Wait for either; if one exits by itself, so do we (and cleanup stops the rest).
wait -n "${pids[@]}"
