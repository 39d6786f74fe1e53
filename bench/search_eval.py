#!/usr/bin/env python3
"""Queries, ground truth and figures of bench/search.sh (our search against Pagefind).

  search_eval.py sample SITE DIR      (writes DIR/queries.json and DIR/kinds.json)
  search_eval.py report SITE queries.json ours.json ours_files.json pagefind.json

The text of an issue page is what a reader sees of the <main> element of
SITE/zh/<n>/index.html: tags stripped (a block element ends a word), entities decoded, <nav>
(the pager), <script> and <style> left out. An entry's text is the part of it inside one of the
issue's entries (li.entry: title and text); our index holds the entries, one document each, and
leaves out the rest of the page (preamble, sponsor and "about" sections).

`sample` draws about 200 queries with a fixed seed from that text: single Chinese characters
(锁, 书 and 猫 always), Chinese substrings of 2 to 4 characters, English words, word prefixes and
mixed queries (an English word and two Chinese characters of the same entry). Random
substrings often cut words, which a word index cannot find; the per-kind table shows that.

`report` compares each tool's issue pages (ours: the distinct pages of its entry results;
Pagefind: results whose URL is /zh/<n>/) with two ground truths: "page text", the pages whose
text holds the query (a Chinese run as a plain substring, a Latin word case-insensitively at the
start of a word, every term of the query), and "one entry", the pages with an entry whose text
holds every term (what our search promises). Then prints index sizes, bytes fetched per query and
recall/precision as tables, and the ratios ours/Pagefind.
"""

import gzip
import json
import math
import os
import random
import re
import statistics
import sys
from html.parser import HTMLParser

SEED = 20261201
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SKIP = {"nav", "script", "style"}
BLOCK = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
         "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
         "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "br", "time"}
ISSUE_URL = re.compile(r"^/zh/(\d+)/$")


def is_cjk(c):  # the ranges of search.js
    n = ord(c)
    return (0x3040 <= n <= 0x30ff or 0x3400 <= n <= 0x4dbf or 0x4e00 <= n <= 0x9fff or
            0xf900 <= n <= 0xfaff or 0xac00 <= n <= 0xd7af or 0x20000 <= n <= 0x2ffff)


def is_han(c):
    n = ord(c)
    return 0x3400 <= n <= 0x4dbf or 0x4e00 <= n <= 0x9fff or 0xf900 <= n <= 0xfaff


def is_word_char(c):
    return c.isalnum() and not is_cjk(c)


class PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, is_entry) of open elements
        self.main, self.entries, self.entry = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK:
            self._add(" ")
        if tag not in VOID:
            classes = (dict(attrs).get("class") or "").split()
            is_entry = tag == "li" and "entry" in classes
            if is_entry:
                self.entry = []
            self.stack.append((tag, is_entry))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            top, is_entry = self.stack.pop()
            if is_entry:
                self.entries.append(squash(self.entry))
                self.entry = None
            if top == tag:
                break
        if tag in BLOCK:
            self._add(" ")

    def handle_data(self, data):
        self._add(data)

    def _add(self, s):
        tags = [t for t, _ in self.stack]
        if "main" in tags and not SKIP.intersection(tags):
            self.main.append(s)
            if self.entry is not None:
                self.entry.append(s)


def squash(parts):
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def pages(site):
    """{number: (page text, [text of each entry])} of every zh issue page."""
    out = {}
    base = os.path.join(site, "zh")
    for name in os.listdir(base):
        f = os.path.join(base, name, "index.html")
        if name.isdigit() and os.path.isfile(f):
            p = PageText()
            with open(f, encoding="utf-8") as fh:
                p.feed(fh.read())
            out[int(name)] = (squash(p.main), p.entries)
    return out


def han_runs(text):
    return re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text)


