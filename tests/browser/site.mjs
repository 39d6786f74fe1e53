// End-to-end check of the static site that `weekly build` writes, in a real
// headless Chromium (Debian's /usr/bin/chromium driven by playwright-core).
//
//   node tests/browser/site.mjs SITE_DIR SCREENSHOT_DIR WORD [ISSUE]
//
// It serves SITE_DIR itself on 127.0.0.1 (random port) and checks, as a reader would:
//   1. home: `/` has <html lang>; `a.latest-issue` leads to `/<lang>/<number>/`, which has an h1;
//   2. language: on the zh issue (`/zh/ISSUE/` if ISSUE is given, else the latest one)
//      `a.lang-switch[hreflang="en"]` leads to `/en/<same number>/`, whose <html lang> starts
//      with "en" and which has <link rel="alternate" hreflang="zh">;
//   3. search: WORD typed into `form.search input[name="q"]` on a zh page + Enter leads to
//      `/zh/search/?q=WORD`, which fills `ol.search-results li a` within 10 s; the first
//      result (at least) shows WORD; clicking it lands on `/zh/<n>/#id`, whose element
//      exists, is visible and contains WORD.
// Throughout: every request must stay on the test server's origin (no external requests),
// no response may be 4xx/5xx, and no page may log a console error or throw.
// Screenshots (1280x900, plus a 390x844 one of the issue page) go to SCREENSHOT_DIR:
// home.png, issue.png, mobile.png, search.png, entry.png.
// Prints `ok: ...` per step and exits 0, or `FAIL: ...` and exits 1. Whole run: 60 s at most.

import fs from 'node:fs';
import path from 'node:path';
import { launch } from './chromium.mjs';
import { serveSite } from './static_server.mjs';

const [siteArg, shotArg, WORD, ISSUE] = process.argv.slice(2);
if (!siteArg || !shotArg || !WORD || (ISSUE !== undefined && !/^\d+$/.test(ISSUE))) {
  console.error('usage: node tests/browser/site.mjs SITE_DIR SCREENSHOT_DIR WORD [ISSUE]');
  process.exit(2);
}
const SITE = fs.realpathSync(siteArg);
const SHOTS = path.resolve(shotArg);
fs.mkdirSync(SHOTS, { recursive: true });
const TOTAL_MS = 60_000;
const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };
const ISSUE_PATH = /^\/([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\/(\d+)\/$/;

// ---- browser and checks -------------------------------------------------------------
const problems = []; // external requests, console errors, page errors, failed responses
let context, closeBrowser, server;

class Fail extends Error {}
const fail = (msg) => { throw new Fail(msg); };
function checkProblems(step) {
  if (problems.length) fail(`${step}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}
const pathOf = (page) => new URL(page.url()).pathname;
const contains = (text, word) => (text ?? '').toLowerCase().includes(word.toLowerCase());

function watch(page, origin) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${pathOf(page)}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error on ${pathOf(page)}: ${e.message}`));
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).host !== new URL(origin).host) problems.push(`external websocket: ${ws.url()}`);
  });
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (r.status() >= 400 && u.origin === origin && u.pathname !== '/favicon.ico') {
      problems.push(`HTTP ${r.status()} for ${u.pathname}`);
    }
  });
}

