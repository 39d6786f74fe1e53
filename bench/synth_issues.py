#!/usr/bin/env python3
"""Writes a synthetic `weekly` workspace of N issues, for bench/site.sh (`weekly build` against
Hugo on a large archive).

What: `weekly.toml` (examples/demo-weekly/weekly.toml with `languages = ["zh"]`) and, per issue,
`issues/<dir>/issue.toml` (`number`, `date`; the loader requires it) and `zh.md` in the format
of the demo issues: front matter (`title: 'Rust 星期刊#N：主题'`, `pubDate`), an intro, the
description line with the true counts, `## 🦄文章&教程` and `## 🐿️项目&资源` with 3–5 numbered
entries each (`1、[title](https://…)` and a paragraph of mixed Chinese and English), and a
closing `## 🐱欢迎订阅`. About 2–3 KB per issue. Directories are named like
`weekly import` names them (`workspace::issue_dir_name`: four digits, zero-padded, so 0001…9999
then 10000…); the loader takes the number from `issue.toml`, never from the name. Issues are
weekly, the last one dated 2026-01-03 (20,000 issues reach back to 1642). Every URL is unique,
so `weekly check` finds nothing to say. Deterministic: the same N and seed give the same files.

Usage: bench/synth_issues.py WORKSPACE N [SEED=42]   (WORKSPACE must not exist or be empty)
Needs: python3.
"""

import datetime
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "examples" / "demo-weekly" / "weekly.toml"
LAST_DATE = datetime.date(2026, 1, 3)

ZH = (
    "异步 运行时 内存 安全 并发 编译器 宏 生命周期 借用 检查器 性能 优化 基准 测试 工具链 "
    "嵌入式 网络 协议 数据库 存储 引擎 调度 线程 任务 错误 处理 类型 系统 泛型 特征 模式 "
    "迁移 实践 经验 复盘 架构 设计 源码 解读 入门 教程 进阶 指南 插件 生态 社区 发布 版本 "
    "改进 命令行 终端 图形 界面 游戏 服务 网关 日志 监控 追踪 缓存 序列化 解析 文本 编码"
).split()
EN = (
    "Rust async tokio serde WebAssembly LLVM Cargo crate trait borrow checker unsafe SIMD "
    "io_uring epoll gRPC HTTP/3 QUIC SQLite Postgres Redis Kafka CLI TUI GPU Vulkan wgpu Bevy "
    "embedded no_std RTOS Linux kernel eBPF WASI Docker Kubernetes JSON TOML YAML regex parser "
    "allocator arena mutex channel future stream executor benchmark profiler flamegraph"
).split()
TOPICS = (
    "异步运行时的取舍 小芯片上的 Rust 零成本抽象 内存分配器 编译速度 错误处理 类型状态 "
    "无锁数据结构 嵌入式驱动 WebAssembly 组件 数据库引擎 命令行工具 游戏引擎 网络协议栈 "
    "宏的艺术 安全审计 性能剖析 并发模型 生态年度回顾"
).split()
HOSTS = (
    "blog.example.com engineering.example.co dev.example.io news.example.net perf.example.org "
    "docs.example.rs notes.example.dev weekly.example.info"
).split()
ORGS = "example-org rustacean-labs ferris-works oxide-dev crab-tools".split()
PUNCT = "，。；、"


def words(rng, n):
    """n words, mostly Chinese with some English terms, spaced like real mixed text."""
    out = ""
    for _ in range(n):
        if rng.random() < 0.3:
            w = rng.choice(EN)
            out += (" " if out and not out.endswith(" ") else "") + w + " "
        else:
            out += rng.choice(ZH)
    return out.strip()


def sentence(rng, n):
    parts = [words(rng, rng.randint(3, 6)) for _ in range(n)]
    text = "".join(p + rng.choice(PUNCT[:3]) for p in parts[:-1]) + parts[-1] + "。"
    return re.sub(r" ([，。；、])", r"\1", text)


def slug(rng):
    return "-".join(rng.choice(EN).lower().replace("/", "") for _ in range(3))


def issue(rng, n, date):
    topic = rng.choice(TOPICS)
    articles, projects = rng.randint(3, 5), rng.randint(3, 5)
    body = []
    for k in range(1, articles + 1):
        url = f"https://{rng.choice(HOSTS)}/posts/{slug(rng)}-{n}-a{k}"
        body += [f"{k}、[{words(rng, rng.randint(4, 7))}]({url})", "", sentence(rng, rng.randint(3, 4)), ""]
    body += ["## 🐿️项目&资源", ""]
    for k in range(1, projects + 1):
        name = f"{slug(rng)}-{n}{chr(96 + k)}"
        stars = f"（star {rng.randint(1, 40)}.{rng.randint(0, 9)}K）" if rng.random() < 0.5 else ""
        body += [
            f"{k}、[{name}：{words(rng, rng.randint(3, 6))}](https://github.com/{rng.choice(ORGS)}/{name})",
            "",
            sentence(rng, rng.randint(2, 3)) + stars,
            "",
        ]
    text = "\n".join(
        [
            "---",
            f"title: 'Rust 星期刊#{n}：{topic}'",
            f"pubDate: {date}",
            "author: '示例编辑'",
            "---",
            "",
            "你好，这里是 Rust 星期刊。每周分享优质的 Rust 与系统编程内容，部分内容为英文。",
            "",
            f"本期分享了 {articles} 篇文章，{projects} 个开源项目，全文 {rng.randint(900, 1800)} 字。",
            "",
            "## 🦄文章&教程",
            "",
            *body,
            "## 🐱欢迎订阅",
            "",
            "如果你喜欢本期内容，欢迎订阅 Rust 星期刊，每周六准时送达你的邮箱。[立即订阅](https://weekly.example.org/subscribe)",
            "",
        ]
    )
    return text


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: bench/synth_issues.py WORKSPACE N [SEED=42]")
    root, total = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 42)
    if root.exists() and any(root.iterdir()):
        sys.exit(f"`{root}` exists and is not empty")
    config = DEMO_CONFIG.read_text(encoding="utf-8")
    config, subs = re.subn(r'(?m)^languages = \[.*\]$', 'languages = ["zh"]', config)
    assert subs == 1, "languages line not found in the demo weekly.toml"
    config = config.replace("bundled example newsletter (fictional)", "synthetic archive of bench/synth_issues.py")
    (root / "issues").mkdir(parents=True)
    (root / "weekly.toml").write_text(config, encoding="utf-8")
    size = 0
    for n in range(1, total + 1):
        date = LAST_DATE - datetime.timedelta(weeks=total - n)
        d = root / "issues" / f"{n:04}"  # workspace::issue_dir_name
        d.mkdir()
        (d / "issue.toml").write_text(f'number = {n}\ndate = "{date}"\n', encoding="utf-8")
        data = issue(rng, n, date).encode()
        (d / "zh.md").write_bytes(data)
        size += len(data)
    print(f"{total} issues in `{root}`, {size / total / 1024:.1f} KB per issue, {size / 2**20:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
