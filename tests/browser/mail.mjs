// The e-mail edition as a phone and a desktop mail client show it: the HTML part (a file,
// argument 1) opened in headless Chromium at 375 and 600 px, light and dark, with every
// request outside the file answered empty (the mail's images stay on this machine). Prints one
// `ok:` line per view, or `FAIL:` lines and exits 1.
//
//   node mail.mjs MAIL.html

import { launch } from './chromium.mjs';

const file = process.argv[2];
const problems = [];
const { context, close } = await launch();
await context.route('**/*', (route) => (route.request().url().startsWith('file:')
  ? route.continue() : route.fulfill({ status: 204, body: '' })));
try {
  for (const width of [375, 600]) {
    for (const scheme of ['light', 'dark']) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`file://${file}`);
      const view = `${width}-${scheme}`;
      const m = await page.evaluate(() => {
        const html = document.documentElement;
        // The cell that holds the text: the one with the heading.
        const h1 = document.querySelector('h1');
        const cell = h1.closest('td');
        const style = getComputedStyle(cell);
        const inner = cell.getBoundingClientRect().width
          - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const card = h1.closest('table').getBoundingClientRect();
        const bold = [...document.querySelectorAll('strong, b')]
          .filter((e) => parseInt(getComputedStyle(e).fontWeight, 10) >= 600).length;
        const marks = [...cell.querySelectorAll('p, li')]
          .map((e) => e.textContent.trim()).filter((t) => /^\d+、/.test(t)).length;
        return {
          overflow: html.scrollWidth - html.clientWidth,
          text: inner,
          card: card.width,
          left: card.left,
          right: window.innerWidth - card.right,
          font: parseFloat(getComputedStyle(cell).fontSize),
          bold,
          marks,
          lang: html.lang,
        };
      });
      const fail = (why) => problems.push(`${view}: ${why} ${JSON.stringify(m)}`);
      if (m.overflow > 0) fail(`scrolls sideways by ${m.overflow} px`);
      if (m.font < 16) fail('text smaller than 16 px');
      if (m.bold < 1) fail('no bold entry title');
      if (m.lang === 'en' && m.marks > 0) fail('Chinese list marks in English');
      if (width === 375 && m.text < 320) fail(`only ${m.text} px of ${width} for text`);
      if (width === 600 && (m.card > 600 || Math.abs(m.left - m.right) > 2)) fail('card not centred within 600 px');
      if (!problems.length) console.log(`ok: ${view}: ${Math.round(m.text)} px for text, ${m.bold} bold titles`);
      await page.close();
    }
  }
} finally {
  await close();
}
if (problems.length) {
  for (const p of problems) console.log(`FAIL: ${p}`);
  process.exit(1);
}
