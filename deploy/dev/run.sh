#!/usr/bin/env bash
# run.sh — `make run`: the whole platform on this machine.
#
# Without DATABASE_URL it starts the private PostgreSQL cluster in .data/pg (deploy/dev/pg.sh),
# migrates it, loads the demo districts from tenants/ and serves http://localhost:8080 with the
# districts at http://<slug>.localhost:8080. Ctrl-C or SIGTERM stops everything it started.
#
# Settings (all optional; with other values a second copy runs beside the first):
#   AMBITI_ADDR             the platform's listen address (127.0.0.1:8080)
#   AMBITI_DEV_IDP_ADDR     the development identity provider's listen address, loopback only
#                           (127.0.0.1:9998, or the port of AMBITI_DEV_IDP_ISSUER when only that is set)
#   AMBITI_DEV_IDP_ISSUER   its issuer (http://localhost:<port of AMBITI_DEV_IDP_ADDR>), for the
#                           platform host and every district whose file says
#                           issuer: "${AMBITI_DEV_IDP_ISSUER}" (the demo districts)
#   AMBITI_DEV_PG_DIR       the private cluster's folder (.data/pg); it picks a free port itself
#   AMBITI_MASTER_KEY, AMBITI_MASTER_KEY_FILE
#                           the master key of personal data; when neither is set, a development
#                           key is made once in .data/master.key (0600) and used from there
#   AMBITI_DEV_PREBUILT_BIN a folder with ambiti and devidp already built: run those, build
#                           nothing (tests that start make run several times build once)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Stopping. Whatever arrives, in whatever order — Ctrl-C (INT to the whole process group), TERM
# to the group, TERM to make alone (make forwards it to us, sometimes after the group's own TERM
# has already started the cleanup), the terminal closing (HUP) — stop() runs once and to its
# end: the first signal starts it, every later one is ignored (and so is it by what stop() runs:
# dispositions set to "ignore" are inherited), and the script exits only after the server, the
# identity provider and the cluster are stopped. (INT to make alone is not forwarded by make,
# which then simply keeps waiting for us: nothing stops, nothing is left behind.)
pids=()
pg_dir=
stopping=
stop() {
  [ -z "$stopping" ] || return 0
  stopping=1
  trap '' INT TERM HUP QUIT
  set +e
  local p i alive
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  # Wait for them (the server first finishes in-flight requests, AMBITI_SHUTDOWN_TIMEOUT), at
  # most about a minute: a child still running then is killed, so that we never hang here.
  for ((i = 0; i < 600; i++)); do
    alive=
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  if [ -n "$pg_dir" ]; then
    echo "run: stopping PostgreSQL" >&2
    deploy/dev/pg.sh stop "$pg_dir"
  fi
}
on_signal() {
  [ -z "$stopping" ] || return 0 # a signal during stop(): stop() goes on
  stop
  exit "$1"
}
trap stop EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP
trap 'on_signal 131' QUIT

addr=${AMBITI_ADDR:-127.0.0.1:8080}
export AMBITI_BASE_DOMAIN=${AMBITI_BASE_DOMAIN:-localhost}
bin=${AMBITI_DEV_PREBUILT_BIN:-}
if [ -z "$bin" ]; then
  command -v go >/dev/null 2>&1 || { echo "run: Go is not installed: install Go 1.26 or newer (https://go.dev/dl or your package manager)" >&2; exit 1; }
  bin=bin
  mkdir -p bin
  echo "run: building bin/ambiti" >&2
  go build -ldflags "-X main.version=$(git describe --always --dirty 2>/dev/null || echo dev)" -o bin/ambiti ./cmd/ambiti
  go build -o bin/devidp ./cmd/devidp
fi

# The master key of personal data (ambiti serve refuses to start without one): for development
# a random key, made once and kept in .data/master.key, beside the development cluster and, like
# it, never committed. Production mounts its own from the secret store (docs/operations.md).
if [ -z "${AMBITI_MASTER_KEY:-}" ] && [ -z "${AMBITI_MASTER_KEY_FILE:-}" ]; then
  key_file=.data/master.key
  if [ ! -s "$key_file" ]; then
    mkdir -p .data
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$key_file")
    echo "run: created the development master key $key_file" >&2
  fi
  chmod 600 "$key_file"
  export AMBITI_MASTER_KEY_FILE=$PWD/$key_file
