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

With `--theme blog` the site gets instead the layouts, taxonomy, search index and pagination
of a usual Hugo blog theme (see BLOG_LAYOUTS).

Usage: bench/hugo_site.py [--theme minimal|blog] WORKSPACE HUGO_DIR
       (HUGO_DIR is created or replaced)
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

# The "blog" theme: what a Hugo blog theme of the kind newsletters use (PaperMod, Stack,
# Ananke…) makes of the same issues. Every page has Open Graph and Twitter meta (Hugo's
# internal templates), a description, a link to its season, and prev/next; lists (archive, seasons, home) are paginated 10 a page with
# summaries; each language gets a season taxonomy (a page per season), a search page and its
# JSON index of every issue's plain text (the Fuse.js pattern), and RSS for home, archive and
# every season. Each of these has a counterpart in what `weekly build` makes, which makes more
# (dashboard, section pages, word clouds, Atom, JSON Feed); what many themes also show and
# `weekly build` does not make (related posts, a table of contents, reading time) is left out.
BLOG_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
{{ template "_internal/opengraph.html" . }}
{{ template "_internal/twitter_cards.html" . }}
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}" title="{{ $.Site.Title }}">
{{ end }}{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<header><a class="brand" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav><a href="{{ "issues/" | relLangURL }}">{{ i18n "archive" | default "Archive" }}</a>
 · <a href="{{ "seasons/" | relLangURL }}">Seasons</a>
 · <a href="{{ "search/" | relLangURL }}">Search</a>
{{ range .Site.Home.AllTranslations }} · <a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>© {{ now.Year }} {{ .Site.Title }} · <a href="{{ "index.xml" | relLangURL }}">RSS</a></footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ with .Params.author }} · {{ . }}{{ end }}
{{ range .GetTerms "seasons" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
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
{{ $paginator := .Paginate .Pages.ByDate.Reverse }}
{{ range $paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2006-01-02" }}</time><p>{{ .Summary | plainify | truncate 200 }}</p></article>
{{ end }}
{{ template "_internal/pagination.html" . }}
{{ end }}
""",
    "_default/search.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<form role="search"><input type="search" name="q" aria-label="{{ .Title }}"></form>
<ol class="search-results" data-index="{{ "index.json" | relLangURL }}"></ol>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ $issues := where .Site.RegularPages "Section" "issues" }}
{{ $paginator := .Paginate $issues.ByDate.Reverse }}
{{ range $paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2006-01-02" }}</time>
<p>{{ .Summary | plainify | truncate 160 }}</p></article>
{{ end }}
{{ template "_internal/pagination.html" . }}
<p><a href="{{ "issues/" | relLangURL }}">{{ len $issues }} issues</a></p>
{{ end }}
""",
    "index.json": """{{- $index := slice -}}
{{- range where .Site.RegularPages "Section" "issues" -}}
{{- $index = $index | append (dict "title" .Title "url" .RelPermalink "date" (.Date.Format "2006-01-02") "seasons" .Params.seasons "content" .Plain) -}}
{{- end -}}
{{- $index | jsonify -}}
""",
}

BLOG_CSS = """body { font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header, footer { padding: 1rem 0; } .meta { color: #666; }
@media (prefers-color-scheme: dark) { body { background: #16181b; color: #e6e6e3; } }
"""

ARCHIVE = {"zh": "往期", "en": "Archive", "ja": "バックナンバー"}


def parse_front_matter(text):
    """(fields, body) of a `---` YAML block of `key: value` lines; ({}, text) without one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return parse_field_lines(text)
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


def parse_field_lines(text):
    """(fields, body) of `Key: value` header lines up to the first blank line (Pelican), keys
    lower-cased; ({}, text) when the first lines are not such a header."""
    lines = text.split("\n")
    fields = {}
    for end, line in enumerate(lines):
        if not line.strip():
            break
        m = re.match(r"^([A-Za-z][\w-]*):\s*(.*)$", line)
        if not m:
            return {}, text
        fields[m.group(1).lower()] = m.group(2).strip()
    else:
        return {}, text
    if "title" not in fields and "date" not in fields:
        return {}, text
    return fields, "\n".join(lines[end + 1 :])


def convert(workspace, out, theme="minimal"):
    blog = theme == "blog"
    config = tomllib.loads((workspace / "weekly.toml").read_text(encoding="utf-8"))
    season_length = int(config.get("season_length", 30)) or 30
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
            if blog:
                head.append(f'seasons: ["S{(int(number) - 1) // season_length + 1}"]')
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
        if blog:
            (out / "content" / lang / "search.md").write_text("---\ntitle: Search\nlayout: search\n---\n", encoding="utf-8")
        i18n = out / "i18n" / f"{lang}.toml"
        i18n.parent.mkdir(parents=True, exist_ok=True)
        i18n.write_text(f'archive = {json.dumps(ARCHIVE.get(lang, "Archive"), ensure_ascii=False)}\n', encoding="utf-8")
    base = config.get("base_url", "https://weekly.example.org").rstrip("/") + "/"
    cfg = [
        f"baseURL = {json.dumps(base)}",
        f"title = {json.dumps(site_name(primary), ensure_ascii=False)}",
        f"defaultContentLanguage = {json.dumps(primary)}",
        "defaultContentLanguageInSubdir = true",
        "rssLimit = 50",
    ]
    if blog:
        cfg += [
            "paginate = 10",
            "",
            "[taxonomies]",
            'season = "seasons"',
            "",
            "[outputs]",
            'home = ["HTML", "RSS", "JSON"]',
            'section = ["HTML", "RSS"]',
            'taxonomy = ["HTML"]',
            'term = ["HTML", "RSS"]',
            "",
        ]
    else:
        cfg += [
            'disableKinds = ["taxonomy", "term"]',
            "",
            "[outputs]",
            'home = ["HTML", "RSS"]',
            'section = ["HTML", "RSS"]',
            "",
        ]
    cfg += [
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
    for rel, text in (BLOG_LAYOUTS if blog else LAYOUTS).items():
        path = out / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if blog:
        css = out / "static" / "css" / "site.css"
        css.parent.mkdir(parents=True, exist_ok=True)
        css.write_text(BLOG_CSS, encoding="utf-8")
    summary = ", ".join(f"{l}: {c['full']} full + {c['teaser']} teaser" for l, c in counts.items() if l in langs)
    print(f"hugo site `{out}` ({theme} theme): {summary}", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    theme = "minimal"
    if len(args) == 4 and args[0] == "--theme" and args[1] in ("minimal", "blog"):
        theme, args = args[1], args[2:]
    if len(args) != 2:
        sys.exit(__doc__.strip().split("\n\n")[-2])
    convert(Path(args[0]), Path(args[1]), theme)
