// Renders media/src/icon.svg to media/icon.png (256×256, transparent corners) with Chromium through
// playwright-core, the same browser the UI tests use, then shrinks it (tools/optimize-png.mjs):
// `node media/src/render-icon.mjs`. Commit both files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { optimizePngs } from '../../tools/optimize-png.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const svg = fs.readFileSync(path.join(here, 'icon.svg'), 'utf8');
const out = path.join(here, '..', 'icon.png');
const size = Number(/width="(\d+)"/.exec(svg)?.[1]);
if (!size) throw new Error('icon.svg has no width');

const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (file) => file && fs.existsSync(file),
);
if (!executablePath) throw new Error('Chromium not found (set CHROMIUM_PATH, or: apt-get install chromium)');
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
} finally {
  await browser.close();
}
optimizePngs([out]);
console.log(`${path.relative(process.cwd(), out)}: ${size}×${size}, ${fs.statSync(out).size} bytes`);
