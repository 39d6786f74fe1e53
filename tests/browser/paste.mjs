// An HTML file (argument 2) pasted into an open-source rich-text editor (argument 1: `tiptap`,
// i.e. ProseMirror, or `ckeditor5`) in headless Chromium, the way a person's Ctrl+V reaches
// it: a `paste` event whose clipboard holds the file as text/html and its text as text/plain,
// handled by the editor's own clipboard pipeline. The editor is bundled from node_modules with
// esbuild on each run and every request the page makes is refused, so nothing comes from the
// network. Prints one JSON object with the editor's HTML after the paste and what is in it:
// {"editor", "html", "headings": [[level, text]], "links": [[text, href]], "lists",
// "list_items", "bold", "code" (inline), "code_blocks", "images" (src), "blockquotes", "text"
// (without white space), "pasted": the same figures of the file, to compare}.
// Exits 1 with a message on stderr when the editor does not load or the paste changes nothing.
// PASTE_VERBOSE=1 also prints timings and the refused requests on stderr.
//
//   node paste.mjs tiptap|ckeditor5 FILE.html
//
// TipTap: StarterKit (with its Link) and Image, both as configured by default (images are
// block nodes). CKEditor 5: ClassicEditor with its default headings (Heading 1-3 written as
// h2-h4; a pasted h1 becomes Heading 1, so h2).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const verbose = process.env.PASTE_VERBOSE === '1';

// Each entry sets window.makeEditor(element) → { editable, getHTML() }.
const ENTRIES = {
  tiptap: `
    import { Editor } from '@tiptap/core';
    import StarterKit from '@tiptap/starter-kit';
    import Image from '@tiptap/extension-image';
    window.makeEditor = (element) => new Promise((resolve) => {
      const editor = new Editor({
        element,
        extensions: [StarterKit, Image],
        onCreate: () => resolve({ editable: editor.view.dom, getHTML: () => editor.getHTML() }),
      });
    });
  `,
  ckeditor5: `
    import {
      ClassicEditor, Essentials, Paragraph, Heading, Bold, Italic, Link, List, Code, CodeBlock,
      BlockQuote, Image, PasteFromOffice,
    } from 'ckeditor5';
    window.makeEditor = async (element) => {
      const editor = await ClassicEditor.create({
        attachTo: element,
        licenseKey: 'GPL',
        plugins: [Essentials, Paragraph, Heading, Bold, Italic, Link, List, Code, CodeBlock,
          BlockQuote, Image, PasteFromOffice],
      });
      return { editable: editor.ui.getEditableElement(), getHTML: () => editor.getData() };
    };
  `,
};

function fail(message) {
  console.error(`paste.mjs: ${message}`);
  process.exit(1);
}

const [name, file] = process.argv.slice(2);
if (!ENTRIES[name] || !file) fail('usage: node paste.mjs tiptap|ckeditor5 FILE.html');
let html;
try {
  html = fs.readFileSync(file, 'utf8');
} catch (e) {
  fail(`cannot read ${file}: ${e.message}`);
}

const started = Date.now();
const bundled = await build({
  stdin: { contents: ENTRIES[name], resolveDir: here, loader: 'js' },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  legalComments: 'none',
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
}).catch((e) => fail(`bundling ${name}: ${e.message}`));
const script = bundled.outputFiles[0].text;
const bundleMs = Date.now() - started;

const refused = [];
const errors = [];
const { context, close } = await launch();
let result;
try {
  // Nothing leaves the page: not the pasted images, nor anything an editor might fetch.
  await context.route('**/*', (route) => {
    refused.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"><title>paste</title></head>'
    + '<body><div id="editor"></div></body></html>');
  if (name === 'ckeditor5') {
    await page.addStyleTag({
      content: fs.readFileSync(path.join(here, 'node_modules/ckeditor5/dist/ckeditor5.css'), 'utf8'),
    });
  }
  await page.addScriptTag({ content: script });
  const loaded = await page.evaluate(async () => {
    try {
      window.editor = await window.makeEditor(document.getElementById('editor'));
      window.editor.editable.setAttribute('data-paste-target', '');
      return { before: window.editor.getHTML() };
    } catch (e) {
      return { error: String(e && e.stack || e) };
    }
  }).catch((e) => ({ error: e.message }));
  if (loaded.error) throw new Error(`${name} did not load: ${loaded.error}`);

  // A click into the editor, as a person would before pressing Ctrl+V.
  await page.click('[data-paste-target]');
  result = await page.evaluate(async ({ html, before }) => {
    const { editable } = window.editor;
    const text = new DOMParser().parseFromString(html, 'text/html').body.textContent;
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/html', html);
    clipboardData.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true });
    editable.dispatchEvent(event);
    // The editor applies the paste in its own time: wait for its output to change (5 s at most).
    const deadline = Date.now() + 5000;
    while (window.editor.getHTML() === before && Date.now() < deadline) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    const stats = (markup) => {
      const doc = new DOMParser().parseFromString(markup, 'text/html');
      const all = (selector) => [...doc.querySelectorAll(selector)];
      const textOf = (e) => e.textContent.replace(/\s+/g, ' ').trim();
      return {
        headings: all('h1, h2, h3, h4, h5, h6').map((h) => [Number(h.tagName[1]), textOf(h)]),
        links: all('a').map((a) => [textOf(a), a.getAttribute('href')]),
        lists: all('ul, ol').length,
        list_items: all('li').length,
        bold: all('strong, b').map(textOf),
        code: all('code').filter((c) => !c.closest('pre')).map(textOf),
        code_blocks: all('pre').length,
        images: all('img').map((i) => i.getAttribute('src')),
        blockquotes: all('blockquote').length,
        // The words, without the spaces the editors add or take between blocks.
        text: doc.body.textContent.replace(/\s+/g, ''),
      };
    };
    const out = window.editor.getHTML();
    return {
      handled: event.defaultPrevented,
      changed: out !== before,
      json: { html: out, ...stats(out), pasted: stats(html) },
    };
  }, { html, before: loaded.before });
  if (!result.changed) {
    throw new Error(`the paste changed nothing in ${name}`
      + `${result.handled ? '' : ' (the editor did not handle the paste event)'}`);
  }
} catch (e) {
  await close();
  fail(`${e.message}${errors.length ? `\n  page errors: ${errors.join('\n  ')}` : ''}`);
}
await close();

if (verbose) {
  console.error(`paste.mjs: ${name}: bundled ${(script.length / 1e6).toFixed(1)} MB in ${bundleMs} ms,`
    + ` done in ${Date.now() - started} ms`);
  for (const url of refused) console.error(`paste.mjs: refused ${url}`);
}
console.log(JSON.stringify({ editor: name, ...result.json }));
