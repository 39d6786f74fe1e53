// For bench/search.sh: the names of the index files our search page fetches to show the first
// page of results of each query — the same steps as tests/browser/search_query.mjs (which
// gives the results and their byte total), so that the bench can also count those files
// gzip-compressed, as a server with compression would send them.
//
//   node bench/search_ours_files.mjs SITE_DIR LANG < queries.json
//
// Prints a JSON array, one object per query: { "query", "files": [names under LANG/search/index/] }.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const [siteArg, lang] = process.argv.slice(2);
const site = fs.realpathSync(siteArg);
vm.runInThisContext(fs.readFileSync(path.join(site, 'assets/search.js'), 'utf8'), { filename: 'search.js' });
const search = globalThis.weeklySearch;
const dir = path.join(site, lang, 'search', 'index');
const queries = JSON.parse(fs.readFileSync(0, 'utf8'));

const out = [];
for (const query of queries) {
  const cache = new Map();
  const load = (name) => {
    if (!cache.has(name)) {
      cache.set(name, fs.promises.readFile(path.join(dir, name), 'utf8').then(JSON.parse));
    }
    return cache.get(name);
  };
  const result = await search.find(query, load);
  await search.rows(result.meta, result.found.slice(0, search.PER_PAGE).map((f) => f[0]), load);
  out.push({ query, files: [...cache.keys()] });
}
process.stdout.write(JSON.stringify(out));