fi

if [ -z "${DATABASE_URL:-}" ]; then
  dir=${AMBITI_DEV_PG_DIR:-.data/pg}
  echo "run: DATABASE_URL not set: starting the private PostgreSQL cluster in $dir" >&2
  # Set before starting: a signal arriving while pg.sh starts the server still stops it (pg.sh
  # finishes a start it has begun, and stopping a cluster that is not running does nothing).
  pg_dir=$dir
  DATABASE_URL=$(deploy/dev/pg.sh start "$pg_dir")
fi
export DATABASE_URL

# The development provider's address and issuer: the demo load enrols its users (the demo
# pathways are assigned to them), and ambiti serve trusts it.
idp_addr=${AMBITI_DEV_IDP_ADDR:-}
idp=${AMBITI_DEV_IDP_ISSUER:-}
if [ -z "$idp_addr" ]; then
  idp_port=9998
  if [[ $idp =~ ^https?://[^/]*:([0-9]+)$ ]]; then idp_port=${BASH_REMATCH[1]}; fi
  idp_addr=127.0.0.1:$idp_port
fi
idp=${idp:-http://localhost:${idp_addr##*:}}
export AMBITI_DEV_IDP_ADDR=$idp_addr AMBITI_DEV_IDP_ISSUER=$idp

"$bin/ambiti" migrate
"$bin/ambiti" tenants sync
"$bin/ambiti" demo load

# The development identity provider (loopback only) and the demo clients' secrets: the same
# values as deploy/dev/idp.yaml. Its issuer is the platform host's and that of every district
# whose file names "${AMBITI_DEV_IDP_ISSUER}" (ambiti serve reads the variable); production
# districts name their own issuer in tenants/*.yaml, which nothing here changes.
"$bin/devidp" serve -config deploy/dev/idp.yaml -addr "$idp_addr" -issuer "$idp" &
pids+=($!)
export AMBITI_OIDC_SECRET_VALLE_TROMPIA=${AMBITI_OIDC_SECRET_VALLE_TROMPIA:-dev-secret-valle-trompia}
export AMBITI_OIDC_SECRET_TERRE_DARGINE=${AMBITI_OIDC_SECRET_TERRE_DARGINE:-dev-secret-terre-dargine}
export AMBITI_OIDC_SECRET_TRENTO=${AMBITI_OIDC_SECRET_TRENTO:-dev-secret-trento}
export AMBITI_PLATFORM_OIDC_ISSUER=${AMBITI_PLATFORM_OIDC_ISSUER:-$idp}
export AMBITI_PLATFORM_OIDC_CLIENT_ID=${AMBITI_PLATFORM_OIDC_CLIENT_ID:-ambiti-platform}
export AMBITI_PLATFORM_OIDC_CLIENT_SECRET=${AMBITI_PLATFORM_OIDC_CLIENT_SECRET:-dev-secret-platform}

"$bin/ambiti" serve --addr "$addr" &
pids+=($!)

port=${addr##*:}
token_cmd="make -s token USER=udp.valle-trompia"
[ "$idp" = http://localhost:9998 ] || token_cmd="AMBITI_DEV_IDP_ISSUER=$idp $token_cmd"
cat >&2 <<BANNER

  Ambiti is running (development):
    piattaforma / platform   http://${AMBITI_BASE_DOMAIN}:${port}
    Valle Trompia            http://valle-trompia.${AMBITI_BASE_DOMAIN}:${port}
    Terre d'Argine           http://terre-dargine.${AMBITI_BASE_DOMAIN}:${port}
    Trento                   http://trento.${AMBITI_BASE_DOMAIN}:${port}
    identity provider (dev)  ${idp}   users: ${bin}/devidp users, password in README.md
    API token for scripts    ${token_cmd}
  Ctrl-C stops it.

BANNER
# Wait for either; if one exits by itself, so do we (and stop() stops the rest).
wait -n "${pids[@]}"
