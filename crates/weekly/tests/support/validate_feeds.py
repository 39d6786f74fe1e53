#!/usr/bin/env python3
"""Validates the feeds of a built site: for each language given, `feed.xml` (RSS 2.0),
`atom.xml` (Atom 1.0) and `feed.json` (JSON Feed 1.1).

- RSS and Atom must parse in feedparser with `bozo` 0 and the right version, and carry the
  elements their specifications require (RSS: channel title/link/description, item
  title/link/guid/pubDate as RFC 822; Atom: feed id/title/updated/author, entry
  id/title/updated/alternate link, dates as RFC 3339).
- JSON Feed (feedparser 6.0 does not read it) is checked against the 1.1 rules: version URL,
  title, items with a unique string id, content_html or content_text, RFC 3339 dates,
  absolute URLs.

Usage: validate_feeds.py SITE_DIR LANG... ; prints one line per feed, exits 1 on a problem.
"""
import datetime
import email.utils
import json
import sys
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


def rfc3339(text):
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return "T" in text
    except ValueError:
        return False


def check_rss(path):
    d = feedparser.parse(path)
    need(d.bozo == 0, f"{path}: feedparser bozo: {d.get('bozo_exception')}")
    need(d.version == "rss20", f"{path}: version {d.version!r}")
    channel = ET.parse(path).getroot().find("channel")
    for tag in ("title", "link", "description"):
        need(channel.findtext(tag), f"{path}: channel <{tag}> missing")
    items = channel.findall("item")
    need(items, f"{path}: no items")
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            need(item.findtext(tag), f"{path}: item <{tag}> missing")
        need(email.utils.parsedate_to_datetime(item.findtext("pubDate")) is not None,
             f"{path}: bad pubDate")
    return len(items)


def check_atom(path):
    d = feedparser.parse(path)
    need(d.bozo == 0, f"{path}: feedparser bozo: {d.get('bozo_exception')}")
    need(d.version == "atom10", f"{path}: version {d.version!r}")
    feed = ET.parse(path).getroot()
    need(feed.tag == ATOM + "feed", f"{path}: root is {feed.tag}")
    for tag in ("id", "title", "updated"):
        need(feed.findtext(ATOM + tag), f"{path}: feed <{tag}> missing")
    need(rfc3339(feed.findtext(ATOM + "updated") or ""), f"{path}: feed <updated> not RFC 3339")
    need(feed.find(ATOM + "author/" + ATOM + "name") is not None, f"{path}: feed author missing")
    need(any(l.get("rel") == "self" for l in feed.findall(ATOM + "link")), f"{path}: no rel=self")
    entries = feed.findall(ATOM + "entry")
    need(entries, f"{path}: no entries")
    ids = set()
    for entry in entries:
        for tag in ("id", "title", "updated"):
            need(entry.findtext(ATOM + tag), f"{path}: entry <{tag}> missing")
        need(rfc3339(entry.findtext(ATOM + "updated") or ""), f"{path}: entry <updated> not RFC 3339")
        ids.add(entry.findtext(ATOM + "id"))
        links = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        need(links and links[0].get("href", "").startswith("http"), f"{path}: entry without alternate link")
    need(len(ids) == len(entries), f"{path}: entry ids not unique")
    return len(entries)


def check_json(path):
    with open(path, encoding="utf-8") as f:
        feed = json.load(f)
    need(feed.get("version") == "https://jsonfeed.org/version/1.1", f"{path}: version")
    need(isinstance(feed.get("title"), str) and feed["title"], f"{path}: title")
    for key in ("home_page_url", "feed_url"):
        need(str(feed.get(key, "")).startswith("http"), f"{path}: {key} not absolute")
    items = feed.get("items")
    need(isinstance(items, list) and items, f"{path}: no items")
    ids = set()
    for item in items or []:
        need(isinstance(item.get("id"), str) and item["id"], f"{path}: item id must be a string")
        ids.add(item.get("id"))
        need(item.get("content_html") or item.get("content_text"), f"{path}: item without content")
        need(rfc3339(item.get("date_published", "")), f"{path}: date_published not RFC 3339")
        need(str(item.get("url", "")).startswith("http"), f"{path}: item url not absolute")
    need(len(ids) == len(items or []), f"{path}: item ids not unique")
    return len(items or [])


def main():
    site, langs = sys.argv[1], sys.argv[2:]
    for lang in langs:
        for name, check in (("feed.xml", check_rss), ("atom.xml", check_atom), ("feed.json", check_json)):
            path = f"{site}/{lang}/{name}"
            before = len(problems)
            n = check(path)
            print(f"{'ok' if len(problems) == before else 'FAIL'}: {lang}/{name}: {n} items")
    for p in problems:
        print("problem:", p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
