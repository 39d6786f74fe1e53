// Live reload of `weekly serve` in a real headless Chromium (Debian's /usr/bin/chromium driven
// by playwright-core).
//
//   node tests/browser/live.mjs ORIGIN PAGE_PATH FILE OLD NEW
//
// ORIGIN is a running `weekly serve` (http://127.0.0.1:PORT). The script opens ORIGIN+PAGE_PATH
// and checks that its <h1> shows OLD; then, with the page left alone, it replaces OLD by NEW
// in FILE (an issue file of the served workspace) and waits until the page has reloaded by
// itself and its <h1> shows NEW. No page may log a console error or throw, and no request may
// answer 4xx/5xx. Prints `ok: ...` per step and exits 0, or `FAIL: ...` and exits 1. Whole run:
// 45 s at most.

import fs from 'node:fs';
import { launch } from './chromium.mjs';

const [ORIGIN, PAGE_PATH, FILE, OLD, NEW] = process.argv.slice(2);
if (!ORIGIN || !PAGE_PATH || !FILE || !OLD || !NEW) {
  console.error('usage: node tests/browser/live.mjs ORIGIN PAGE_PATH FILE OLD NEW');
  process.exit(2);
}
const problems = [];
let closeBrowser;

async function run() {
  const browser = await launch();
  closeBrowser = browser.close;
  const context = browser.context;
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') {
      problems.push(`HTTP ${r.status()} for ${r.url()}`);
    }
  });
  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(ORIGIN + PAGE_PATH);
  const before = await page.locator('h1').first().textContent();
  if (!before.includes(OLD)) throw new Error(`<h1> is "${before}", not "${OLD}"`);
  console.log(`ok: ${PAGE_PATH} shows "${OLD}"`);
  // Give the page's script time to start its wait, then edit the issue file.
  await page.waitForTimeout(300);
  const text = fs.readFileSync(FILE, 'utf8');
  if (!text.includes(OLD)) throw new Error(`${FILE} does not hold "${OLD}"`);
  fs.writeFileSync(FILE, text.replaceAll(OLD, NEW));
  await page.waitForEvent('load', { timeout: 20_000 });
  await page.waitForLoadState('domcontentloaded');
  const after = await page.locator('h1').first().textContent();
  if (!after.includes(NEW)) throw new Error(`after the reload <h1> is "${after}", not "${NEW}"`);
  console.log(`ok: the page reloaded by itself (${loads} loads) and shows "${NEW}"`);
}

const timer = setTimeout(() => { console.log('FAIL: the run took over 45 s'); process.exit(1); }, 45_000);
let failed = false;
try {
  await run();
} catch (e) {
  console.log(`FAIL: ${e.message}`);
  failed = true;
} finally {
  if (closeBrowser) await closeBrowser();
  clearTimeout(timer);
}
for (const p of problems) console.log(`FAIL: ${p}`);
process.exit(failed || problems.length ? 1 : 0);
