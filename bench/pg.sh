# Sourced by the benches given --postgres: starts a throw-away PostgreSQL cluster with the
# server's default settings (fsync on) in $work, makes a database, exports
# WEEKLY_DATABASE_URL, and stops the cluster on exit. Needs Debian's postgresql package.
pg_start() {
  local root="$work/pg"; mkdir -p "$root"; chmod 755 "$work" "$root"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local admin
  admin="$(scripts/pg-test-cluster.sh start "$root/cluster" "$port")"
  pg_cluster="$root/cluster"
  psql -q "$admin" -c "CREATE DATABASE bench" >/dev/null
  export WEEKLY_DATABASE_URL="${admin%/*}/bench"
  echo "PostgreSQL $(psql -At "$admin" -c 'SHOW server_version'): $WEEKLY_DATABASE_URL (fsync on, defaults)"
}
pg_stop() {
  [ -n "${pg_cluster:-}" ] && scripts/pg-test-cluster.sh stop "$pg_cluster" 2>/dev/null || true
}
# `SELECT COUNT(*), COUNT(DISTINCT email_key) FROM subscriber` of the bench database, as (a, b).
pg_subscriber_counts() {
  psql -At -F', ' "$WEEKLY_DATABASE_URL" -c 'SELECT COUNT(*), COUNT(DISTINCT email_key) FROM subscriber' | sed 's/.*/(&)/'
}