async function run() {
  server = await serveSite(SITE);
  const origin = server.origin;
  ({ context, close: closeBrowser } = await launch({ viewport: DESKTOP }));
  // Record every request; anything not on our own origin is a failure and is not let out.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (/^(https?|wss?):$/.test(u.protocol) && u.origin !== origin) {
      problems.push(`external request: ${route.request().method()} ${u.href}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('page', (p) => watch(p, origin));
  const page = context.pages()[0] ?? (await context.newPage());
  if (context.pages()[0] === page) watch(page, origin);
  page.setDefaultTimeout(15_000);
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });

  const open = async (urlPath) => {
    const r = await page.goto(origin + urlPath);
    if (r?.status() !== 200) fail(`GET ${urlPath}: HTTP ${r?.status()}`);
  };

  // Step 1: home page -> latest issue.
  await open('/');
  const homeLang = await page.locator('html').getAttribute('lang');
  if (!homeLang) fail('home: <html> has no lang attribute');
  await shot('home.png');
  const latest = page.locator('a.latest-issue').first();
  if (!(await latest.count())) fail('home: no a.latest-issue link');
  await latest.click();
  await page.waitForURL((u) => ISSUE_PATH.test(u.pathname));
  const [, issueLang, latestNo] = pathOf(page).match(ISSUE_PATH);
  if (!(await page.locator('h1').count())) fail(`issue ${pathOf(page)}: no h1`);
  await shot('issue.png');
  await page.setViewportSize(MOBILE);
  await shot('mobile.png');
  await page.setViewportSize(DESKTOP);
  checkProblems('step 1 (home)');
  console.log(`ok: home (lang=${homeLang}) -> latest issue ${pathOf(page)} with h1`);

  // Step 2: zh issue -> English edition.
  const number = ISSUE ?? latestNo;
  if (ISSUE || issueLang !== 'zh') await open(`/zh/${number}/`);
  const zhPath = pathOf(page);
  if (zhPath !== `/zh/${number}/`) fail(`language: expected /zh/${number}/, got ${zhPath}`);
  const toEn = page.locator('a.lang-switch[hreflang="en"]').first();
  if (!(await toEn.count())) {
    fail(`language: no a.lang-switch[hreflang="en"] on ${zhPath} (pass an ISSUE that has an English edition)`);
  }
  await toEn.click();
  await page.waitForURL((u) => u.pathname !== zhPath);
  if (pathOf(page) !== `/en/${number}/`) fail(`language: expected /en/${number}/, got ${pathOf(page)}`);
  const enLang = await page.evaluate(() => document.documentElement.lang);
  if (!enLang.toLowerCase().startsWith('en')) fail(`language: <html lang="${enLang}"> on ${pathOf(page)}`);
  if (!(await page.locator('link[rel="alternate"][hreflang|="zh"]').count())) {
    fail(`language: no <link rel="alternate" hreflang="zh"> on ${pathOf(page)}`);
  }
  checkProblems('step 2 (language)');
  console.log(`ok: language switch ${zhPath} -> ${pathOf(page)} (lang=${enLang}, alternate zh link)`);

  // Step 3: search from a zh page, then open the first result.
  await open(zhPath);
  const box = page.locator('form.search input[name="q"]').first();
  if (!(await box.count())) fail(`search: no form.search input[name="q"] on ${zhPath}`);
  await box.fill(WORD);
  await box.press('Enter');
  await page.waitForURL((u) => u.pathname === '/zh/search/');
  const q = new URL(page.url()).searchParams.get('q');
  if (q !== WORD) fail(`search: expected ?q=${WORD}, got ?q=${q}`);
  const links = page.locator('ol.search-results li a');
  try {
    await links.first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    checkProblems('step 3 (search)');
    fail(`search: no ol.search-results li a within 10 s for "${WORD}"`);
  }
  const results = await links.evaluateAll((as) => as.map((a) => ({
    text: a.closest('li').innerText, title: a.title, href: a.getAttribute('href'),
  })));
  const shows = results.map((r) => contains(r.text, WORD) || contains(r.title, WORD));
  if (!shows[0]) fail(`search: first result does not show "${WORD}": ${JSON.stringify(results[0])}`);
  await shot('search.png');
  checkProblems('step 3 (search)');
  const showing = shows.filter(Boolean).length;
  console.log(`ok: search "${WORD}" -> ${results.length} result(s), ${showing} showing the word; first: ` +
    `${results[0].href} "${results[0].text.replace(/\s+/g, ' ').trim()}"`);

  await links.first().click();
  await page.waitForURL((u) => u.pathname !== '/zh/search/');
  const u = new URL(page.url());
  if (!/^\/zh\/\d+\/$/.test(u.pathname) || u.hash.length < 2) fail(`entry: expected /zh/<n>/#id, got ${u.pathname}${u.hash}`);
  const id = decodeURIComponent(u.hash.slice(1));
  const entry = page.locator(`id=${id}`);
  if ((await entry.count()) !== 1) fail(`entry: ${await entry.count()} elements with id "${id}" on ${u.pathname}`);
  if (!(await entry.isVisible())) fail(`entry: #${id} on ${u.pathname} is not visible`);
  const entryText = await entry.innerText();
  if (!contains(entryText, WORD)) fail(`entry: #${id} on ${u.pathname} does not contain "${WORD}"`);
  await shot('entry.png');
  checkProblems('step 3 (entry)');
  console.log(`ok: first result -> ${u.pathname}#${id}, visible and containing "${WORD}"`);
}

// ---- main: run under the total timeout, always clean up ----------------------------
const withTimeout = (p, ms, what) => Promise.race([p, new Promise((_, no) =>
  setTimeout(() => no(new Fail(`${what} took longer than ${ms / 1000} s`)), ms).unref())]);

let code = 0;
try {
  await withTimeout(run(), TOTAL_MS, 'the whole run');
  checkProblems('end');
  console.log(`ok: all steps passed; screenshots in ${SHOTS}`);
} catch (e) {
  console.log(`FAIL: ${e instanceof Fail ? e.message : e.stack ?? e}`);
  code = 1;
} finally {
  await withTimeout(closeBrowser?.() ?? Promise.resolve(), 10_000, 'closing the browser').catch(() => {});
  server?.close();
}
process.exit(code);
