# testdb.sh — sourced by test.sh and bench.sh: make TEST_DATABASE_URL point at a PostgreSQL.
# Without TEST_DATABASE_URL or DATABASE_URL, start the private cluster in .data/pgtest (pg.sh
# installs Debian's postgresql first when its binaries are missing) and stop it on exit.
_testdb_started=
_testdb_cleanup() { if [ -n "$_testdb_started" ]; then deploy/dev/pg.sh stop .data/pgtest; fi; }
trap _testdb_cleanup EXIT
# A signal ends the script through exit, so the EXIT trap stops the cluster then too.
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -z "${TEST_DATABASE_URL:-}" ] && [ -z "${DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL=$(deploy/dev/pg.sh start .data/pgtest)
  _testdb_started=1
fi
export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$DATABASE_URL}
