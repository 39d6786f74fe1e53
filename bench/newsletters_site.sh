#!/usr/bin/env bash
# `weekly build` of This Week in Rust and 科技爱好者周刊 (each imported with its shipped format)
# next to Hugo building the same files, in the same run, release build.
#
# For each archive: `weekly import SRC --into WS --format NAME`; bench/hugo_site.py turns the
# workspace into a Hugo site with the "minimal" theme (a page per issue, home, archive list,
# RSS, sitemap; Hugo renders the Markdown itself). Then:
#   - first build: `weekly build` of the new workspace into a new folder (word clouds, cards and
#     search index made from nothing), once, under GNU time; Hugo's first build likewise;
#   - `--force` builds: every page rendered again over the previous output (hyperfine, median
#     of 5), Hugo building again over its previous output (Hugo always renders everything).
# Prints wall time, peak RSS, files written, and the ratio hugo/weekly.
# Usage: bench/newsletters_site.sh [SHARED_CORPUS_DIR]   (default ../shared/corpus)
# Needs: hugo (apt-get install hugo; measured with v0.111.3), hyperfine, GNU time, python3 >= 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${WEEKLY_SHARED_CORPUS:-../shared/corpus}}"
for tool in hugo hyperfine; do
  command -v "$tool" >/dev/null || { echo "needs: apt-get install $tool" >&2; exit 2; }
done
/usr/bin/time -v true 2>/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
cargo build --release -q -p weekly
weekly="$PWD/target/release/weekly"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "hugo $(hugo version | cut -d' ' -f2), $(nproc) cores"

# once LABEL OUT CMD… — one run under GNU time: wall seconds, peak RSS, files in OUT.
once() {
  local label="$1" out="$2"
  shift 2
  /usr/bin/time -v -o "$work/time.v" "$@" >/dev/null 2>"$work/err" \
    || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  python3 - "$label" "$work/time.v" "$out" <<'PY'
import os, sys
label, path, out = sys.argv[1:]
fields = dict(l.strip().rsplit(": ", 1) for l in open(path) if ": " in l)
wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"))))
files = sum(len(names) for _, _, names in os.walk(out))
print(f"  {label:<28} {wall:7.3f} s, peak RSS {int(fields['Maximum resident set size (kbytes)']) / 1024:5.0f} MB, {files} files")
PY
}

# median LABEL CMD — hyperfine median of 5 runs over the previous output: a line on stderr, the
# median in seconds on stdout.
median() {
  local label="$1" cmd="$2"
  hyperfine -N --style none --warmup 1 --runs 5 --export-json "$work/h.json" "$cmd" >/dev/null
  python3 - "$label" "$work/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["results"][0]
print(f"  {sys.argv[1]:<28} {r['median']:7.3f} s (median of 5, ± {r['stddev']:.3f})", file=sys.stderr)
print(r["median"])
PY
}

for name in this-week-in-rust ruanyf-weekly; do
  src="$corpus/$name"
  [ -d "$src" ] || { echo "missing archive: $src" >&2; exit 1; }
  ws="$work/$name"
  "$weekly" import "$src" --into "$ws" --format "$name" 2>&1 | tail -n1
  python3 bench/hugo_site.py --theme minimal "$ws" "$work/$name-hugo" | tail -n1
  echo "$name:"
  once "weekly build (first)" "$work/$name-out" \
    "$weekly" build --workspace "$ws" --out "$work/$name-out"
  once "hugo (first)" "$work/$name-hugo-out" \
    hugo --quiet --source "$work/$name-hugo" --destination "$work/$name-hugo-out"
  w="$(median "weekly build --force" "$weekly build --force --workspace $ws --out $work/$name-out")"
  h="$(median "hugo (again)" "hugo --quiet --source $work/$name-hugo --destination $work/$name-hugo-out")"
  python3 -c 'import sys; print(f"  ratio hugo/weekly, --force builds: {float(sys.argv[1]) / float(sys.argv[2]):.2f}x")' "$h" "$w"
done
