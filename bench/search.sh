#!/usr/bin/env bash
# Our static-site search against Pagefind (npm `pagefind`, 1.6.0 by default, with its CJK
# segmenter) on the same built site: the imported Python weekly archive, `weekly build`, then
# `pagefind` over the Chinese issue pages of that site (site/zh/<n>/index.html). About 200
# queries are drawn with a fixed seed from those pages' text (bench/search_eval.py: single
# Chinese characters, 锁 书 猫 always; Chinese strings of 2–4 characters; English words;
# prefixes; mixed). Ours runs through the site's own search.js in Node
# (tests/browser/search_query.mjs); Pagefind through its own pagefind.js, worker and wasm in
# Debian's headless Chromium (bench/search_peer.mjs, playwright-core from tests/browser), one
# fresh page per query, over a local server that counts the bytes it sends. Prints the index
# size of each tool (raw and gzip), the index bytes fetched per query (median, p90, max) and
# recall/precision over issue pages against a scan of the pages' text, with ratios ours/Pagefind.
# Usage: bench/search.sh
#   WEEKLY=path       the weekly binary (default target/release/weekly if it exists, else
#                     target/debug/weekly); it is copied first, so a rebuild does not change it
#                     under the run
#   PAGEFIND_DIR=dir  where `npm install pagefind@$PAGEFIND_VERSION` goes (default
#                     ~/.cache/weekly-bench/pagefind-$PAGEFIND_VERSION, outside the repository)
#   KEEP=1            keep the work directory (site, queries, raw results) and print its path
# Needs: node >= 18 and npm, python3, /usr/bin/chromium (apt-get install chromium), and
# `npm ci` in tests/browser (playwright-core). Takes about 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
if [ -z "${WEEKLY:-}" ]; then
  if [ -x target/release/weekly ]; then WEEKLY=target/release/weekly; else WEEKLY=target/debug/weekly; fi
fi
[ -x "$WEEKLY" ] || { echo "no weekly binary at $WEEKLY (cargo build, or WEEKLY=path)" >&2; exit 2; }
corpus="${WEEKLY_CORPUS:-$(cd .. && pwd)/shared/corpus/python-weekly}"
[ -d "$corpus/docs" ] || { echo "skipped: corpus not found at $corpus" >&2; exit 0; }
pf_version="${PAGEFIND_VERSION:-1.6.0}"
pf_dir="${PAGEFIND_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/weekly-bench/pagefind-$pf_version}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm" >&2; exit 2; }
[ -x /usr/bin/chromium ] || { echo "needs /usr/bin/chromium: apt-get install chromium" >&2; exit 2; }
[ -d tests/browser/node_modules/playwright-core ] || { echo "needs: (cd tests/browser && npm ci)" >&2; exit 2; }

work="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then trap 'echo "work directory kept: $work"' EXIT; else trap 'rm -rf "$work"' EXIT; fi
cp "$WEEKLY" "$work/weekly"
weekly="$work/weekly"

if [ ! -x "$pf_dir/node_modules/.bin/pagefind" ]; then
  echo "installing pagefind@$pf_version into $pf_dir" >&2
  mkdir -p "$pf_dir"
  (cd "$pf_dir" && npm install --no-save --no-package-lock --no-audit --no-fund "pagefind@$pf_version" >&2)
fi
pagefind="$pf_dir/node_modules/.bin/pagefind"

t0=$SECONDS
"$weekly" import python-weekly "$corpus" --into "$work/ws" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; exit 1; }
(cd "$work/ws" && "$weekly" build) >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
site="$work/ws/site"
echo "weekly: $("$weekly" --version 2>/dev/null || echo "$WEEKLY"); $(grep -o 'built .*' "$work/build.log" | head -1)"
# Only the Chinese issue pages: what our zh index covers (its entries).
"$pagefind" --site "$site" --output-subdir pagefind --glob 'zh/[0-9]*/index.html' >"$work/pagefind.log" 2>&1 \
  || { cat "$work/pagefind.log" >&2; exit 1; }
echo "pagefind: $("$pagefind" --version 2>/dev/null | tail -1); $(grep -E 'Indexed [0-9]+ (pages|words)' "$work/pagefind.log" | sed 's/^ *//' | paste -sd, -)"

python3 bench/search_eval.py sample "$site" "$work"
node tests/browser/search_query.mjs "$site" zh <"$work/queries.json" >"$work/ours.json"
node bench/search_ours_files.mjs "$site" zh <"$work/queries.json" >"$work/ours_files.json"
t1=$SECONDS
node bench/search_peer.mjs "$site" <"$work/queries.json" >"$work/pagefind.json"
echo "(Pagefind in Chromium: $((SECONDS - t1)) s for $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/queries.json") queries; whole setup and run so far $((SECONDS - t0)) s)"
echo
python3 bench/search_eval.py report "$site" "$work/queries.json" "$work/ours.json" \
  "$work/ours_files.json" "$work/pagefind.json"
