// Debian's headless Chromium as the browser tests start it, in a fresh profile directory of its
// own: `const { context, close } = await launch({ viewport })`; `close()` ends the browser and
// removes the profile. It resolves no host name but localhost, so it reaches nothing beyond
// 127.0.0.1, not even the Google account check it makes on its own at start.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export async function launch(options = {}) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weekly-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    ...options,
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, close };
}
