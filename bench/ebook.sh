#!/usr/bin/env bash
# `weekly ebook` against pandoc (Debian's) on the same texts, in the same run: the six seasons
# of the imported Python weekly archive in Chinese. First `weekly season K --write` writes each
# season's collection (`seasons/season-K.zh.md`, the Markdown pandoc converts); then
#   weekly: `weekly ebook --all --lang zh -o DIR`, one process making all six EPUBs (it loads
#           the archive, renders every issue's sections, segments the text for the cover's
#           word cloud, writes and zips every file);
#   pandoc: `pandoc season-K.zh.md --toc -o season-K.epub`, six processes, one per season.
# Neither fetches images: weekly makes each web image its alt text, linked, and pandoc gets the
# same Markdown with every `![alt](url)` written as `[alt](url)` (pandoc would otherwise try to
# download each image into the book, which takes its time-outs here, with no network). hyperfine (median of 10) when installed, else a loop of 10 (median).
# Prints the two medians and pandoc/weekly. Usage: bench/ebook.sh
# Needs: pandoc (apt-get install pandoc; measured with 2.17), python3; hyperfine optional.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${WEEKLY_CORPUS:-$(cd .. && pwd)/shared/corpus/python-weekly}"
[ -d "$corpus/docs" ] || { echo "skipped: corpus not found at $corpus" >&2; exit 0; }
command -v pandoc >/dev/null || { echo "needs: apt-get install pandoc" >&2; exit 2; }
cargo build --release -q -p weekly
weekly="$PWD/target/release/weekly"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
ws="$tmp/ws"
"$weekly" import python-weekly "$corpus" --into "$ws" >/dev/null 2>&1
for k in 1 2 3 4 5 6; do "$weekly" --workspace "$ws" season "$k" --write >/dev/null 2>&1; done
echo "weekly $("$weekly" --version | cut -d' ' -f2), $(pandoc --version | head -1)"
ours="$weekly --workspace $ws ebook --all --lang zh -o $tmp/ours"
mkdir -p "$tmp/peer-in"
for k in 1 2 3 4 5 6; do
  python3 -c 'import re,sys; sys.stdout.write(re.sub(r"!\[([^\]]*)\]\(", r"[\1](", open(sys.argv[1], encoding="utf-8").read()))' \
    "$ws/seasons/season-$k.zh.md" > "$tmp/peer-in/season-$k.zh.md"
done
peer="for k in 1 2 3 4 5 6; do pandoc $tmp/peer-in/season-\$k.zh.md --toc -o $tmp/peer-\$k.epub; done"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 1 --runs 10 --export-json "$tmp/h.json" "$ours" "bash -c '$peer'" >&2
  read -r w p < <(python3 -c "import json,sys; r=json.load(open('$tmp/h.json'))['results']; print(r[0]['median'], r[1]['median'])")
else
  w=$(for i in $(seq 10); do /usr/bin/env time -f %e $ours 2>&1 >/dev/null | tail -1; done | median)
  p=$(for i in $(seq 10); do /usr/bin/env time -f %e bash -c "$peer" 2>&1 >/dev/null | tail -1; done | median)
fi
ls "$tmp/ours"/*.epub | wc -l | xargs echo "EPUBs by weekly:"
ls "$tmp"/peer-*.epub | wc -l | xargs echo "EPUBs by pandoc:"
printf 'weekly ebook (6 EPUBs): %.3f s\npandoc (6 EPUBs):       %.3f s\npandoc/weekly:          %.1fx\n' "$w" "$p" "$(python3 -c "print($p/$w)")"
