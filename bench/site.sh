#!/usr/bin/env bash
# `weekly build` (the static site: pages, RSS/Atom/JSON feeds, search index, dashboard) against
# Hugo on the same issues, in the same run: first the imported Python weekly archive (157
# issues, zh/en/ja, full text or teaser), then a synthetic archive of N issues
# (bench/synth_issues.py). bench/hugo_site.py turns each workspace into a Hugo site with a
# theme of its own; Hugo renders the Markdown itself (goldmark). Two themes are measured:
# "minimal" (a page per issue and language, home and archive list per language, RSS, sitemaps)
# and "blog" (what a usual Hugo blog theme adds that `weekly build` also makes: Open Graph and
# Twitter meta, a season page per season, lists paginated with summaries, a search page with a
# JSON index of every issue's text, RSS per season; see bench/hugo_site.py). Two ways of building are measured
# for each tool: "fresh" (the output directory removed before every run) and "rebuild" (the
# output of the previous run left in place, as when an editor builds again: Hugo overwrites
# its files, `weekly build` writes only the files that differ). The corpus is measured 5 times
# (hyperfine, median; else a loop of 5, median), the synthetic archive once per way (Hugo takes
# long and much memory there); peak RSS from one extra run under GNU time (`/usr/bin/time -v`).
# Each workspace is first built once by `weekly build` alone (its word clouds are then cached in
# the workspace, as after any build), which is reported as the first build.
# `incremental` measures builds as an editor runs them (nothing changed; one title edited); the
# like-for-like rows use `--force`, which renders every page.
# Last, `weekly serve` on the corpus: an issue file is changed 3 times and the `rebuilt in N ms`
# lines are printed. Prints wall time, peak RSS, files written and the ratios hugo/weekly.
# Usage: bench/site.sh [N=20000]
#   SKIP_WEEKLY=1 bench/site.sh 2000   measures Hugo alone (until `weekly build` exists), with
#                                      the already built target/release/weekly for the import.
# Needs: hugo (apt-get install hugo; measured with v0.111.3), GNU time at /usr/bin/time
# (apt-get install time), python3 >= 3.11; hyperfine optional (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
skip_weekly="${SKIP_WEEKLY:-0}"
runs=5
corpus="${WEEKLY_CORPUS:-$(cd .. && pwd)/shared/corpus/python-weekly}"
[ -d "$corpus/docs" ] || { echo "skipped: corpus not found at $corpus" >&2; exit 0; }
command -v hugo >/dev/null || { echo "needs: apt-get install hugo" >&2; exit 2; }
/usr/bin/time -v true 2>/dev/null || { echo "needs GNU time at /usr/bin/time: apt-get install time" >&2; exit 2; }
if [ "$skip_weekly" = 1 ] && [ -x target/release/weekly ]; then
  echo "SKIP_WEEKLY=1: Hugo alone, no build (target/release/weekly only imports)" >&2
else
  cargo build --release -q -p weekly
fi
weekly="$PWD/target/release/weekly"
if [ "$skip_weekly" != 1 ] && ! "$weekly" build --help >/dev/null 2>&1; then
  echo "\`weekly build\` is not available in this binary; SKIP_WEEKLY=1 measures Hugo alone" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "hugo: $(hugo version | cut -d' ' -f2)"

# bench NAME RUNS WAY OUT CMD… — times CMD (which writes into OUT) RUNS times, WAY "fresh"
# (OUT removed before each run) or "rebuild" (OUT kept from the run before; one unmeasured run
# first), then once more under GNU time for the peak RSS; that last output stays for counting.
# Writes "median_wall_s peak_rss_kb" to $work/NAME.res.
bench() {
  local name="$1" count="$2" way="$3" out="$4"
  shift 4
  local walls=() prepare="rm -rf $out"
  if [ "$way" = rebuild ]; then
    prepare=true
    "$@" >/dev/null 2>&1
  fi
  if [ "$count" -gt 1 ] && command -v hyperfine >/dev/null; then
    hyperfine -N --style basic --runs "$count" --prepare "$prepare" \
      --export-json "$work/$name.json" "$*" >&2
    walls=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/$name.json")")
  elif [ "$count" -gt 1 ]; then
    for _ in $(seq "$count"); do
      $prepare
      /usr/bin/time -f %e -o "$work/$name.t" "$@" >/dev/null 2>"$work/$name.err"
      walls+=("$(tail -n1 "$work/$name.t")")
    done
  fi
  $prepare
  /usr/bin/time -v -o "$work/$name.v" "$@" >/dev/null 2>"$work/$name.err" \
    || { echo "failed: $*" >&2; cat "$work/$name.err" >&2; exit 1; }
  local rss wall
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.v")"
  wall="$(python3 - "$work/$name.v" <<'PY'
