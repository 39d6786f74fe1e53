#!/usr/bin/env bash
# End-to-end timing of `weekly check` (read every file, parse, run all checks, print JSON) on
# the imported Python weekly archive, release build, with hyperfine; then its peak memory.
# Usage: bench/check.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-${WEEKLY_CORPUS:-../shared/corpus/python-weekly}}"
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }
cargo build --release -q -p weekly
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./target/release/weekly import python-weekly "$corpus" --into "$work/pw" 2>/dev/null
# `check` exits 1 because the archive has real errors; -i keeps hyperfine going.
hyperfine -N -i --warmup 3 --runs 30 "./target/release/weekly check --workspace $work/pw --format json"
/usr/bin/time -v ./target/release/weekly check --workspace "$work/pw" --format json 2>&1 >/dev/null \
  | grep -E 'Maximum resident|Elapsed' || true
