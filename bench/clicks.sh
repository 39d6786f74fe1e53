#!/usr/bin/env bash
# Tracked clicks under load on 127.0.0.1: a campaign of the example (issue 7, zh, paid) sent with
# `[tracking] clicks = true` to aiosmtpd, its /c/ links taken from the saved message, then two
# `weekly server` processes on one throw-away PostgreSQL database (fsync on) each loaded by wrk
# (Debian's) for DURATION seconds (default 12: about 100,000 clicks in all here). The servers
# are stopped with SIGTERM (each writes what it counted last); then the clicks `weekly report`
# counts must equal the 302 answers wrk read, plus at most the requests in flight when wrk
# stopped (one per connection), and no answer may be a 5xx. Prints each server's requests/s
# and latency percentiles (p99 against the 5 ms goal).
# Usage: bench/clicks.sh [DURATION]   (needs wrk, postgresql and python3 with aiosmtpd)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 2; }
duration="${1:-12}"
connections=32
cargo build --release -q -p weekly
weekly="$PWD/target/release/weekly"
work="$(mktemp -d)"
pids=()
source bench/pg.sh
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pg_stop; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pg_start
export WEEKLY_SECRET=click-load-secret-0123456789abcdef0123
cp -r examples/demo-weekly "$work/ws"
smtp_port=$(free_port)
cat >> "$work/ws/weekly.toml" <<TOML

[smtp]
host = "127.0.0.1"
port = $smtp_port
tls = "none"
from = "Rust 星期刊 <weekly@example.org>"

[tracking]
clicks = true
prefetch_seconds = 0
TOML
python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/mail" &
pids+=($!)
for _ in $(seq 100); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$smtp_port))" 2>/dev/null && break; sleep 0.1; done
printf 'email,languages,tier,paid_until,status\nreader@example.org,zh,paid,2099-12-31,confirmed\n' > "$work/list.csv"
"$weekly" --workspace "$work/ws" subscribers import "$work/list.csv" >/dev/null
"$weekly" --workspace "$work/ws" send 7 --lang zh >/dev/null
python3 - "$work/mail" > "$work/paths" <<'PY'
import mailbox, re, sys
for message in mailbox.Maildir(sys.argv[1], create=False):
    for part in message.walk():
        if part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
            for path in sorted(set(re.findall(r'https://weekly\.example\.org(/c/[0-9a-f.]+)', html))):
                print(path)
PY
links=$(wc -l < "$work/paths")
echo "campaign sent; $links tracked links"
[ "$links" -gt 5 ] || { echo "FAIL: no tracked links in the mail"; exit 1; }
sleep 1.1 # past the prefetch window of 0 s: every click is a reader's
ports=()
for i in 1 2; do
  port=$(free_port); ports+=("$port")
  "$weekly" --workspace "$work/ws" server --listen "127.0.0.1:$port" --endpoints-only \
    --no-request-log 2>"$work/server$i.err" &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done
export PATHS="$work/paths" COUNTS="$work/counts"
for i in 1 2; do
  wrk -t1 -c$((connections / 2)) -d"${duration}s" --latency -s bench/clicks.lua \
    "http://127.0.0.1:${ports[$((i - 1))]}" > "$work/wrk$i.out" &
  wrk_pids+=($!)
done
wait "${wrk_pids[@]}"
for i in 1 2; do echo "== server $i"; sed -n '/Latency Distribution/,/^$/p;/Requests\/sec/p;/requests in/p;/Non-2xx/p' "$work/wrk$i.out"; done
# Each server writes what it counted last when it stops.
for p in "${pids[@]:1}"; do kill -TERM "$p"; done
for p in "${pids[@]:1}"; do wait "$p" || true; done
pids=("${pids[0]}")
echo "answers by status:"; awk '{s[$1] += $2} END {for (k in s) print "  " k, s[k]}' "$COUNTS"
answered=$(awk '$1 == 302 {s += $2} END {print s + 0}' "$COUNTS")
errors=$(awk '$1 >= 500 {s += $2} END {print s + 0}' "$COUNTS")
counted=$("$weekly" --workspace "$work/ws" report --format json | python3 -c "import json,sys; r=json.load(sys.stdin); print(sum(c['clicks'] + c['scanner'] for c in r['campaigns']))")
echo "302 answers read by wrk: $answered; clicks counted: $counted; in flight at wrk's stop: $((counted - answered))"
for i in 1 2; do
  p99=$(awk '/ 99%/ {print $2}' "$work/wrk$i.out")
  echo "server $i p99: $p99 (goal 5 ms)"
done
for i in 1 2; do echo "server $i said:"; grep -v "^listening\|^at most" "$work/server$i.err" | tail -5 | sed 's/^/  /'; done
[ "$errors" = 0 ] || { echo "FAIL: 5xx answers"; exit 1; }
[ "$counted" -ge "$answered" ] && [ $((counted - answered)) -le "$connections" ] \
  || { echo "FAIL: $answered answers but $counted clicks counted"; exit 1; }
echo "ok"