def latin_words(text):
    return re.findall(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*", text)


def sample(site):
    rng = random.Random(SEED)
    texts = pages(site)
    numbers = sorted(texts)
    runs = [r for n in numbers for r in han_runs(texts[n][0])]
    chars = "".join(runs)
    words = [w for n in numbers for w in latin_words(texts[n][0]) if len(w) >= 2]
    queries, seen = [], set()

    def add(q, kind):
        if q and q.lower() not in seen:
            seen.add(q.lower())
            queries.append((kind, q))
            return True
        return False

    # Single characters: the three asked for, 17 drawn by occurrence, 20 from the distinct ones.
    for c in "锁书猫":
        add(c, "char")
    while sum(k == "char" for k, _ in queries) < 20:
        add(rng.choice(chars), "char")
    distinct = sorted(set(chars))
    while sum(k == "char" for k, _ in queries) < 40:
        add(rng.choice(distinct), "char")
    # Chinese substrings of 2–4 characters: eight common words, then drawn by occurrence (these
    # often cut words: 欢本周, 文分词).
    for w in ["异步", "编程", "死锁", "爬虫", "并发", "数据库", "装饰器", "机器学习"]:
        add(w, "cjk")
    long_runs = [r for r in runs if len(r) >= 2]
    weights = [len(r) for r in long_runs]
    while sum(k == "cjk" for k, _ in queries) < 70:
        n = rng.randint(2, 4)
        r = rng.choices(long_runs, weights)[0]
        if len(r) >= n:
            at = rng.randrange(len(r) - n + 1)
            add(r[at:at + n], "cjk")
    # English words: a few named ones, then by occurrence and from the distinct words.
    for w in ["asyncio", "Rust", "Django", "pandas", "FastAPI", "GIL"]:
        add(w, "word")
    while sum(k == "word" for k, _ in queries) < 28:
        add(rng.choice(words), "word")
    distinct_words = sorted({w for w in words if len(w) >= 3})
    while sum(k == "word" for k, _ in queries) < 50:
        add(rng.choice(distinct_words), "word")
    # Prefixes: "async", then the first 3–5 letters of words of 6 letters or more.
    add("async", "prefix")
    long_words = sorted({w for w in words if len(w) >= 6 and w.isalpha()})
    while sum(k == "prefix" for k, _ in queries) < 20:
        w = rng.choice(long_words)
        add(w[:rng.randint(3, 5)], "prefix")
    # Mixed: "Python 异步", then a word and two Chinese characters of the same entry.
    add("Python 异步", "mixed")
    while sum(k == "mixed" for k, _ in queries) < 20:
        entries = texts[rng.choice(numbers)][1]
        if not entries:
            continue
        text = rng.choice(entries)
        ws = [w for w in latin_words(text) if len(w) >= 3]
        rs = [r for r in han_runs(text) if len(r) >= 2]
        if ws and rs:
            r = rng.choice(rs)
            at = rng.randrange(len(r) - 1)
            add(f"{rng.choice(ws)} {r[at:at + 2]}", "mixed")
    return queries


def terms(query):
    """The terms of a query as search.js cuts it: ('word', lower-cased) or ('cjk', run)."""
    out, word, run = [], "", ""
    for c in query:
        if is_word_char(c):
            word += c.lower()
        elif word:
            out.append(("word", word))
            word = ""
        if is_cjk(c):
            run += c
        elif run:
            out.append(("cjk", run))
            run = ""
    if word:
        out.append(("word", word))
    if run:
        out.append(("cjk", run))
    return out


def holds(text, lower, ts):
    for kind, t in ts:
        if kind == "cjk":
            if t not in text:
                return False
            continue
        at, ok = lower.find(t), False
        while at >= 0:
            if at == 0 or not is_word_char(lower[at - 1]):
                ok = True
                break
            at = lower.find(t, at + 1)
        if not ok:
            return False
    return True


def pct(values, q):
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def gz(data):
    return len(gzip.compress(data, 6, mtime=0))


def sizes(paths):
    raw = zipped = 0
    for p in paths:
        with open(p, "rb") as fh:
            data = fh.read()
        raw += len(data)
        zipped += gz(data)
    return len(paths), raw, zipped


def kb(n):
    return f"{n / 1000:,.1f} KB" if n < 1_000_000 else f"{n / 1e6:,.2f} MB"


def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(" --- " for _ in head) + "|")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()


