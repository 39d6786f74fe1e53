"""Peer for bench/stats.sh: what the original Python scripts did for statistics, over the same
imported workspace. For every issue, the primary full text (else the teaser): entry counts per
`## ` section with the `N、[title](url)` pattern, and the jieba word stamp (front matter
removed, links reduced to their text, `#*`>` removed, non-space tokens). Prints JSON."""
import json
import os
import re
import sys

import jieba

jieba.setLogLevel(60)
ENTRY = re.compile(r"^\d+、", re.M)
LINK = re.compile(r"\[([^\]]+)\]\([^\)]+\)")


def words(text):
    body = re.sub(r"---.*?---", "", text, count=1, flags=re.DOTALL)
    body = re.sub(r"[#*`>]", "", LINK.sub(r"\1", body))
    return len([t for t in jieba.lcut(body) if t.strip()])


def main(root):
    out = []
    issues = os.path.join(root, "issues")
    for name in sorted(os.listdir(issues)):
        for file in ("zh.md", "zh.teaser.md", "en.md"):
            path = os.path.join(issues, name, file)
            if os.path.exists(path):
                break
        else:
            continue
        text = open(path, encoding="utf-8").read()
        sections = {}
        for part in re.split(r"^## ", text, flags=re.M)[1:]:
            heading = part.splitlines()[0]
            sections[heading] = len(ENTRY.findall(part))
        out.append({"issue": name, "sections": sections, "jieba": words(text)})
    json.dump(out, sys.stdout, ensure_ascii=False)


main(sys.argv[1])
