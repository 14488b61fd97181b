// Debian's Chromium driven by playwright-core (no browser download needed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (file) => typeof file === 'string' && file !== '',
  );
  const found = candidates.find((file) => fs.existsSync(/** @type {string} */ (file)));
  if (!found) throw new Error('Chromium not found (set CHROMIUM_PATH, or: apt-get install chromium)');
  return found;
}

/**
 * A headless Chromium with a throw-away profile. `origin` gets clipboard permissions.
 * @param {{origin?: string, viewport?: {width: number, height: number}, headless?: boolean}} [options]
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void>}>}
 */
export async function launchBrowser({ origin, viewport = { width: 1400, height: 900 }, headless = true } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fly-tokens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless,
    args: CHROMIUM_ARGS,
    viewport,
  });
  if (origin) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed;
  const close = () =>
    (closed ??= (async () => {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    })());
  return { context, page, close };
}
