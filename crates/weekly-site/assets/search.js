// weekly: the search page's script. It cuts the query the way `weekly build` cut the entries
// (lower-case ASCII words; pairs of neighbouring CJK characters, a lone one alone), fetches only
// the index shards those tokens live in, keeps the entries holding every token (ASCII words also
// match as prefixes: `async` finds `asyncio`), ranks title hits and newer issues first, and lists
// issue, section and title, each linking to the entry. No other requests, no dependencies.
(function () {
  "use strict";
  var list = document.querySelector("ol.search-results");
  if (!list) return;
  var status = document.getElementById("search-status");
  var base = list.getAttribute("data-index");
  var query = new URLSearchParams(location.search).get("q") || "";
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  var header = document.querySelector("form.search input[name=q]");
  if (header) header.value = query;
  if (!query.trim()) return;

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) ||
      (n >= 0xac00 && n <= 0xd7af) || (n >= 0x20000 && n <= 0x2ffff);
  }
  function isAscii(c) { return /^[A-Za-z0-9]$/.test(c); }
  function tokens(text) {
    var out = [], latin = "", cjk = [];
    function flushCjk() {
      if (cjk.length === 1) out.push(cjk[0]);
      for (var i = 0; i + 1 < cjk.length; i++) out.push(cjk[i] + cjk[i + 1]);
      cjk = [];
    }
    function flushLatin() { if (latin && latin.length <= 40) out.push(latin); latin = ""; }
    for (var c of text) {
      if (isAscii(c)) { if (cjk.length) flushCjk(); latin += c.toLowerCase(); }
      else { flushLatin(); if (isCjk(c)) cjk.push(c); else if (cjk.length) flushCjk(); }
    }
    flushLatin(); if (cjk.length) flushCjk();
    return out;
  }
  function shardKey(token) {
    var first = token[0];
    if (isAscii(first)) return first;
    return "c" + (token.codePointAt(0) % 32);
  }
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
  function snippet(text, words) {
    var lower = text.toLowerCase(), at = -1, len = 0;
    for (var w of words) { var i = lower.indexOf(w.toLowerCase()); if (i >= 0) { at = i; len = w.length; break; } }
    if (at < 0) return escapeHtml(text.slice(0, 120)) + (text.length > 120 ? "…" : "");
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + len + 80);
    return (start > 0 ? "…" : "") + escapeHtml(text.slice(start, at)) + "<mark>" +
      escapeHtml(text.slice(at, at + len)) + "</mark>" + escapeHtml(text.slice(at + len, end)) +
      (end < text.length ? "…" : "");
  }

  var terms = Array.from(new Set(tokens(query)));
  var words = query.split(/\s+/).filter(Boolean);
  status.textContent = "…";
  load("meta.json").then(function (meta) {
    var known = new Set(meta.shards);
    return Promise.all(terms.map(function (term) {
      var key = shardKey(term);
      if (!known.has(key)) return new Map();
      return load("t-" + key + ".json").then(function (shard) {
        var hits = new Map();
        var prefix = isAscii(term[0]) && term.length >= 2;
        for (var token in shard) {
          if (token === term || (prefix && token.startsWith(term))) {
            for (var p of shard[token]) {
              var doc = p >> 1;
              hits.set(doc, (hits.get(doc) || 0) | (p & 1));
            }
          }
        }
        return hits;
      });
    })).then(function (perTerm) {
      var found = [];
      if (perTerm.length) {
        perTerm[0].forEach(function (title, doc) {
          var score = title;
          for (var i = 1; i < perTerm.length; i++) {
            if (!perTerm[i].has(doc)) return;
            score += perTerm[i].get(doc);
          }
          found.push([doc, score]);
        });
      }
      found.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
      var top = found.slice(0, 50);
      var chunks = Array.from(new Set(top.map(function (f) { return Math.floor(f[0] / meta.chunk); })));
      return Promise.all(chunks.map(function (c) { return load("d-" + c + ".json"); })).then(function () {
        return Promise.all(top.map(function (f) {
          return load("d-" + Math.floor(f[0] / meta.chunk) + ".json").then(function (rows) {
            return rows[f[0] % meta.chunk];
          });
        }));
      }).then(function (rows) { return [found.length, rows]; });
    });
  }).then(function (result) {
    var total = result[0], rows = result[1];
    list.innerHTML = "";
    for (var row of rows) {
      var li = document.createElement("li");
      li.innerHTML = '<a href="' + escapeHtml(row[3]) + '">#' + row[0] + " · " + escapeHtml(row[1]) +
        " · " + escapeHtml(row[2]) + '</a><span class="snippet">' + snippet(row[4] || row[2], words) + "</span>";
      list.appendChild(li);
    }
    status.textContent = total ? total + " " + list.getAttribute("data-count") : list.getAttribute("data-none");
  }).catch(function (error) {
    status.textContent = String(error);
  });
})();
