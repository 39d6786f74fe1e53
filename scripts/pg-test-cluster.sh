#!/usr/bin/env bash
# A throw-away PostgreSQL server on 127.0.0.1 for the tests and benchmarks: a new cluster in
# DIR (initdb + pg_ctl; no system service). Prints the admin URL to put in
# WEEKLY_TEST_POSTGRES_URL (tests) or to build WEEKLY_DATABASE_URL from (benchmarks).
#
#   scripts/pg-test-cluster.sh start DIR [PORT] [--no-fsync]   # PORT defaults to 55432
#   scripts/pg-test-cluster.sh stop DIR
#
# Run as root, the server runs as the user `postgres` (PostgreSQL refuses root). --no-fsync
# trades durability for speed: right for tests, not for figures.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  sed -n '2,10p' "$0"; exit 2
fi
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$bindir" ] || bindir="$(dirname "$(command -v initdb)")"
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port="${3:-55432}"; fsync=on
    [ "${4:-}" = "--no-fsync" ] && fsync=off
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=$fsync -c max_connections=200" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast stop >/dev/null
    ;;
  *) echo "unknown command $cmd (start or stop)" >&2; exit 2 ;;
esac
