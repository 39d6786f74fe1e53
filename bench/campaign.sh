#!/usr/bin/env bash
# Sending a campaign: `weekly send` (shipped defaults: 4 connections, the bookkeeping in the
# workspace's SQLite database, a personalised message per recipient) against postfix's
# smtp-source (the same count, size and connections, no personalisation, no bookkeeping) and
# Python's smtplib (bench/campaign_peer.py: the original system's approach), each into postfix's
# smtp-sink on 127.0.0.1. Then BIG recipients to show that memory does not grow with the list.
# Usage: bench/campaign.sh [N=20000] [BIG=1000000]   (needs Debian's postfix for smtp-sink and
# smtp-source: `apt-get install postfix`)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
big="${2:-1000000}"
command -v smtp-sink >/dev/null || { echo "needs smtp-sink and smtp-source: apt-get install postfix" >&2; exit 2; }
cargo build --release -q -p weekly
weekly="$PWD/target/release/weekly"
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
smtp-sink -u root "127.0.0.1:$port" 1024 >/dev/null 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.3
unset WEEKLY_DATABASE_URL WEEKLY_SMTP_URL

# The example newsletter, its issue 7 made about 20 KB as a mail.
ws="$work/ws"
cp -r examples/demo-weekly "$ws"
rm -f "$ws"/weekly.db*
printf '\n[smtp]\nhost = "127.0.0.1"\nport = %s\ntls = "none"\nfrom = "Rust 星期刊 <weekly@example.org>"\n' "$port" >>"$ws/weekly.toml"
python3 - "$ws/issues/0007/zh.md" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
extra = "\n\n本周还有一些值得一读的文章，涵盖错误处理、性能分析与工程实践。" * 28
open(path, "w", encoding="utf-8").write(text.rstrip() + extra + "\n")
PY
subscribers() { # COUNT FILE
  python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write("email,languages,tier,paid_until,status\n")
    for i in range(n):
        f.write(f"reader{i}@example{i % 97}.org,zh,paid,2099-12-31,confirmed\n")
PY
}
subscribers "$n" "$work/list.csv"
"$weekly" --workspace "$ws" subscribers import "$work/list.csv" >/dev/null
"$weekly" --workspace "$ws" render 7 --edition email --tier paid --lang zh --to reader1@example1.org >"$work/sample.eml"
size=$(wc -c <"$work/sample.eml")
echo "message size: $size bytes (a personalised zh mail of issue 7 for a paying reader); $n recipients, 4 connections"

rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):.0f}')" "$1" "$2"; }

# weekly send
/usr/bin/time -f "%e %M" -o "$work/t" "$weekly" --workspace "$ws" send 7 --lang zh >"$work/out" 2>"$work/err"
read -r ours_s ours_kb <"$work/t"
grep -q "paid: $n sent now" "$work/out" || { cat "$work/out" "$work/err"; exit 1; }
ours=$(rate "$n" "$ours_s")
echo "weekly send:  $ours_s s, $ours msgs/s, peak RSS $((ours_kb / 1024)) MB"

# smtp-source: the same count, size and connections, one message after another per session
start=$(date +%s.%N)
smtp-source -d -s 4 -l "$size" -m "$n" -f weekly@example.org -t reader@example.org "127.0.0.1:$port"
source_s=$(python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.3f}')" "$start")
src=$(rate "$n" "$source_s")
echo "smtp-source:  $source_s s, $src msgs/s"

# Python smtplib
python3 - "$work/sample.eml" "$work" "$n" <<'PY'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
text = m.get_body(("plain",)).get_content()
html = m.get_body(("html",)).get_content()
open(sys.argv[2] + "/body.txt", "w").write(text)
open(sys.argv[2] + "/body.html", "w").write(html)
with open(sys.argv[2] + "/rcpt.txt", "w") as f:
    for i in range(int(sys.argv[3])):
        f.write(f"reader{i}@example{i % 97}.org\n")
PY
read -r _ py_s < <(python3 bench/campaign_peer.py 127.0.0.1 "$port" "$work/rcpt.txt" "$work/body.txt" "$work/body.html" 4)
py=$(rate "$n" "$py_s")
echo "Python smtplib: $py_s s, $py msgs/s"
python3 -c "import sys; o,s,p=map(float,sys.argv[1:]); print(f'weekly send / smtp-source = {o/s:.2f}; weekly send / Python smtplib = {o/p:.2f}')" "$ours" "$src" "$py"

# Memory with a big list: RSS sampled every 5 s while sending.
if [ "$big" -gt 0 ]; then
  rm -f "$ws"/weekly.db*
  subscribers "$big" "$work/big.csv"
  "$weekly" --workspace "$ws" subscribers import "$work/big.csv" >/dev/null
  /usr/bin/time -f "%e %M" -o "$work/t" "$weekly" --workspace "$ws" send 7 --lang zh >"$work/out" 2>"$work/err" &
  timer=$!
  sleep 1
  pid=$(pgrep -n -f "weekly --workspace $ws send" || true)
  samples=""
  while kill -0 "$timer" 2>/dev/null; do
    [ -n "$pid" ] && samples="$samples $(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || true)"
    sleep 5
  done
  wait "$timer" || true
  read -r big_s big_kb <"$work/t"
  grep -q "paid: $big sent now" "$work/out" || { cat "$work/out" "$work/err"; exit 1; }
  echo "weekly send of $big: $big_s s, $(rate "$big" "$big_s") msgs/s, peak RSS $((big_kb / 1024)) MB; RSS every 5 s (MB):$samples"
fi
