#!/usr/bin/env bash
# `weekly collect` against sources that try to exhaust its memory: FEEDS feeds of ITEMS items
# each (just under the 10 MB body cap at the default 60,000), plus one feed whose item links are
# 2 MB long, all served on 127.0.0.1 by ../shared/bench/serve_feeds.py. Prints the wall time,
# the peak RSS and how many candidates were stored. Shipped defaults, except `per_host`: the
# feeds all live on one host here, standing in for FEEDS hosts.
# With PEER=1 the Python baseline (httpx + feedparser) reads the same feeds in the same run
# (slow: minutes at the default size).
# Usage: bench/collect_hostile.sh [FEEDS=64] [ITEMS=60000]
set -euo pipefail
cd "$(dirname "$0")/.."
feeds="${1:-64}"
items="${2:-60000}"
shared="$(cd .. && pwd)/shared"
cargo build --release -q -p weekly
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid"; rm -rf "$work"' EXIT
mkdir -p "$work/feeds"
python3 - "$work/feeds" "$feeds" "$items" <<'PY'
import sys
out, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for f in range(feeds):
    with open(f"{out}/feed-{f:04d}.xml", "w") as w:
        w.write(f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile {f}</title>\n')
        for i in range(items):
            w.write(f"<item><title>Post {i} of {f}</title><link>https://h{f}.example/p/{i}</link>"
                    f"<description>Text {i}</description></item>\n")
        w.write("</channel></rss>\n")
# Item links of 2 MB each.
with open(f"{out}/long-urls.xml", "w") as w:
    w.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Long</title>\n')
    for i in range(4):
        w.write(f"<item><title>Long {i}</title><link>https://long.example/{'a' * 2_000_000}{i}</link></item>\n")
    w.write("</channel></rss>\n")
PY
echo "feeds: $feeds × $items items, $(du -sh "$work/feeds" | cut -f1) in all"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$shared/bench/serve_feeds.py" "$work/feeds" "$port" &
server_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/long-urls.xml" && break; sleep 0.1; done
base="http://127.0.0.1:$port"

ws="$work/ws"
./target/release/weekly init "$ws" >/dev/null 2>&1
sed -i 's/^per_host = 8 .*/per_host = 64/' "$ws/weekly.toml"
{
  for ((f = 0; f < feeds; f++)); do
    printf '[[source]]\nurl = "%s/feed-%04d.xml"\nname = "Hostile %d"\n\n' "$base" "$f" "$f"
  done
  printf '[[source]]\nurl = "%s/long-urls.xml"\nname = "Long URLs"\n' "$base"
} >"$ws/sources.toml"

/usr/bin/time -f "%e %M" -o "$work/w.time" ./target/release/weekly --workspace "$ws" collect --no-github >"$work/w.out" 2>"$work/w.err" || true
read -r wall kb <"$work/w.time"
echo "weekly collect: ${wall} s wall, peak RSS $((kb / 1024)) MB"
tail -n 3 "$work/w.out" "$work/w.err" | sed 's/^/  /'
longest=$(python3 - "$ws/weekly.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, longest = db.execute("SELECT COUNT(*), MAX(LENGTH(url)) FROM candidate").fetchone()
print(f"{n} candidates stored, longest URL {longest} bytes")
PY
)
echo "  $longest"
if [ "${PEER:-0}" = 1 ]; then
  python3 -c "import feedparser, httpx" 2>/dev/null || { echo "PEER=1 needs: pip install feedparser httpx" >&2; exit 1; }
  # The baseline reads feed-0000.xml … feed-NNNN.xml.
  /usr/bin/time -f "%e %M" -o "$work/py.time" python3 "$shared/bench/feeds_fetch_parse.py" "$base" "$feeds" >"$work/py.out" 2>&1 || true
  read -r pwall pkb <"$work/py.time"
  echo "python httpx+feedparser: ${pwall} s wall, peak RSS $((pkb / 1024)) MB"
  echo "ratio of peak RSS (python / weekly): $(python3 -c "print(f'{$pkb / $kb:.1f}x')")"
fi
