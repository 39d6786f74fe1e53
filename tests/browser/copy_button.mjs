// The copy buttons of `weekly serve` in headless Chromium: on an issue page, the button for
// TARGET copies the paste-ready edition to the clipboard as text/html; a page that is not an
// issue has no buttons.
//
//   node tests/browser/copy_button.mjs ORIGIN ISSUE_PATH OTHER_PATH TARGET
//
// Prints one JSON object: {"html": the clipboard's text/html, "text": its text/plain,
// "other_has_buttons": bool}. Exits 1 with a message when a step fails; 30 s at most.

import { launch } from './chromium.mjs';

const [ORIGIN, ISSUE_PATH, OTHER_PATH, TARGET] = process.argv.slice(2);
if (!ORIGIN || !ISSUE_PATH || !OTHER_PATH || !TARGET) {
  console.error('usage: node tests/browser/copy_button.mjs ORIGIN ISSUE_PATH OTHER_PATH TARGET');
  process.exit(2);
}
const { context, close } = await launch();
try {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(ORIGIN + ISSUE_PATH);
  await page.click(`.weekly-copy button[data-for="${TARGET}"]`);
  await page.waitForSelector(`.weekly-copy[data-copied="${TARGET}"]`);
  const copied = await page.evaluate(async () => {
    const out = {};
    for (const item of await navigator.clipboard.read()) {
      for (const type of item.types) out[type] = await (await item.getType(type)).text();
    }
    return out;
  });
  await page.goto(ORIGIN + OTHER_PATH);
  const other = await page.locator('.weekly-copy').count();
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  console.log(JSON.stringify({
    html: copied['text/html'] ?? null,
    text: copied['text/plain'] ?? null,
    other_has_buttons: other > 0,
  }));
} catch (e) {
  console.error(`copy_button.mjs: ${e.message}`);
  await close();
  process.exit(1);
}
await close();
