#!/usr/bin/env bash
# `weekly collect` against the original approach (Python httpx + feedparser, from
# ../shared/bench) on the same 400 generated feeds (≈ 14,000 items, ≈ 47 MB, zh and en) served
# on 127.0.0.1 by ../shared/bench/serve_feeds.py, in the same run. Prints wall time, peak RSS,
# the ratio, and the second `weekly collect` (every feed answers 304).
# Usage: bench/collect.sh [N=400]   (needs `pip install feedparser httpx`)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-400}"
shared="$(cd .. && pwd)/shared"
corpus="$shared/corpus/python-weekly"
[ -d "$corpus/docs" ] || { echo "skipped: corpus not found at $corpus" >&2; exit 0; }
python3 -c "import feedparser, httpx" 2>/dev/null || { echo "needs: pip install feedparser httpx" >&2; exit 1; }
cargo build --release -q -p weekly
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid"; rm -rf "$work"' EXIT

# The generator reads zh/*.md and en/*.md.
mkdir -p "$work/text/zh" "$work/text/en"
cp "$corpus"/docs/*.md "$work/text/zh/"
cp "$corpus"/docs/en/*.md "$work/text/en/"
python3 "$shared/bench/gen_feeds.py" "$work/text" "$work/feeds" "$n" >"$work/gen.json"
echo "feeds: $(cat "$work/gen.json")"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$shared/bench/serve_feeds.py" "$work/feeds" "$port" &
server_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/feed-0000.xml" && break; sleep 0.1; done
base="http://127.0.0.1:$port"

# A workspace whose sources are the generated feeds. They all live on one host here, standing
# in for 400 hosts, so the per-host limit is raised to the overall one.
ws="$work/ws"
./target/release/weekly init "$ws" >/dev/null 2>&1
sed -i 's/^per_host = 8 .*/per_host = 64/' "$ws/weekly.toml"
python3 - "$ws/sources.toml" "$base" "$n" <<'PY'
import sys
path, base, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w") as f:
    for i in range(n):
        f.write(f'[[source]]\nurl = "{base}/feed-{i:04d}.xml"\nname = "Feed {i:03d}"\n\n')
PY

measure() { # OUT CMD… → "wall_s peak_kb" in OUT
  /usr/bin/time -f "%e %M" -o "$1.time" "${@:2}" >"$1.out" 2>"$1.err"
}

measure "$work/py" python3 "$shared/bench/feeds_fetch_parse.py" "$base" "$n"
measure "$work/w1" ./target/release/weekly --workspace "$ws" collect --no-github
measure "$work/w2" ./target/release/weekly --workspace "$ws" collect --no-github

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def t(name):
    wall, kb = open(f"{w}/{name}.time").read().split()[-2:]
    return float(wall), int(kb) / 1024
py = json.loads(open(f"{w}/py.out").read().strip().splitlines()[-1])
(py_wall, py_mb), (w1, w1_mb), (w2, w2_mb) = t("py"), t("w1"), t("w2")
print(f"python httpx+feedparser: {py_wall:.2f} s wall ({py['run_s']:.2f} s inside, {py['items']} items, "
      f"{py['feeds_ok']} feeds ok), peak RSS {py_mb:.0f} MB")
print(f"weekly collect, first run: {w1:.2f} s wall, peak RSS {w1_mb:.0f} MB")
print("  " + open(f"{w}/w1.out").read().strip().splitlines()[-1])
print(f"weekly collect, second run (304s): {w2:.2f} s wall, peak RSS {w2_mb:.0f} MB")
print("  " + open(f"{w}/w2.out").read().strip().splitlines()[-1])
print(f"ratio (python wall / weekly wall): {py_wall / w1:.1f}x; against python's own timer: {py['run_s'] / w1:.1f}x")
PY
