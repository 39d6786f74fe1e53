#!/usr/bin/env bash
# Import + check of all of This Week in Rust (and 科技爱好者周刊) with their shipped formats,
# release build, with hyperfine; then the peak memory of each step.
# Usage: bench/newsletters.sh [SHARED_CORPUS_DIR]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${WEEKLY_SHARED_CORPUS:-../shared/corpus}}"
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }
cargo build --release -q -p weekly
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
weekly=./target/release/weekly
mkdir -p "$work/old"
for name in this-week-in-rust ruanyf-weekly; do
  src="$corpus/$name"
  ws="$work/$name"
  # Each run imports into a new workspace: the last one is moved aside, not deleted (deleting
  # 500 folders just before makes the next run's file creation several times slower on ext4
  # with online discard, which is not the import's cost).
  aside="bash -c 'if [ -e $ws ]; then mv $ws $work/old/\$(date +%s%N); fi'"
  # One run: a fresh import into a new workspace, then `weekly check` over all of it (exit 1
  # when the archive has errors: `-i` keeps hyperfine going).
  hyperfine -N -i --warmup 2 --runs 15 --prepare "$aside" \
    "bash -c '$weekly import $src --into $ws --format $name 2>/dev/null && $weekly check --workspace $ws --format json >/dev/null'"
  hyperfine -N --warmup 2 --runs 15 --prepare "$aside" \
    "$weekly import $src --into $ws --format $name"
  hyperfine -N -i --warmup 2 --runs 15 "$weekly check --workspace $ws --format json"
  mv "$ws" "$work/old/last-$name"
  /usr/bin/time -v "$weekly" import "$src" --into "$ws" --format "$name" 2>&1 >/dev/null \
    | grep -E 'Maximum resident' | sed "s/^/import $name: /" || true
  /usr/bin/time -v "$weekly" check --workspace "$ws" --format json 2>&1 >/dev/null \
    | grep -E 'Maximum resident' | sed "s/^/check $name: /" || true
done
