// weekly: the search page's script. It cuts the query by the rules `weekly build` cut the
// entries with (crates/weekly-site/src/search.rs): words of letters and digits, lower-cased
// (two or more characters also find words they start), and runs of CJK characters, found
// exactly through each character's positions. It fetches only the index files of the query's
// terms, keeps the entries holding every term, ranks title hits and newer issues first, and
// shows one page of results at a time (reading only that page's rows). No other requests, no
// dependencies. The core (`weeklySearch`) also runs in Node for the tests.
(function (root) {
  "use strict";
  var WORD_CHARS = 40;
  var PER_PAGE = 20;

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) ||
      (n >= 0xac00 && n <= 0xd7af) || (n >= 0x20000 && n <= 0x2ffff);
  }
  var wordRe = /^[\p{Alphabetic}\p{N}]$/u;
  function isWordChar(c) { return wordRe.test(c) && !isCjk(c); }

  // The terms of a query, each once: {word: "asyncio"} or {cjk: "异步"}.
  function terms(query) {
    var out = [], seen = new Set(), word = "", chars = 0, run = "";
    function push(kind, text) {
      var key = kind + ":" + text;
      if (!seen.has(key)) { seen.add(key); var t = {}; t[kind] = text; out.push(t); }
    }
    for (var c of query) {
      if (isWordChar(c)) {
        if (chars < WORD_CHARS) word += c.toLowerCase();
        chars++;
      } else if (chars > 0) { push("word", word); word = ""; chars = 0; }
      if (isCjk(c)) run += c;
      else if (run) { push("cjk", run); run = ""; }
    }
    if (chars > 0) push("word", word);
    if (run) push("cjk", run);
    return out;
  }

  // Index of the token file holding `token`: the last whose first token is <= it.
  function chunkOf(firsts, token) {
    var lo = 0, hi = firsts.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= token) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }

  // Word postings: Map doc -> in title (0/1).
  function wordDocs(list, into) {
    var doc = 0;
    for (var i = 0; i < list.length; i++) {
      doc += list[i] >> 1;
      into.set(doc, (into.get(doc) || 0) | (list[i] & 1));
    }
  }
  // Character postings: Map doc -> [title positions, text positions].
  function cjkDocs(list) {
    var out = new Map(), doc = 0, i = 0;
    while (i < list.length) {
      doc += list[i];
      var t = list[i + 1], b = list[i + 2];
      i += 3;
      var fields = [];
      for (var count of [t, b]) {
        var at = 0, positions = new Set();
        for (var k = 0; k < count; k++) { at += list[i + k]; positions.add(at); }
        i += count;
        fields.push(positions);
      }
      out.set(doc, fields);
    }
    return out;
  }

  // Finds `query` in the index that `load(name)` (a Promise of parsed JSON) reads.
  // Resolves to {meta, found: [[doc, score], …] best first}.
  function find(query, load) {
    var list = terms(query);
    return load("meta.json").then(function (meta) {
      if (!list.length || !meta.chunks.length) return { meta: meta, found: [] };
      var firsts = meta.chunks;
      function tokenList(token) {
        return load("t-" + chunkOf(firsts, token) + ".json").then(function (chunk) {
          return Object.prototype.hasOwnProperty.call(chunk, token) ? chunk[token] : null;
        });
      }
      return Promise.all(list.map(function (term) {
        if (term.word !== undefined) {
          var w = term.word, hits = new Map();
          if (Array.from(w).length === 1) {
            return tokenList(w).then(function (l) { if (l) wordDocs(l, hits); return hits; });
          }
          // Every file the prefix's range spans.
          var start = chunkOf(firsts, w), names = [start];
          for (var n = start + 1; n < firsts.length && firsts[n].startsWith(w); n++) names.push(n);
          return Promise.all(names.map(function (n) { return load("t-" + n + ".json"); })).then(function (chunks) {
            for (var chunk of chunks) {
              for (var token in chunk) if (token.startsWith(w)) wordDocs(chunk[token], hits);
            }
            return hits;
          });
        }
        var chars = Array.from(term.cjk);
        return Promise.all(chars.map(tokenList)).then(function (lists) {
          var hits = new Map();
          if (lists.some(function (l) { return !l; })) return hits;
          var per = lists.map(cjkDocs);
          per[0].forEach(function (fields, doc) {
            var inTitle = 0, found = false;
            for (var f = 0; f < 2; f++) {
              var ok = false;
              for (var p of fields[f]) {
                var all = true;
                for (var k = 1; k < per.length && all; k++) {
                  var other = per[k].get(doc);
                  all = !!other && other[f].has(p + k);
                }
                if (all) { ok = true; break; }
              }
              if (ok) { found = true; if (f === 0) inTitle = 1; }
            }
            if (found) hits.set(doc, inTitle);
          });
          return hits;
        });
      })).then(function (perTerm) {
        var found = [];
        perTerm[0].forEach(function (title, doc) {
          var score = title;
          for (var i = 1; i < perTerm.length; i++) {
            if (!perTerm[i].has(doc)) return;
            score += perTerm[i].get(doc);
          }
          found.push([doc, score]);
        });
        found.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
        return { meta: meta, found: found };
      });
    });
  }

  // The rows (issue, section, title, URL, text) of `docs`, in that order.
  function rows(meta, docs, load) {
    return Promise.all(docs.map(function (doc) {
      return load("d-" + Math.floor(doc / meta.rows) + ".json").then(function (r) {
        return r[doc % meta.rows];
      });
    }));
  }

  root.weeklySearch = { terms: terms, find: find, rows: rows, PER_PAGE: PER_PAGE };
  if (typeof document === "undefined") return;

  var list = document.querySelector("ol.search-results");
  if (!list) return;
  var status = document.getElementById("search-status");
  var pager = document.getElementById("search-pages");
  var base = list.getAttribute("data-index");
  var params = new URLSearchParams(location.search);
  var query = params.get("q") || "";
  var page = Math.max(1, parseInt(params.get("p") || "1", 10) || 1);
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  var header = document.querySelector("form.search input[name=q]");
  if (header) header.value = query;
  if (!query.trim()) return;

  var cache = {};
  function load(name) {
    if (!cache[name]) cache[name] = fetch(base + name).then(function (r) {
      if (!r.ok) throw new Error(name + ": HTTP " + r.status);
      return r.json();
    });
    return cache[name];
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function snippet(text, needles) {
    var lower = text.toLowerCase(), at = -1, len = 0;
    for (var w of needles) { var i = lower.indexOf(w); if (i >= 0) { at = i; len = w.length; break; } }
    if (at < 0) return escapeHtml(text.slice(0, 120)) + (text.length > 120 ? "…" : "");
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + len + 80);
    return (start > 0 ? "…" : "") + escapeHtml(text.slice(start, at)) + "<mark>" +
      escapeHtml(text.slice(at, at + len)) + "</mark>" + escapeHtml(text.slice(at + len, end)) +
      (end < text.length ? "…" : "");
  }
  function pageHref(n) {
    var p = new URLSearchParams({ q: query });
    if (n > 1) p.set("p", String(n));
    return "?" + p.toString();
  }

  var needles = terms(query).map(function (t) { return t.word !== undefined ? t.word : t.cjk; });
  status.textContent = "…";
  find(query, load).then(function (result) {
    var found = result.found, pages = Math.max(1, Math.ceil(found.length / PER_PAGE));
    if (page > pages) page = pages;
    var shown = found.slice((page - 1) * PER_PAGE, page * PER_PAGE).map(function (f) { return f[0]; });
    return rows(result.meta, shown, load).then(function (r) { return [found.length, pages, r]; });
  }).then(function (result) {
    var total = result[0], pages = result[1], shownRows = result[2];
    list.innerHTML = "";
    list.start = (page - 1) * PER_PAGE + 1;
    for (var row of shownRows) {
      var li = document.createElement("li");
      li.innerHTML = '<a href="' + escapeHtml(row[3]) + '">#' + row[0] + " · " +
        (row[1] ? escapeHtml(row[1]) + " · " : "") +
        escapeHtml(row[2]) + '</a><span class="snippet">' + snippet(row[4] || row[2], needles) + "</span>";
      list.appendChild(li);
    }
    status.textContent = total ? total + " " + list.getAttribute("data-count") : list.getAttribute("data-none");
    status.setAttribute("data-total", String(total));
    if (pager && pages > 1) {
      var html = "";
      if (page > 1) html += '<a rel="prev" href="' + escapeHtml(pageHref(page - 1)) + '">' + escapeHtml(pager.getAttribute("data-prev")) + "</a> ";
      for (var n = 1; n <= pages; n++) {
        if (n !== 1 && n !== pages && Math.abs(n - page) > 3) { if (n === 2 || n === pages - 1) html += "<span>…</span> "; continue; }
        html += n === page ? '<span aria-current="page">' + n + "</span> " : '<a href="' + escapeHtml(pageHref(n)) + '">' + n + "</a> ";
      }
      if (page < pages) html += '<a rel="next" href="' + escapeHtml(pageHref(page + 1)) + '">' + escapeHtml(pager.getAttribute("data-next")) + "</a>";
      pager.innerHTML = html;
      pager.hidden = false;
    }
  }).catch(function (error) {
    status.textContent = String(error);
  });
})(typeof globalThis !== "undefined" ? globalThis : this);
