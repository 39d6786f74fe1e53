#!/usr/bin/env bash
# `weekly translate` of a 25-entry issue through our local OpenAI-compatible server answering
# each request after 300 ms, with concurrency 8: wall time of the first run (every unit sent),
# of the second (everything from the translation memory), the lower bound
# ceil(requests / 8) × 300 ms, and concurrency 1 for comparison.
# Usage: bench/translate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p weekly -p weekly-fake-llm
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid"; rm -rf "$work"' EXIT

make_workspace() { # DIR
  ./target/release/weekly init "$1" >/dev/null 2>&1
  mkdir -p "$1/issues/0001"
  printf 'number = 1\ndate = "2026-11-21"\n' >"$1/issues/0001/issue.toml"
  python3 - "$1/issues/0001/zh.md" <<'PY'
import sys
out = ["---", "title: 'Python 潮流周刊#1：异步编程的新进展'", "pubDate: 2026-11-21", "---", "",
       "你好，这里是每周分享优质技术内容的周刊。", "", "本期分享了 13 篇文章，12 个开源项目。", "",
       "## 🦄文章&教程", ""]
for i in range(1, 26):
    if i == 14:
        out += ["## 🐿️项目&资源", ""]
    n = i if i < 14 else i - 13
    out += [f"{n}、[第 {i} 篇：用 Python 实现高性能的异步任务队列](https://example.org/post/{i})", "",
            f"这篇文章介绍了如何使用 `asyncio` 构建任务队列，并对比了三种调度策略的性能差异（star 1.{i}K）。"
            "作者给出了完整的基准测试和可复现的代码。", ""]
open(sys.argv[1], "w").write("\n".join(out))
PY
}

./target/release/weekly-fake-llm --latency-ms 300 >"$work/url" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
export WEEKLY_LLM_BASE_URL="$(cat "$work/url")"
unset WEEKLY_LLM_API_KEY

run() { # DIR CONCURRENCY LABEL
  local start end
  start=$(date +%s.%N)
  ./target/release/weekly --workspace "$1" translate 1 --to en --concurrency "$2" 2>"$work/err"
  end=$(date +%s.%N)
  local requests
  requests=$(grep -oE '^[0-9]+ requests' "$work/err" | grep -oE '[0-9]+')
  python3 -c "
wall = $end - $start
print(f'$3: {wall:.3f} s wall, $requests requests, concurrency $2'
      + (f', lower bound {-(-$requests // $2) * 0.3:.2f} s' if $requests else ''))"
}

make_workspace "$work/a"
run "$work/a" 8 "first run "
run "$work/a" 8 "second run"
make_workspace "$work/b"
run "$work/b" 1 "sequential"
make_workspace "$work/c"
echo "peak RSS of a first run (27 requests, concurrency 8):"
/usr/bin/time -v ./target/release/weekly --workspace "$work/c" translate 1 --to en 2>&1 >/dev/null \
  | grep -E 'Maximum resident' || true