def report(site, qfile, ours_file, files_file, pf_file):
    with open(qfile, encoding="utf-8") as fh:
        queries = json.load(fh)
    with open(os.path.join(os.path.dirname(qfile), "kinds.json")) as fh:
        kinds = json.load(fh)
    with open(ours_file) as fh:
        ours = json.load(fh)
    with open(files_file) as fh:
        ours_files = json.load(fh)
    with open(pf_file) as fh:
        pf = json.load(fh)
    assert [r["query"] for r in ours] == queries == [r["query"] for r in pf] == \
        [r["query"] for r in ours_files]
    texts = pages(site)
    lowered = {n: (m.lower(), [e.lower() for e in es]) for n, (m, es) in texts.items()}

    # ---- index sizes
    idx = os.path.join(site, "zh", "search", "index")
    ours_idx = sizes([os.path.join(idx, f) for f in sorted(os.listdir(idx))])
    ours_code = sizes([os.path.join(site, "assets", "search.js")])
    pfd = os.path.join(site, "pagefind")
    pf_paths = [os.path.join(pfd, "pagefind-entry.json")]
    pf_paths += [os.path.join(pfd, f) for f in sorted(os.listdir(pfd)) if f.endswith(".pf_meta")]
    for sub in ("index", "fragment"):
        pf_paths += [os.path.join(pfd, sub, f) for f in sorted(os.listdir(os.path.join(pfd, sub)))]
    pf_idx = sizes(pf_paths)
    pf_code = sizes([os.path.join(pfd, f) for f in sorted(os.listdir(pfd))
                     if f in ("pagefind.js", "pagefind-worker.js") or f.startswith("wasm.")])
    print(f"zh issue pages: {len(texts)}; queries: {len(queries)} "
          + ", ".join(f"{k} {sum(1 for x in kinds if x == k)}"
                      for k in ("char", "cjk", "word", "prefix", "mixed")))
    print()
    print("Index of the zh issue pages (each file gzip -6 on its own, as a server sends it):")
    table(["", "files", "raw", "gzip", "search code (raw / gzip)"], [
        ["ours (zh/search/index/)", ours_idx[0], kb(ours_idx[1]), kb(ours_idx[2]),
         f"search.js {kb(ours_code[1])} / {kb(ours_code[2])}"],
        ["Pagefind (entry, meta, index, fragments)", pf_idx[0], kb(pf_idx[1]), kb(pf_idx[2]),
         f"js + worker + wasm {kb(pf_code[1])} / {kb(pf_code[2])}"],
        ["ours / Pagefind", "", f"{ours_idx[1] / pf_idx[1]:.2f}", f"{ours_idx[2] / pf_idx[2]:.2f}",
         f"{ours_code[2] / pf_code[2]:.2f} (gzip)"],
    ])

    # ---- bytes per query
    ours_raw, ours_gz = [], []
    gz_cache = {}
    for r, f in zip(ours, ours_files):
        raw = zipped = 0
        for name in f["files"]:
            if name not in gz_cache:
                with open(os.path.join(idx, name), "rb") as fh:
                    data = fh.read()
                gz_cache[name] = (len(data), gz(data))
            raw += gz_cache[name][0]
            zipped += gz_cache[name][1]
        assert raw == r["bytes"], (r["query"], raw, r["bytes"])
        ours_raw.append(raw)
        ours_gz.append(zipped)
    pf_search = [r["search"]["data"] for r in pf]
    pf5 = [r["first5"]["data"] for r in pf]
    pf20 = [r["first20"]["data"] for r in pf]
    pf_code_q = sorted({r["first20"]["code"] for r in pf})

    def row(name, v):
        return [name, kb(statistics.median(v)), kb(pct(v, 0.9)), kb(max(v))]

    print("Index bytes fetched per query, fresh page (search code not included; Pagefind's files"
          " are already gzip-compressed, served as they are):")
    table(["", "median", "p90", "max"], [
        row("ours, first page of 20 entries, raw JSON (tests/browser/search_query.mjs)", ours_raw),
        row("ours, the same files gzip-compressed", ours_gz),
        row("Pagefind, init + search (no result loaded)", pf_search),
        row("Pagefind, + data() of the first 5 results (its UI's first view)", pf5),
        row("Pagefind, + data() of the first 20 results", pf20),
        ["ours gzip / Pagefind 20", f"{statistics.median(ours_gz) / statistics.median(pf20):.2f}",
         f"{pct(ours_gz, 0.9) / pct(pf20, 0.9):.2f}", f"{max(ours_gz) / max(pf20):.2f}"],
        ["ours raw / Pagefind 20", f"{statistics.median(ours_raw) / statistics.median(pf20):.2f}",
         f"{pct(ours_raw, 0.9) / pct(pf20, 0.9):.2f}", f"{max(ours_raw) / max(pf20):.2f}"],
    ])
    print(f"Code fetched on every fresh page as well: ours search.js {kb(ours_code[1])} raw "
          f"({kb(ours_code[2])} gzip); Pagefind {', '.join(kb(c) for c in pf_code_q)} "
          "(pagefind.js + pagefind-worker.js + wasm, as served).")
    print()

    # ---- recall and precision
    def pages_of(urls):
        out = set()
        for u in urls:
            m = ISSUE_URL.match(u.split("#", 1)[0])
            if m:
                out.add(int(m.group(1)))
        return out

    found = {"ours": [pages_of(r["urls"]) for r in ours],
             "Pagefind": [pages_of(r["urls"]) for r in pf]}
    truths = {}
    truths["page text"], truths["one entry"] = [], []
    for q in queries:
        ts = terms(q)
        truths["page text"].append({n for n in texts if holds(texts[n][0], lowered[n][0], ts)})
        truths["one entry"].append({n for n in texts if any(
            holds(e, el, ts) for e, el in zip(texts[n][1], lowered[n][1]))})
    empty = [q for q, t in zip(queries, truths["page text"]) if not t]
    if empty:
        print(f"queries with no page in the ground truth (left out of recall): {empty}")

    def scores(tool, which, only=None):
        rec, prec, full, none = [], [], 0, 0
        for k, f, t in zip(kinds, found[tool], truths[which]):
            if only and k != only:
                continue
            if t:
                rec.append(len(f & t) / len(t))
                full += len(f & t) == len(t)
                none += not (f & t)
            if f:
                prec.append(len(f & t) / len(f))
        return rec, prec, full, none

    rows = []
    for which in ("page text", "one entry"):
        for tool in ("ours", "Pagefind"):
            rec, prec, full, none = scores(tool, which)
            rows.append([which, tool, f"{statistics.mean(rec):.3f}", f"{full} / {len(rec)}",
                         none, f"{statistics.mean(prec):.3f}" if prec else "—",
                         f"{sum(1 for f in found[tool] if f)}"])
    print("Recall and precision over issue pages, averaged over queries (recall over the queries"
          " whose truth is not empty, precision over those with results):")
    table(["truth", "tool", "recall", "queries with recall 1", "queries finding none of the truth",
           "precision", "queries with results"], rows)

    rows = []
    for k in ("char", "cjk", "word", "prefix", "mixed"):
        line = [k, sum(1 for x in kinds if x == k)]
        for tool in ("ours", "Pagefind"):
            rec, prec, full, _ = scores(tool, "page text", k)
            line += [f"{statistics.mean(rec):.3f} ({full})", f"{statistics.mean(prec):.3f}"]
        rows.append(line)
    print("By kind of query (page-text truth; recall (queries with recall 1), precision):")
    table(["kind", "queries", "ours recall", "ours precision", "Pagefind recall",
           "Pagefind precision"], rows)

    worst = []
    for q, k, fo, fp, t in zip(queries, kinds, found["ours"], found["Pagefind"],
                               truths["page text"]):
        if t:
            worst.append((len(fp & t) / len(t), q, k, len(t), len(fo & t), len(fp & t), len(fp)))
    worst.sort()
    print("Pagefind's lowest recalls (query, kind, truth pages, found by ours, found by Pagefind,"
          " Pagefind results):")
    for rc, q, k, nt, no, npf, nres in worst[:15]:
        print(f"  {q!r:14} {k:6} truth {nt:3}  ours {no:3}  Pagefind {npf:3} of {nres:3} results"
              f"  recall {rc:.2f}")
    ours_miss = [(len(fo & t) / len(t), q, len(t), len(fo & t), len(te))
                 for q, fo, t, te in zip(queries, found["ours"], truths["page text"],
                                         truths["one entry"]) if t and fo & t != t]
    ours_miss.sort()
    print(f"Queries where ours misses pages of the page-text truth: {len(ours_miss)}; lowest:")
    for rc, q, nt, no, ne in ours_miss[:10]:
        print(f"  {q!r:14} truth {nt:3} (one-entry truth {ne:3})  ours {no:3}  recall {rc:.2f}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "sample":
        qs = sample(sys.argv[2])
        for name, part in (("queries.json", 1), ("kinds.json", 0)):
            with open(os.path.join(sys.argv[3], name), "w", encoding="utf-8") as fh:
                json.dump([q[part] for q in qs], fh, ensure_ascii=False)
        return
    if len(sys.argv) == 7 and sys.argv[1] == "report":
        report(*sys.argv[2:])
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
