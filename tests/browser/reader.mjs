// What readers meet on the site built from the imported corpus, in headless Chromium at a
// phone's width (390 px) and a desktop's (1280 px), light and dark:
//
//   node tests/browser/reader.mjs SITE_DIR SCREENSHOT_DIR SUBSCRIBE_URL CODE_PAGE
//
//   1. search: `锁` (one character) lists 20 results and pages to the rest; a Latin word too;
//   2. charts (/zh/stats/, season pages): no two text boxes of a chart overlap, text is at
//      least 9 px tall, every colour drawn has a legend item, nothing is wider than the screen;
//   3. languages: the Japanese home speaks Japanese; the language switch on a Chinese issue
//      without a Japanese edition says so on the Japanese archive; the English archive marks
//      an untranslated edition; the 404 page speaks every language;
//   4. the subscribe call leads to SUBSCRIBE_URL; the home lists the newest and the newest
//      free issues; no section with no entries is offered;
//   5. a free issue has a table of contents whose links land, prev/next with titles, a way
//      back to the top, a reading time, lazy images, `og:locale`, a description that is not
//      the title; on CODE_PAGE (an issue with a Python block) the code is coloured at build
//      time: keywords, strings and comments each in a colour of their own that reads on the
//      block's background, and a long line scrolls inside the block, not the page.
// Screenshots go to SCREENSHOT_DIR. Prints `ok: …` per check, exits 1 on the first failure.

import fs from 'node:fs';
import path from 'node:path';
import { launch } from './chromium.mjs';
import { serveSite } from './static_server.mjs';

const [siteArg, shotArg, SUBSCRIBE, CODE_PAGE] = process.argv.slice(2);
if (!siteArg || !shotArg || !SUBSCRIBE || !CODE_PAGE) {
  console.error('usage: node tests/browser/reader.mjs SITE_DIR SCREENSHOT_DIR SUBSCRIBE_URL CODE_PAGE');
  process.exit(2);
}
const SHOTS = path.resolve(shotArg);
fs.mkdirSync(SHOTS, { recursive: true });
const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

class Fail extends Error {}
const fail = (msg) => { throw new Fail(msg); };
const ok = (msg) => console.log(`ok: ${msg}`);

// In the page: the text boxes of every chart that overlap, too small text, colours without a
// legend item, charts or legends wider than the screen.
function chartProblems() {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  for (const [n, box] of [...document.querySelectorAll('figure.chart-box')].entries()) {
    const svg = box.querySelector('svg.chart');
    const r = svg.getBoundingClientRect();
    if (r.right > width + 1) out.push(`chart ${n} ends at ${r.right} of ${width}`);
    const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim())
      .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    for (const t of texts) if (t.r.height < 9) out.push(`chart ${n}: "${t.text}" is ${t.r.height.toFixed(1)} px tall`);
    // Text against the page's background: a contrast of 3 at least, in light and dark.
    const lum = (css) => {
      const [r, g, b] = css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const bg = lum(getComputedStyle(document.body).backgroundColor);
    for (const t of svg.querySelectorAll('text')) {
      const fg = lum(getComputedStyle(t).fill);
      const contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (contrast < 3) { out.push(`chart ${n}: "${t.textContent}" contrast ${contrast.toFixed(2)}`); break; }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
          out.push(`chart ${n}: "${texts[i].text}" overlaps "${texts[j].text}"`);
        }
      }
    }
    const drawn = new Set([...svg.querySelectorAll('[fill]')].map((e) => e.getAttribute('fill').toLowerCase()));
    const items = [...box.querySelectorAll('ul.legend li')];
    const listed = new Set(items.map((li) => li.querySelector('.swatch').style.background.toLowerCase()));
    // Computed colours come back as rgb(); compare through a canvas-free conversion.
    const rgb = (hex) => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
    for (const colour of drawn) if (!listed.has(rgb(colour)) && !listed.has(colour)) out.push(`chart ${n}: ${colour} has no legend item`);
    for (const li of items) {
      const lr = li.getBoundingClientRect();
      if (lr.width === 0 || lr.right > width + 1) out.push(`chart ${n}: legend item "${li.textContent}" not shown whole`);
      if (parseFloat(getComputedStyle(li).fontSize) < 12) out.push(`chart ${n}: legend text ${getComputedStyle(li).fontSize}`);
    }
  }
  return out;
}

