#!/usr/bin/env bash
# `weekly server` under load on 127.0.0.1: wrk (Debian's) sends sign-ups for 7 s (about 20,000), each a new
# address, from 2,000 client addresses (X-Forwarded-For; the server runs --behind-proxy) with
# 50 connections. Checks that no answer is a 5xx, that the rate limit answered 429 (5 sign-ups
# per client and minute here), and that every accepted address is stored exactly once. Prints
# requests/s, p50/p99 latency and the server's peak RSS. SQLite (the default engine), or a
# throw-away PostgreSQL cluster with --postgres.
# Usage: bench/server_load.sh [--postgres]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
cargo build --release -q -p weekly
work="$(mktemp -d)"
server_pid=""
source bench/pg.sh
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; pg_stop; rm -rf "$work"' EXIT
unset WEEKLY_DATABASE_URL
[ "${1:-}" = "--postgres" ] && pg_start
./target/release/weekly init "$work/ws" >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WEEKLY_SECRET=load-test-secret-0123456789abcdef0123 \
  ./target/release/weekly --workspace "$work/ws" server --listen "127.0.0.1:$port" \
  --per-minute 5 --behind-proxy --endpoints-only 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
export COUNTS="$work/counts" REQUESTS_PER_THREAD=1000000
wrk -t2 -c50 -d7s -s bench/server_load.lua "http://127.0.0.1:$port" | tee "$work/wrk.out"
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
echo "answers by status:"; sort "$COUNTS" | sed 's/^/  /'
accepted=$(awk '$1 == 200 {print $2}' "$COUNTS"); accepted=${accepted:-0}
limited=$(awk '$1 == 429 {print $2}' "$COUNTS"); limited=${limited:-0}
errors=$(awk '$1 >= 500 {s += $2} END {print s + 0}' "$COUNTS")
if [ -n "${WEEKLY_DATABASE_URL:-}" ]; then
  stored=$(pg_subscriber_counts)
else
  stored=$(python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); print(db.execute('SELECT COUNT(*), COUNT(DISTINCT email_key) FROM subscriber').fetchone())" "$work/ws/weekly.db")
fi
echo "accepted $accepted, rate-limited $limited, 5xx $errors; stored (rows, distinct): $stored"
echo "server peak RSS: $((rss_kb / 1024)) MB"
[ "$errors" = 0 ] || { echo "FAIL: 5xx answers"; exit 1; }
[ "$limited" -gt 0 ] || { echo "FAIL: the rate limit never answered 429"; exit 1; }
# Every accepted address stored once: no duplicate rows, none missing. A few more rows than
# answers read are the requests still in flight when wrk stopped (stored, answer not read).
rows=$(echo "$stored" | tr -d '() ' | cut -d, -f1); distinct=$(echo "$stored" | tr -d '() ' | cut -d, -f2)
[ "$rows" = "$distinct" ] || { echo "FAIL: an address is stored twice"; exit 1; }
[ "$rows" -ge "$accepted" ] && [ $((rows - accepted)) -le 50 ] \
  || { echo "FAIL: accepted $accepted but stored $rows"; exit 1; }
echo "stored but answer not read by wrk (in flight at its stop): $((rows - accepted))"
echo "ok"
