#!/usr/bin/env bash
# Build and test-build times of a commit, from nothing: a clean debug build of the binary, an
# incremental build after touching one file of the binary, and building every test target
# (`cargo test --workspace --no-run`) after that. Each commit is checked out in a worktree of
# its own with a target directory of its own (deleted afterwards); the registry is warm.
# Usage: bench/build_times.sh COMMIT...   (e.g. bench/build_times.sh 549e487 HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
for commit in "$@"; do
  work="$(mktemp -d)"
  git -C "$repo" worktree add -q --detach "$work/src" "$commit"
  export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=1
  cd "$work/src"
  t() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$s" "$(date +%s.%N)"; }
  clean=$(t cargo build -q -p weekly)
  touch crates/weekly/src/cmd/info.rs
  incremental=$(t cargo build -q -p weekly)
  tests=$(t cargo test -q --workspace --no-run)
  binaries=$(find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -executable -newer crates/weekly/src/cmd/info.rs | wc -l)
  size=$(du -sh "$CARGO_TARGET_DIR" | cut -f1)
  echo "$(git rev-parse --short HEAD): clean build ${clean} s, incremental (one binary file touched) ${incremental} s, every test target after it ${tests} s (${binaries} test executables), target ${size}"
  cd "$repo"
  git worktree remove --force "$work/src"
  rm -rf "$work"
done