async function check(page, origin, viewport, scheme) {
  const tag = `${viewport.width}-${scheme}`;
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}-${tag}.png`), fullPage: true });
  const go = async (p) => {
    const r = await page.goto(origin + p, { waitUntil: 'load' });
    return r.status();
  };

  // 1. Search.
  await go('/zh/search/?q=' + encodeURIComponent('锁'));
  await page.waitForSelector('#search-status[data-total]', { timeout: 10_000 });
  const total = Number(await page.getAttribute('#search-status', 'data-total'));
  const shown = await page.locator('ol.search-results li').count();
  if (total < 20 || shown !== 20) fail(`${tag} search 锁: ${total} found, ${shown} shown`);
  await shot('search');
  await page.click('#search-pages a[rel=next]');
  await page.waitForSelector('#search-status[data-total]');
  const second = await page.locator('ol.search-results li').count();
  const start = await page.getAttribute('ol.search-results', 'start');
  if (second !== Math.min(20, total - 20) || start !== '21') fail(`${tag} search page 2: ${second} shown from ${start}`);
  await go('/en/search/?q=asyncio');
  await page.waitForSelector('#search-status[data-total]');
  if (Number(await page.getAttribute('#search-status', 'data-total')) < 5) fail(`${tag} search asyncio in English`);
  ok(`${tag} search: 锁 ${total} results in pages of 20, page 2 from #21; asyncio in English`);

  // 2. Charts.
  const seasons = fs.readdirSync(path.join(siteArg, 'zh/seasons')).filter((d) => /^\d+$/.test(d));
  for (const p of ['/zh/stats/', ...seasons.map((s) => `/zh/seasons/${s}/`), '/ja/stats/']) {
    await go(p);
    const problems = await page.evaluate(chartProblems);
    if (problems.length) fail(`${tag} ${p}: ${problems.slice(0, 8).join('; ')}`);
  }
  await go('/zh/stats/');
  await shot('stats');
  await go(`/zh/seasons/${seasons[seasons.length - 1]}/`);
  await shot('season');
  ok(`${tag} charts of /zh/stats/, ${seasons.length} seasons and /ja/stats/: no overlap, legends whole`);

  // 3. Languages.
  await go('/ja/');
  const jaText = await page.locator('header, main, footer').allInnerTexts();
  for (const english of ['Search issues', 'So far', 'Latest issue', 'Subscribe to read']) {
    if (jaText.join(' ').includes(english)) fail(`${tag} /ja/ says "${english}"`);
  }
  if (await page.locator('.brand').innerText() === await (async () => { await go('/'); return page.locator('.brand').innerText(); })()) {
    fail(`${tag} the Japanese site has the Chinese name`);
  }
  const zhOnly = await (async () => {
    for (let n = 160; n > 0; n--) {
      const zh = fs.existsSync(path.join(siteArg, `zh/${n}/index.html`));
      const ja = fs.existsSync(path.join(siteArg, `ja/${n}/index.html`));
      if (zh && !ja) return n;
    }
    return 0;
  })();
  await go(`/zh/${zhOnly}/`);
  await page.click('a.lang-switch[hreflang="ja"]');
  await page.waitForLoadState('load');
  const note = page.locator('#missing-edition');
  if (!(await note.isVisible()) || !(await note.innerText()).includes(String(zhOnly))) fail(`${tag} switching #${zhOnly} to ja says nothing`);
  await go('/en/archive/');
  if (await page.locator('.tag', { hasText: 'original language' }).count() < 1) fail(`${tag} no untranslated edition marked on /en/archive/`);
  const status = await go('/no-such-page/');
  const langs = await page.locator('main [lang]').evaluateAll((els) => els.map((e) => e.getAttribute('lang')));
  if (status !== 404 || !langs.includes('en') || !langs.includes('ja')) fail(`${tag} 404 page: ${status}, languages ${langs}`);
  ok(`${tag} languages: ja home in Japanese, #${zhOnly} has no ja edition and the ja archive says so, untranslated marked, 404 in ${langs.length + 1} languages`);

  // 4. Paid issues and the subscribe call.
  await go('/');
  const hrefs = await page.locator('a.subscribe-link').evaluateAll((as) => as.map((a) => a.href));
  if (!hrefs.length || hrefs.some((h) => h !== SUBSCRIBE)) fail(`${tag} subscribe links: ${hrefs}`);
  if (await page.locator('section.latest-free li').count() < 1) fail(`${tag} no free issue on the home page`);
  const figures = await page.locator('.totals dd').allInnerTexts();
  if (figures.some((f) => f.trim() === '0')) fail(`${tag} a section with 0 entries is offered: ${figures}`);
  await shot('home');
  ok(`${tag} home: subscribe call → ${SUBSCRIBE}, latest free issues listed, no empty section`);

  // 5. A long free issue.
  const free = await page.locator('section.latest-free li a').first().getAttribute('href');
  await go(free);
  const toc = await page.locator('nav.toc a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  if (toc.length < 2) fail(`${tag} ${free}: table of contents ${toc}`);
  for (const href of toc) if (!(await page.locator(href).count())) fail(`${tag} ${free}: ${href} leads nowhere`);
  await page.click(`nav.toc a[href="${toc[1]}"]`);
  if (!(await page.locator(toc[1]).isVisible())) fail(`${tag} ${free}: ${toc[1]} not shown`);
  const pager = await page.locator('nav.pager a .title').allInnerTexts();
  if (!pager.length || pager.some((t) => !t.trim())) fail(`${tag} ${free}: prev/next without titles`);
  if (!(await page.locator('a.back-to-top[href="#top"]').count())) fail(`${tag} ${free}: no way back to the top`);
  const meta = await page.locator('main .meta').first().innerText();
  if (!/阅读约 \d+ 分钟/.test(meta)) fail(`${tag} ${free}: no reading time in "${meta}"`);
  const eager = await page.locator('main img:not([loading="lazy"])').count();
  if (eager) fail(`${tag} ${free}: ${eager} images load eagerly`);
  const locale = await page.getAttribute('meta[property="og:locale"]', 'content');
  const description = await page.getAttribute('meta[name="description"]', 'content');
  const title = await page.locator('h1').innerText();
  if (locale !== 'zh_CN' || !description || description === title) fail(`${tag} ${free}: og:locale ${locale}, description "${description}"`);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await shot('issue');
  ok(`${tag} ${free}: ${toc.length} sections in the contents, prev/next titled, reading time, lazy images, og:locale zh_CN`);

  // 5b. Code coloured at build time (no script does it: the page's scripts are not needed).
  await go(CODE_PAGE);
  const code = await page.evaluate(() => {
    const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const pre = document.querySelector('pre code.language-python').closest('pre');
    const bg = getComputedStyle(pre).backgroundColor;
    const plain = getComputedStyle(pre).color;
    const colours = {};
    for (const kind of ['keyword', 'string', 'comment']) {
      const el = document.querySelector(`pre .hl-${kind}`);
      if (el) colours[kind] = { colour: getComputedStyle(el).color, contrast: contrast(getComputedStyle(el).color, bg) };
    }
    return { plain, colours, pageWide: document.documentElement.scrollWidth > window.innerWidth + 1 };
  });
  const kinds = Object.keys(code.colours);
  if (!kinds.includes('keyword') || kinds.length < 2) fail(`${tag} ${CODE_PAGE}: coloured kinds ${kinds}`);
  for (const [kind, { colour, contrast }] of Object.entries(code.colours)) {
    if (colour === code.plain) fail(`${tag} ${CODE_PAGE}: ${kind} has the text's colour`);
    if (contrast < 4.5) fail(`${tag} ${CODE_PAGE}: ${kind} contrast ${contrast.toFixed(2)} on the block`);
  }
  if (new Set(Object.values(code.colours).map((c) => c.colour)).size !== kinds.length) fail(`${tag} ${CODE_PAGE}: kinds share a colour`);
  if (code.pageWide) fail(`${tag} ${CODE_PAGE}: the page scrolls sideways`);
  await page.locator('pre code.language-python').first().scrollIntoViewIfNeeded();
  await shot('code');
  ok(`${tag} ${CODE_PAGE}: ${kinds.join(', ')} coloured, contrast ≥ 4.5 on the block`);
}

let code = 0;
const server = await serveSite(siteArg);
const { context, close } = await launch({ viewport: WIDTHS[0] });
// No request leaves the test server: another origin (images of entries) gets an empty answer.
await context.route('**/*', (route) => (new URL(route.request().url()).origin === server.origin
  ? route.continue() : route.fulfill({ status: 204, body: '' })));
try {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text()); });
  for (const viewport of WIDTHS) {
    for (const scheme of ['light', 'dark']) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await check(page, server.origin, viewport, scheme);
    }
  }
  if (errors.length) fail(`page errors: ${errors.slice(0, 5).join('; ')}`);
} catch (e) {
  console.log(`FAIL: ${e instanceof Fail ? e.message : e.stack ?? e}`);
  code = 1;
} finally {
  await close();
  server.close();
}
process.exit(code);
