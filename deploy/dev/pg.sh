#!/usr/bin/env bash
# pg.sh — a private PostgreSQL cluster for development and tests.
#
#   deploy/dev/pg.sh start [DIR]   start (creating it first if needed); prints the URL
#   deploy/dev/pg.sh stop  [DIR]   stop it (fast shutdown)
#   deploy/dev/pg.sh status [DIR]  exit 0 when running
#   deploy/dev/pg.sh url   [DIR]   print the URL of a running cluster
#
# DIR defaults to .data/pg under the repository. The cluster listens on 127.0.0.1 only, on a
# free port from 55432 upwards, trusts local connections and trades durability for speed
# (fsync off): it holds demo and test data, nothing else.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged
# `postgres` user (created if missing). Where the server binaries are missing, the script
# installs Debian's `postgresql` when it can (root + apt-get), otherwise it says what to install.
set -euo pipefail

cmd=${1:-}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${2:-$repo/.data/pg}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bindir() {
  local d
  if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then echo "$PG_BINDIR"; return 0; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  fi
  for d in /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin /usr/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

ensure_server_binaries() {
  if bindir=$(find_bindir); then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "pg.sh: PostgreSQL server binaries not found; installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    # Debian starts a system cluster on install; it is not ours, leave it but do not depend on it.
    if bindir=$(find_bindir); then return 0; fi
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.
Install them, e.g. 'sudo apt-get install postgresql' on Debian/Ubuntu, 'sudo dnf install postgresql-server' on Fedora,
'brew install postgresql@15' on macOS; or set PG_BINDIR to their folder; or set DATABASE_URL to an existing database."
}

# as_owner runs a command as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

prepare_owner() {
  [ "$(id -u)" = 0 ] || return 0
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  # The postgres user must be able to reach the data folder: every parent needs o+x.
  if ! runuser -u postgres -- test -x "$dir"; then
    local p=$dir
    while [ "$p" != "/" ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
    runuser -u postgres -- test -x "$dir" || die "user postgres cannot enter $dir; choose a folder outside private homes"
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints the first port from $1 (default 55432) up to 55532 that nobody listens on.
free_port() {
  local p
  for p in $(seq "${1:-55432}" 55532); do
    if ! port_busy "$p"; then echo "$p"; return 0; fi
  done
  die "no free port between ${1:-55432} and 55532"
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres?sslmode=disable"; }

running() {
  [ -f "$dir/port" ] && [ -f "$dir/data/postmaster.pid" ] || return 1
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$(cat "$dir/port")" -t 2
}

start() {
  ensure_server_binaries
  prepare_owner
  exec 9>"$dir/.lock"
  flock 9 # tests start the cluster from several processes at once
  if running; then url; return 0; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    install -d -m 700 "$dir/data"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/data"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 ||
      die "initdb failed, see $dir/initdb.log"
  fi
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" && touch "$dir/server.log" && chown postgres: "$dir/server.log"
  local port=55431 tries
  # From here on a signal must not cut the start short: killed half-way, pg_ctl would leave a
  # server starting with nobody knowing (the postmaster runs in its own session), possibly
  # before it writes the pid file that `stop` looks for. So this script and pg_ctl ignore INT,
  # TERM, HUP and QUIT until the server is up and the URL printed; whoever started us (run.sh)
  # then stops it with everything else. (As root, runuser still ends pg_ctl's wait two seconds
  # after a TERM; the server, already started and with its pid file, is stopped all the same.)
  trap '' INT TERM HUP QUIT
  # A port found free can be taken by another cluster starting at the same moment (tests start
  # several): when the server cannot bind it, take the next free one.
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$(free_port $((port + 1)))
    echo "$port" >"$dir/port"
    : >"$dir/server.log"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      </dev/null >/dev/null 9>&-; then
      url
      return 0
    fi
    grep -q "could not bind\|Address already in use" "$dir/server.log" || break
  done
  tail -20 "$dir/server.log" >&2
  die "PostgreSQL did not start, see $dir/server.log"
}

# postmaster_pid prints the pid of this cluster's running server, if there is one: the pid file's,
# when that process is a postgres of this data folder (a stale pid file may name another one).
postmaster_pid() {
  local pid
  [ -f "$dir/data/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/data" || return 1
  fi
  echo "$pid"
}

# stop signals the server itself (SIGINT: PostgreSQL's fast shutdown) and waits until it is
# gone. No pg_ctl: as root it would run under runuser, which kills it two seconds after a TERM
# reaches the process group, cutting the wait short while the server is still running.
stop() {
  local pid i
  pid=$(postmaster_pid) || return 0
  kill -INT "$pid" 2>/dev/null || return 0
  for i in $(seq 1 600); do # up to a minute
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -QUIT "$pid" 2>/dev/null || true # immediate shutdown
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  die "PostgreSQL (pid $pid) did not stop"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) bindir=$(find_bindir) || exit 1; running ;;
  url) bindir=$(find_bindir) || exit 1; running || die "not running"; url ;;
  *) echo "usage: $0 start|stop|status|url [DIR]" >&2; exit 2 ;;
esac