import sys
for line in open(sys.argv[1]):
    if "Elapsed (wall clock)" in line:
        parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
        print(sum(p * 60 ** i for i, p in enumerate(reversed(parts))))
PY
)"
  [ "${#walls[@]}" -gt 0 ] || walls=("$wall")
  python3 -c 'import statistics,sys; print(statistics.median(map(float, sys.argv[2:])), sys.argv[1])' \
    "$rss" "${walls[@]}" >"$work/$name.res"
}

# report LABEL NAME OUT — one line: wall, RSS, files written (by kind) and their size.
report() {
  python3 - "$1" "$work/$2.res" "$3" "$4" <<'PY'
import collections, os, sys
label, res, out, runs = sys.argv[1:]
wall, kb = open(res).read().split()
files, size, kinds = 0, 0, collections.Counter()
for root, _, names in os.walk(out):
    for name in names:
        files += 1
        size += os.path.getsize(os.path.join(root, name))
        kinds[os.path.splitext(name)[1].lstrip(".") or "other"] += 1
top = ", ".join(f"{c} {k}" for k, c in kinds.most_common(6))
how = f"median of {runs}" if int(runs) > 1 else "1 run"
print(f"  {label:<14} {float(wall):8.3f} s ({how}), peak RSS {int(kb) / 1024:7.0f} MB, "
      f"{files} files ({top}), {size / 2**20:.1f} MB")
PY
}

# ratio A B THEME — hugo/weekly for wall time and peak RSS.
ratio() {
  python3 - "$work/$1.res" "$work/$2.res" "$3" <<'PY'
import sys
(hw, hk), (ww, wk) = ([float(x) for x in open(p).read().split()] for p in sys.argv[1:3])
print(f"  ratio hugo {sys.argv[3]}/weekly: {hw / ww:.1f}x wall time, {hk / wk:.1f}x peak RSS")
PY
}

# compare LABEL WS RUNS WAY — Hugo with each theme ($work/LABEL-hugo-THEME), then weekly.
compare() {
  local label="$1" ws="$2" count="$3" way="$4" theme
  echo "$label, $way:"
  for theme in minimal blog; do
    bench "$label-$way-hugo-$theme" "$count" "$way" "$work/$label-$way-hugo-$theme-out" \
      hugo --quiet --source "$work/$label-hugo-$theme" \
      --destination "$work/$label-$way-hugo-$theme-out"
    report "hugo $theme" "$label-$way-hugo-$theme" "$work/$label-$way-hugo-$theme-out" "$count"
  done
  if [ "$skip_weekly" != 1 ]; then
    # `--force`: like for like, every page rendered (without it a rebuild of an unchanged
    # workspace does nothing; that is measured by `incremental`).
    bench "$label-$way-weekly" "$count" "$way" "$work/$label-$way-weekly-out" \
      "$weekly" build --force --workspace "$ws" --out "$work/$label-$way-weekly-out"
    report "weekly build" "$label-$way-weekly" "$work/$label-$way-weekly-out" "$count"
    for theme in minimal blog; do
      ratio "$label-$way-hugo-$theme" "$label-$way-weekly" "$theme"
    done
  fi
}

