#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices, SEO; mobile emulation) on the example
# site served by `weekly server`, with the sign-up form on every page. Chromium reaches only
# loopback: every other address goes to a proxy on 127.0.0.1:9, where nothing listens.
#
#   bench/lighthouse.sh            # needs chromium and `npm install lighthouse@13` in $LH_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lh=${LH_DIR:-/tmp/lh}/node_modules/.bin/lighthouse
weekly=${WEEKLY:-$root/target/debug/weekly}
port=${PORT:-18321}
ws=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$ws"' EXIT
cp -r "$root/examples/demo-weekly/." "$ws/"
rm -f "$ws/weekly.db"
printf '\n[server]\npublic_url = "http://127.0.0.1:%s"\n' "$port" >> "$ws/weekly.toml"
"$weekly" --workspace "$ws" build >/dev/null 2>&1
WEEKLY_SECRET=lighthouse-only-secret-0123456789abcdef \
  "$weekly" --workspace "$ws" server --listen "127.0.0.1:$port" --site "$ws/site" 2>/dev/null &
server=$!
sleep 1
for page in "" zh/7/ en/7/ zh/archive/ zh/stats/ zh/seasons/1/; do
  "$lh" "http://127.0.0.1:$port/$page" --quiet --output=json --output-path="$ws/r.json" \
    --chrome-path=/usr/bin/chromium \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --proxy-server=127.0.0.1:9 --proxy-bypass-list=<-loopback>;127.0.0.1 --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>&1
  python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['categories']; print(sys.argv[2], ' '.join(f'{k} {round(v[\"score\"]*100)}' for k,v in c.items()))" "$ws/r.json" "/$page"
done
