// Pagefind's side of bench/search.sh: runs Pagefind's own browser search (pagefind.js, its
// worker and wasm) in Debian's headless Chromium (playwright-core from tests/browser) over a
// site that `pagefind` has indexed into SITE_DIR/pagefind/, served by a small static server on
// 127.0.0.1 that counts the body bytes of every response it sends.
//
//   node bench/search_peer.mjs SITE_DIR < queries.json > results.json
//
// queries.json: a JSON array of query strings. For each query a new page (nothing cached: every
// response is `Cache-Control: no-store`) opens an empty page of the server and runs
//   const pf = await import('/pagefind/pagefind.js'); await pf.init(); const r = await pf.search(q);
// then `data()` of the first 5 results (what Pagefind's UI shows first), then of results 6–20
// (a page of 20, as our search shows), then of all results (for recall; not counted). Prints a
// JSON array, one object per query:
//   { "query", "count": results, "urls": [every result's page URL, best first],
//     "search": {"code", "data", "files"}   bytes served for import + init + search,
//     "first5": {…}, "first20": {…}         bytes served up to and including those data() calls
//   } where "code" is pagefind.js, pagefind-worker.js and the wasm, "data" everything else
// (pagefind-entry.json, the .pf_meta, .pf_index chunks and .pf_fragment files).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { launch } from '../tests/browser/chromium.mjs';

const [siteArg] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node bench/search_peer.mjs SITE_DIR < queries.json');
  process.exit(2);
}
const SITE = fs.realpathSync(siteArg);
const queries = JSON.parse(fs.readFileSync(0, 'utf8'));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.css': 'text/css; charset=utf-8',
};
const BLANK = Buffer.from('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>');

let served = []; // [urlPath, bytes] of every 200 response since the last reset
const server = http.createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  const reply = (status, type, body) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  if (urlPath === '/__bench.html') return reply(200, TYPES['.html'], BLANK);
  const file = path.resolve(SITE, '.' + (urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath));
  if (!file.startsWith(SITE + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return reply(404, 'text/plain', Buffer.from('404\n'));
  }
  const body = fs.readFileSync(file);
  served.push([urlPath, body.length]);
  reply(200, TYPES[path.extname(file)] ?? 'application/octet-stream', body);
});

const isCode = (p) => /^\/pagefind\/(pagefind\.js|pagefind-worker\.js|wasm\.[^/]*)$/.test(p);
function tally() {
  const t = { code: 0, data: 0, files: served.length };
  for (const [p, n] of served) t[isCode(p) ? 'code' : 'data'] += n;
  return t;
}

await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const { context, close } = await launch();
const errors = [];
const out = [];
try {
  for (const query of queries) {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => errors.push(`${query}: ${e.message}`));
    await page.goto(origin + '/__bench.html');
    served = [];
    const count = await page.evaluate(async (q) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      window.__pf = pf;
      window.__r = await pf.search(q);
      return window.__r.results.length;
    }, query);
    const search = tally();
    await page.evaluate(() => Promise.all(window.__r.results.slice(0, 5).map((x) => x.data())));
    const first5 = tally();
    await page.evaluate(() => Promise.all(window.__r.results.slice(0, 20).map((x) => x.data())));
    const first20 = tally();
    const urls = await page.evaluate(async () =>
      (await Promise.all(window.__r.results.map((x) => x.data()))).map((d) => d.url));
    await page.close();
    out.push({ query, count, urls, search, first5, first20 });
  }
} finally {
  await close();
  server.closeAllConnections?.();
  server.close();
}
if (errors.length) {
  console.error(`page errors:\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(out));
