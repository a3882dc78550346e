#!/usr/bin/env bash
# test.sh — `make test`: the whole suite, on a real PostgreSQL.
#
# Without TEST_DATABASE_URL or DATABASE_URL it starts a private cluster in .data/pgtest with
# deploy/dev/pg.sh (installing Debian's postgresql first if the binaries are missing), runs
# every test, and stops the cluster again. As root it also installs what is missing of Debian's
# chromium (browser test), haproxy and pgbouncer (replicas test). Each test creates and drops its own database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

command -v go >/dev/null 2>&1 || { echo "test: Go is not installed: install Go 1.26 or newer" >&2; exit 1; }

. deploy/dev/testdb.sh

# The browser test (cmd/ambiti/browser_test.go) drives Debian's Chromium: install it when we can,
# otherwise say what to install (the test fails, naming it, when it is missing).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: /usr/bin/chromium not found; installing Debian's chromium (for the browser test)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
  else
    echo "test: /usr/bin/chromium not found: the browser test will fail. Install it with 'sudo apt-get install chromium' (Debian/Ubuntu)" >&2
  fi
fi

# The replicas test (cmd/ambiti/replicas_test.go) puts Debian's haproxy in front of two
# servers and Debian's pgbouncer between them and PostgreSQL: install them the same way.
missing=()
for tool in haproxy pgbouncer; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: ${missing[*]} not found; installing Debian's ${missing[*]} (for the replicas test)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "test: ${missing[*]} not found: the replicas test will fail. Install with 'sudo apt-get install ${missing[*]}' (Debian/Ubuntu)" >&2
  fi
fi

go vet ./...
# -parallel 4: most tests wait on PostgreSQL, a server or a browser more than on the CPU, and
# each owns its database, server and browser; four at a time overlap the waits on 2 cores.
go test -count=1 -timeout 30m -parallel 4 "$@" ./...
# the deployable files (chart, compose, Keycloak realms), validated offline by a module of its own
(cd deploy/check && go test -count=1 ./...)
