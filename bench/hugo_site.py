#!/usr/bin/env python3
"""Turns a `weekly` workspace into a Hugo site, the peer of `weekly build` in bench/site.sh.

What: one content file per issue and language (`content/<lang>/issues/<n>.md`, the full text
`<lang>.md` when the issue has it, else the teaser `<lang>.teaser.md`), with YAML front matter
(title from the front matter or the `# ` heading, date from `pubDate` or `issue.toml`); a
multilingual `config.toml` (one `contentDir` per language of weekly.toml, primary language
first, every language in its own subdirectory like `weekly build`: `/<lang>/<n>/`); and a
minimal theme of our own in `layouts/` (baseof, single, list, index). Hugo renders the
Markdown bodies itself (goldmark): one HTML page per issue and language, the home and the
archive list per language, RSS for home and section, sitemaps. Taxonomies are off (the issues
have no tags). Syntax highlighting is off and feeds hold the 50 newest items, so Hugo does no
more than the comparison needs.

Usage: bench/hugo_site.py WORKSPACE HUGO_DIR   (HUGO_DIR is created or replaced)
Needs: python3 >= 3.11 (tomllib); hugo to render the result.
"""

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}" title="{{ $.Site.Title }}">
{{ end }}{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
 · <a href="{{ "issues/" | relLangURL }}">{{ i18n "archive" | default "Archive" }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ with .Params.author }} · {{ . }}{{ end }}
{{ range .Translations }} · <a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</p>
{{ .Content }}
</article>
<nav>
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ $issues := where .Site.RegularPages "Section" "issues" }}
<ul>
{{ range first 30 $issues.ByDate.Reverse }}<li><time>{{ .Date.Format "2006-01-02" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary | plainify | truncate 160 }}</p></li>
{{ end }}</ul>
<p><a href="{{ "issues/" | relLangURL }}">{{ len $issues }} issues</a></p>
{{ end }}
""",
}

ARCHIVE = {"zh": "往期", "en": "Archive", "ja": "バックナンバー"}


def parse_front_matter(text):
    """(fields, body) of a `---` YAML block of `key: value` lines; ({}, text) without one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        return {}, text
    fields = {}
    for line in lines[1:end]:
        m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            try:
                value = json.loads(value)
            except ValueError:
                value = value[1:-1]
        fields[key] = value
    return fields, "\n".join(lines[end + 1 :])


def convert(workspace, out):
    config = tomllib.loads((workspace / "weekly.toml").read_text(encoding="utf-8"))
    primary = config.get("primary_language", "zh")
    langs = [primary] + [l for l in config.get("languages", [primary]) if l != primary]
    names = config.get("name", {})
    if out.exists():
        shutil.rmtree(out)
    counts = {l: {"full": 0, "teaser": 0} for l in langs}
    for issue_dir in sorted((workspace / "issues").iterdir()):
        meta_path = issue_dir / "issue.toml"
        if not meta_path.is_file():
            continue
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        number, date = meta["number"], meta["date"]
        for lang in langs:
            src, kind = issue_dir / f"{lang}.md", "full"
            if not src.is_file():
                src, kind = issue_dir / f"{lang}.teaser.md", "teaser"
                if not src.is_file():
                    continue
            fields, body = parse_front_matter(src.read_text(encoding="utf-8").replace("\r\n", "\n"))
            title = fields.get("title")
            if not title:
                m = re.match(r"\s*#\s+(.+)\n", body)
                if m:
                    title, body = m.group(1).strip(), body[m.end() :]
                else:
                    title = f"{names.get(lang, names.get(primary, ''))} #{number}"
            pub = str(fields.get("pubDate") or fields.get("date") or date)[:10]
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub):
                pub = date
            head = [f"title: {json.dumps(title, ensure_ascii=False)}", f"date: {pub}"]
            for key in ("author", "description"):
                if fields.get(key):
                    head.append(f"{key}: {json.dumps(fields[key], ensure_ascii=False)}")
            dest = out / "content" / lang / "issues" / f"{number}.md"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text("---\n" + "\n".join(head) + "\n---\n" + body.lstrip("\n"), encoding="utf-8")
            counts[lang][kind] += 1
    langs = [l for l in langs if sum(counts[l].values())]
    site_name = lambda l: names.get(l) or names.get(primary) or "Weekly"
    for lang in langs:
        for rel, title in (("_index.md", site_name(lang)), ("issues/_index.md", ARCHIVE.get(lang, "Archive"))):
            (out / "content" / lang / rel).write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n", encoding="utf-8")
        i18n = out / "i18n" / f"{lang}.toml"
        i18n.parent.mkdir(parents=True, exist_ok=True)
        i18n.write_text(f'archive = {json.dumps(ARCHIVE.get(lang, "Archive"), ensure_ascii=False)}\n', encoding="utf-8")
    base = config.get("base_url", "https://weekly.example.org").rstrip("/") + "/"
    cfg = [
        f"baseURL = {json.dumps(base)}",
        f"title = {json.dumps(site_name(primary), ensure_ascii=False)}",
        f"defaultContentLanguage = {json.dumps(primary)}",
        "defaultContentLanguageInSubdir = true",
        'disableKinds = ["taxonomy", "term"]',
        "rssLimit = 50",
        "",
        "[outputs]",
        'home = ["HTML", "RSS"]',
        'section = ["HTML", "RSS"]',
        "",
        "[permalinks]",
        'issues = "/:filename/"',
        "",
        "[markup.goldmark.renderer]",
        "unsafe = true",
        "[markup.highlight]",
        "codeFences = false",
        "",
    ]
    for weight, lang in enumerate(langs, 1):
        cfg += [
            f"[languages.{lang}]",
            f"languageName = {json.dumps(lang)}",
            f"languageCode = {json.dumps(lang)}",
            f"title = {json.dumps(site_name(lang), ensure_ascii=False)}",
            f"contentDir = {json.dumps('content/' + lang)}",
            f"weight = {weight}",
            "",
        ]
    (out / "config.toml").write_text("\n".join(cfg), encoding="utf-8")
    for rel, text in LAYOUTS.items():
        path = out / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    summary = ", ".join(f"{l}: {c['full']} full + {c['teaser']} teaser" for l, c in counts.items() if l in langs)
    print(f"hugo site `{out}`: {summary}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n\n")[-2])
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
