// One step of a reader's subscription in a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core):
//
//   node tests/browser/subscribe.mjs form  URL EMAIL   open URL (a page of the built site), type
//                                                      EMAIL into its subscribe form, submit
//   node tests/browser/subscribe.mjs open  URL         open URL (the link of the mail)
//   node tests/browser/subscribe.mjs click URL         open URL and press its button
//
// WIDTH (px, default 1280) and SCHEME (`light` or `dark`) set the window and the colour scheme.
// Prints a first line `page: lang=L css=yes|no dark=yes|no width=yes|no` (the page's `lang`, the
// site's stylesheet applied, a dark background in dark mode, nothing wider than the window),
// then the text of the page the step ends on, and exits 0; `FAIL: ...` and 1 otherwise.

import { launch } from './chromium.mjs';

const [STEP, URL, EMAIL] = process.argv.slice(2);
if (!STEP || !URL || (STEP === 'form' && !EMAIL)) {
  console.error('usage: node tests/browser/subscribe.mjs form|open|click URL [EMAIL]');
  process.exit(2);
}
let closeBrowser;

async function run() {
  const width = Number(process.env.WIDTH || 1280);
  const scheme = process.env.SCHEME || 'light';
  const browser = await launch({ viewport: { width, height: 800 }, colorScheme: scheme });
  closeBrowser = browser.close;
  // Only the server under test is reached: anything else is answered empty.
  const origin = new globalThis.URL(URL).origin;
  await browser.context.route('**/*', (route) => (new globalThis.URL(route.request().url()).origin === origin
    ? route.continue() : route.fulfill({ status: 204, body: '' })));
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(15_000);
  await page.goto(URL);
  if (STEP === 'form') {
    await page.fill('form.subscribe input[name=email]', EMAIL);
    await Promise.all([page.waitForNavigation(), page.click('form.subscribe button[type=submit]')]);
  } else if (STEP === 'click') {
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  }
  const seen = await page.evaluate(() => {
    const css = [...document.querySelectorAll('link[rel=stylesheet]')]
      .some((l) => l.href.endsWith('/assets/site.css') && l.sheet && l.sheet.cssRules.length > 0);
    const bg = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    const dark = bg[0] + bg[1] + bg[2] < 3 * 96;
    const fits = document.documentElement.scrollWidth <= window.innerWidth;
    return { lang: document.documentElement.lang, css, dark, fits };
  });
  const yes = (b) => (b ? 'yes' : 'no');
  console.log(`page: lang=${seen.lang} css=${yes(seen.css)} dark=${yes(seen.dark)} width=${yes(seen.fits)}`);
  console.log(await page.innerText('body'));
}

run()
  .then(async () => { await closeBrowser?.(); process.exit(0); })
  .catch(async (e) => { console.log(`FAIL: ${e}`); await closeBrowser?.(); process.exit(1); });
