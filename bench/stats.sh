#!/usr/bin/env bash
# `weekly stats --format json` (parse every edition, count, jieba word counts of 157 issues)
# against the original approach in Python (regex counts + Python jieba, bench/stats_peer.py),
# both on the imported Python weekly archive, with hyperfine; prints the ratio.
# Needs: hyperfine, python3 with jieba (`pip install jieba`).
# Usage: bench/stats.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${WEEKLY_CORPUS:-../shared/corpus/python-weekly}}"
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }
python3 -c 'import jieba' 2>/dev/null || { echo "python jieba missing: pip install jieba" >&2; exit 2; }
cargo build --release -q -p weekly
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./target/release/weekly import python-weekly "$corpus" --into "$work/pw" 2>/dev/null
# Warm Python jieba's dictionary cache so the peer is measured at its best.
python3 bench/stats_peer.py "$work/pw" >/dev/null 2>&1
hyperfine -N --warmup 2 --runs 10 --export-json "$work/h.json" \
  "./target/release/weekly stats --format json --workspace $work/pw" \
  "python3 bench/stats_peer.py $work/pw"
python3 - "$work/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"weekly stats: {r[0]['mean']*1000:.1f} ms, python peer: {r[1]['mean']*1000:.1f} ms, "
      f"ratio {r[1]['mean']/r[0]['mean']:.1f}x faster")
PY
/usr/bin/time -v ./target/release/weekly stats --format json --workspace "$work/pw" 2>&1 >/dev/null \
  | grep -E 'Maximum resident' || true