# serve_rebuilds WS — `weekly serve` on WS; the newest issue file is changed 3 times and each
# `rebuilt in N ms` line is printed.
serve_rebuilds() {
  local ws="$1" log="$work/serve.log"
  "$weekly" serve --workspace "$ws" --port 0 --poll-ms 20 >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q serving "$log" && break; sleep 0.1; done
  local file
  file="$(find "$ws/issues" -name '*.md' | sort | tail -n1)"
  for i in 1 2 3; do
    printf '\nEdited for the benchmark (%s).\n' "$i" >>"$file"
    for _ in $(seq 100); do [ "$(grep -c 'rebuilt in' "$log")" -ge "$i" ] && break; sleep 0.1; done
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "weekly serve, rebuild after one issue file changes: $(grep -o 'rebuilt in [0-9]* ms' "$log" | tr '\n' ' ')"
}

"$weekly" import python-weekly "$corpus" --into "$work/corpus" >/dev/null 2>&1
python3 bench/synth_issues.py "$work/synth" "$n"
for theme in minimal blog; do
  python3 bench/hugo_site.py --theme "$theme" "$work/corpus" "$work/corpus-hugo-$theme"
  python3 bench/hugo_site.py --theme "$theme" "$work/synth" "$work/synthetic-$n-hugo-$theme"
done

# first_build LABEL WS — the first `weekly build` of a workspace (no word-cloud cache yet: jieba
# segments every season); later builds, measured by `compare`, find the clouds cached.
first_build() {
  [ "$skip_weekly" = 1 ] && return
  /usr/bin/time -v -o "$work/$1-first.v" "$weekly" build --workspace "$2" \
    --out "$work/$1-first-out" >/dev/null 2>&1
  python3 - "$1" "$work/$1-first.v" <<'PY'
import sys
label, path = sys.argv[1:]
fields = dict(l.strip().rsplit(": ", 1) for l in open(path) if ": " in l)
wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"))))
print(f"{label}, first build of the workspace (word clouds made, not cached): weekly build {wall:.3f} s, peak RSS {int(fields['Maximum resident set size (kbytes)']) / 1024:.0f} MB")
PY
  # Left until the end: deleting 40,000 files now would slow the next fresh build of either
  # tool (see BENCHMARKS.md on this disk's inode reuse).
}

# incremental LABEL WS — `weekly build` as an editor runs it: after a build whose inputs are
# over a second old (so it records them), 5 builds with nothing changed, then 5 builds each
# after one edit of the newest issue's zh.md (an entry's title); medians, and the pages kept.
incremental() {
  [ "$skip_weekly" = 1 ] && return
  local label="$1" ws="$2" out="$work/$1-incremental-out"
  "$weekly" build --workspace "$ws" --out "$out" >/dev/null 2>&1
  sleep 1.2
  "$weekly" build --workspace "$ws" --out "$out" >/dev/null 2>&1
  python3 - "$weekly" "$ws" "$out" "$label" <<'PY'
import glob, statistics, subprocess, sys, time
weekly, ws, out, label = sys.argv[1:]
file = sorted(glob.glob(f"{ws}/issues/*/zh.md"))[-1]
def build():
    start = time.perf_counter()
    done = subprocess.run([weekly, "build", "--workspace", ws, "--out", out],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    return wall, done.stderr.strip().splitlines()[-1]
idle = [build() for _ in range(5)]
assert all("nothing to do" in said for _, said in idle), idle[0][1]
edits = []
for i in range(5):
    text = open(file, encoding="utf-8").read()
    open(file, "w", encoding="utf-8").write(text.replace("1、[", f"1、[改{i} ", 1))
    edits.append(build())
median = lambda runs: statistics.median(w for w, _ in runs)
print(f"{label}, incremental: nothing changed {median(idle) * 1000:.0f} ms (median of 5); "
      f"one entry title edited {median(edits) * 1000:.0f} ms (median of 5)")
print(f"  last edit: {edits[-1][1]}")
PY
}

first_build corpus "$work/corpus"
incremental corpus "$work/corpus"
for way in fresh rebuild; do
  compare corpus "$work/corpus" "$runs" "$way"
done
first_build "synthetic-$n" "$work/synth"
incremental "synthetic-$n" "$work/synth"
for way in fresh rebuild; do
  compare "synthetic-$n" "$work/synth" 1 "$way"
done
[ "$skip_weekly" = 1 ] || serve_rebuilds "$work/corpus"
