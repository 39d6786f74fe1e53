#!/usr/bin/env bash
# `weekly subscribers import` of N generated rows (plain list: email, name, lang, tier,
# paid_until) into a new workspace database, then the same file again (every row unchanged),
# then the export. Prints wall time and peak RSS of each. Target: 100,000 rows well under 5 s.
# Usage: bench/subscribers.sh [N=100000] [--postgres]   (--postgres: a throw-away PostgreSQL
# cluster instead of the workspace's SQLite file; needs Debian's postgresql)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
cargo build --release -q -p weekly
work="$(mktemp -d)"
source bench/pg.sh
trap 'pg_stop; rm -rf "$work"' EXIT
unset WEEKLY_DATABASE_URL
[ "${2:-}" = "--postgres" ] && pg_start
./target/release/weekly init "$work/ws" >/dev/null 2>&1
python3 - "$work/list.csv" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as f:
    f.write("email,name,lang,tier,paid_until\n")
    for i in range(n):
        paid = i % 10 == 0
        f.write(f"reader{i}@example{i % 97}.org,读者 {i},{'zh' if i % 3 else 'en'},"
                f"{'paid' if paid else 'free'},{'2027-06-30' if paid else ''}\n")
PY
measure() { # LABEL CMD…
  /usr/bin/time -f "%e %M" -o "$work/t" "${@:2}" >"$work/out" 2>"$work/err" || true
  read -r wall kb <"$work/t"
  echo "$1: ${wall} s wall, peak RSS $((kb / 1024)) MB — $(tail -n 1 "$work/err")"
}
ws=(./target/release/weekly --workspace "$work/ws" subscribers)
measure "import of $n rows into a new database" "${ws[@]}" import "$work/list.csv"
measure "the same file again" "${ws[@]}" import "$work/list.csv"
measure "export" "${ws[@]}" export
echo "exported rows: $(($(wc -l <"$work/out") - 1))"
