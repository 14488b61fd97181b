// The Deploy Tokens view at VS Code's default sidebar width, in the light, dark and high-contrast themes: no token
// row's text is cut off, and each theme's picture (a token's tooltip open) lands in test-results/ui/.
// Called by tokens.ui.mjs once the workspace's tokens are listed, before anything widens the sidebar (a helper, not a
// scenario: scripts/runUiTests.mjs runs the `*.ui.mjs` files).
import assert from 'node:assert/strict';
import path from 'node:path';
import { pickQuickItem, runCommand, treeRow } from './workbench.mjs';

/** Theme setting → the class VS Code puts on the workbench for it. */
const THEMES = [
  { label: 'Light Modern', kind: 'vs', file: 'theme-light.png' },
  { label: 'Dark Modern', kind: 'vs-dark', file: 'theme-dark.png' },
  { label: 'Dark High Contrast', kind: 'hc-black', file: 'theme-high-contrast.png' },
];

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page
 * @param {string} ctx.view the view's name
 * @param {string} ctx.app an expanded app row
 * @param {string} ctx.token a token row under it, whose tooltip is shown
 * @param {string} ctx.shotsDir
 * @param {(...args: unknown[]) => void} ctx.log
 */
export async function themesFlow({ page, view, app, token, shotsDir, log }) {
  const sidebar = page.locator('.part.sidebar');
  const width = Math.round((await sidebar.boundingBox())?.width ?? 0);
  for (const theme of THEMES) {
    await applyTheme(page, theme);

    // Nothing of a token row or its app row is cut off with an ellipsis at this width.
    const cut = await page
      .locator('.sidebar .monaco-list-row[role="treeitem"] .monaco-icon-label-container')
      .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent?.trim()));
    assert.deepEqual(cut, [], `rows cut off at the default sidebar width (${width} px) in ${theme.label}`);
    const title = await sidebar.locator('.composite.title .title-label h2').evaluate((el) => ({
      text: el.textContent?.trim(),
      cut: el.scrollWidth > el.clientWidth + 1,
    }));
    assert.equal(title.cut, false, `the view title "${title.text}" is cut off at ${width} px`);

    const row = treeRow(page, view, token);
    await row.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Created by' }).first();
    await hover.waitFor();
    const box = await hover.boundingBox();
    const side = await sidebar.boundingBox();
    assert.ok(box && side, 'no tooltip or sidebar to photograph');
    const clip = {
      x: side.x,
      y: Math.min(side.y, box.y),
      width: Math.max(side.x + side.width, box.x + box.width) - side.x,
      height: Math.max(side.y + side.height, box.y + box.height) - Math.min(side.y, box.y),
    };
    await page.screenshot({ path: path.join(shotsDir, theme.file), clip });
    await page.mouse.move(0, 0);
    await hover.waitFor({ state: 'hidden' });
    log(`${theme.label}: ${app} rows fit in ${width} px; screenshot ${theme.file}`);
  }
  await applyTheme(page, THEMES[1]);
}

/**
 * Picks the theme in VS Code's own theme picker, as a user does, and waits for the workbench to wear it.
 * @param {import('playwright-core').Page} page
 * @param {{label: string, kind: string}} theme
 */
async function applyTheme(page, theme) {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(theme.label);
  await pickQuickItem(page, theme.label);
  await page.locator(`.monaco-workbench.${theme.kind}`).waitFor();
}
