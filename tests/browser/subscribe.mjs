// One step of a reader's subscription in a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core):
//
//   node tests/browser/subscribe.mjs form  URL EMAIL   open URL (a page of the built site), type
//                                                      EMAIL into its subscribe form, submit
//   node tests/browser/subscribe.mjs open  URL         open URL (the link of the mail)
//   node tests/browser/subscribe.mjs click URL         open URL and press its button
//
// Prints the text of the page the step ends on, and exits 0; `FAIL: ...` and 1 otherwise.

import { launch } from './chromium.mjs';

const [STEP, URL, EMAIL] = process.argv.slice(2);
if (!STEP || !URL || (STEP === 'form' && !EMAIL)) {
  console.error('usage: node tests/browser/subscribe.mjs form|open|click URL [EMAIL]');
  process.exit(2);
}
let closeBrowser;

async function run() {
  const browser = await launch();
  closeBrowser = browser.close;
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(15_000);
  await page.goto(URL);
  if (STEP === 'form') {
    await page.fill('form.subscribe input[name=email]', EMAIL);
    await Promise.all([page.waitForNavigation(), page.click('form.subscribe button[type=submit]')]);
  } else if (STEP === 'click') {
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  }
  console.log(await page.innerText('body'));
}

run()
  .then(async () => { await closeBrowser?.(); process.exit(0); })
  .catch(async (e) => { console.log(`FAIL: ${e}`); await closeBrowser?.(); process.exit(1); });
