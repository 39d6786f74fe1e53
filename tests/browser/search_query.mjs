// Runs the site's own search script (SITE/assets/search.js, the core `weeklySearch`) in Node
// over the index files of one language, the way the search page does in a browser.
//
//   node tests/browser/search_query.mjs SITE_DIR LANG < queries.json
//
// queries.json: a JSON array of query strings. Prints a JSON array, one object per query:
//   { "query", "urls": [every result's entry URL, best first],
//     "bytes": bytes of the files a reader's browser fetches to show the first page of
//              results (meta.json, the token files of the query, the rows of that page),
//     "files": how many files that is }
// Files are read from disk; a missing file fails the run like an HTTP error fails the page.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [siteArg, lang] = process.argv.slice(2);
if (!siteArg || !lang) {
  console.error('usage: node tests/browser/search_query.mjs SITE_DIR LANG < queries.json');
  process.exit(2);
}
const site = fs.realpathSync(siteArg);
vm.runInThisContext(fs.readFileSync(path.join(site, 'assets/search.js'), 'utf8'), { filename: 'search.js' });
const search = globalThis.weeklySearch;
const dir = path.join(site, lang, 'search', 'index');
const queries = JSON.parse(fs.readFileSync(0, 'utf8'));

// A loader like the page's: each file read once, its size counted once.
function loader() {
  const cache = new Map();
  let bytes = 0;
  const load = (name) => {
    if (!cache.has(name)) {
      cache.set(name, fs.promises.readFile(path.join(dir, name)).then((buf) => {
        bytes += buf.length;
        return JSON.parse(buf.toString('utf8'));
      }));
    }
    return cache.get(name);
  };
  return { load, bytes: () => bytes, files: () => cache.size };
}

const out = [];
for (const query of queries) {
  // What a reader fetches: the query and the first page of rows.
  const page = loader();
  const result = await search.find(query, page.load);
  const first = result.found.slice(0, search.PER_PAGE).map((f) => f[0]);
  await search.rows(result.meta, first, page.load);
  const bytes = page.bytes(), files = page.files();
  // Every result's URL (the rows of all pages), for comparing with a scan.
  const all = await search.rows(result.meta, result.found.map((f) => f[0]), loader().load);
  out.push({ query, urls: all.map((row) => row[3]), bytes, files });
}
process.stdout.write(JSON.stringify(out));
