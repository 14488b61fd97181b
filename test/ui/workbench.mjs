// Driving VS Code's workbench (code-server in Chromium) the way a user does: activity bar, palette,
// quick inputs, tree rows, notifications and dialogs. Every step waits for a selector, never for a fixed time.
/** @typedef {import('playwright-core').Page} Page */

const QUICK_INPUT = '.quick-input-widget';

/**
 * Waits until the workbench is up and `containerTitle`'s activity-bar entry exists (extensions registered).
 * @param {Page} page
 * @param {string} containerTitle
 */
export async function waitForWorkbench(page, containerTitle, timeout = 90_000) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await activityEntry(page, containerTitle).waitFor({ timeout });
}

/** @param {Page} page @param {string} containerTitle */
function activityEntry(page, containerTitle) {
  return page.locator(`.activitybar a.action-label[aria-label^="${containerTitle}"]`);
}

/**
 * Opens the view container unless it is showing, and waits for `viewName`'s pane.
 * @param {Page} page @param {string} containerTitle @param {string} viewName
 */
export async function openViewContainer(page, containerTitle, viewName) {
  const item = page.locator(`.activitybar li.action-item:has(a.action-label[aria-label^="${containerTitle}"])`);
  const sidebar = page.locator('.part.sidebar');
  // With a single view in a container its pane header is hidden: attached is all we can wait for.
  const header = page.locator(`.sidebar .pane-header[aria-label^="${viewName}"]`);
  // The activity-bar entry toggles: a click while the workbench is still restoring the side bar (after a reload)
  // can hide it again. So: click only when it is not showing, then look again, until the pane is there.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const showing = (await item.getAttribute('aria-selected')) === 'true' && (await sidebar.isVisible());
    if (!showing) await activityEntry(page, containerTitle).click();
    try {
      await header.waitFor({ state: 'attached', timeout: 5_000 });
      await sidebar.waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the ${containerTitle} side bar did not show ${viewName} in 30 s`, { cause: error });
    }
  }
}

/**
 * Runs a command by its palette title (exact match, so a similar title cannot be picked by accident).
 * @param {Page} page @param {string} title
 */
export async function runCommand(page, title) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  const typed = `>${title}`;
  // The list filters asynchronously, and recently used commands may come first: click the exact row.
  const row = page
    .locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
    .first();
  // The palette lists the commands registered when it opened: one that registers later (a contribution still
  // loading while VS Code 1.139 starts) appears only in a palette opened again. And an editor that takes the focus
  // as it opens (a walkthrough) closes a palette opened just before: open it again.
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; ; attempt++) {
    let clicking = false;
    try {
      const step = { timeout: 5_000 };
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', ...step });
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', ...step });
      await input.fill(typed, step);
      await row.waitFor({ state: 'visible', ...step });
      // Still inside the retry: a palette closed under us between finding the row and clicking it (focus taken by
      // a view or editor that just opened) ran nothing, so opening it again is safe.
      clicking = true;
      await row.click(step);
      break;
    } catch (error) {
      // Only a click that timed out (the row went away) is known not to have run the command.
      if (clicking && !(error instanceof Error && error.name === 'TimeoutError')) throw error;
      if (Date.now() > deadline) {
        throw new Error(`the command palette did not run "${title}" (${attempt} tries in 30 s)`, { cause: error });
      }
    }
  }
  // The palette is gone (or replaced by the command's own quick input) once its text is no longer ours.
  await page.waitForFunction(
    ({ selector, text }) => {
      const widget = document.querySelector(selector);
      const box = /** @type {HTMLInputElement | null | undefined} */ (widget?.querySelector('.quick-input-box input'));
      return !widget || getComputedStyle(widget).display === 'none' || box?.value !== text;
    },
    { selector: QUICK_INPUT, text: typed },
  );
}

/**
 * Clicks the quick-pick item whose label is exactly `label` (optionally only in a quick pick titled `title`).
 * @param {Page} page @param {string} label @param {{title?: string}} [options]
 */
export async function pickQuickItem(page, label, { title } = {}) {
  const widget = page.locator(QUICK_INPUT);
  if (title) await widget.locator('.quick-input-title').filter({ hasText: title }).waitFor();
  const row = widget
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/**
 * Answers an input box whose prompt (or title) matches `prompt`: replaces its value with `text`, then Enter.
 * `password: true` also checks that the box masks what is typed.
 * @param {Page} page @param {string | RegExp} prompt @param {string} text @param {{password?: boolean}} [options]
 */
export async function answerInputBox(page, prompt, text, { password = false } = {}) {
  const widget = page.locator(QUICK_INPUT);
  await widget
    .locator('.quick-input-message, .quick-input-title')
    .filter({ hasText: prompt })
    .first()
    .waitFor({ state: 'visible' });
  const input = widget.locator(`.quick-input-box input${password ? '[type="password"]' : ''}`);
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
  // Multi-step flows reuse the widget for the next step: done once it is hidden or shows another prompt.
  await page.waitForFunction(
    ({ selector, source }) => {
      const widget = document.querySelector(selector);
      if (!widget || getComputedStyle(widget).display === 'none') return true;
      const shown = [...widget.querySelectorAll('.quick-input-message, .quick-input-title')].map((e) => e.textContent);
      return !shown.some((t) => new RegExp(source).test(t ?? ''));
    },
    { selector: QUICK_INPUT, source: typeof prompt === 'string' ? escapeRegExp(prompt) : prompt.source },
  );
}

/**
 * The text of the first notification toast matching `pattern` (waits for it).
 * @param {Page} page @param {string | RegExp} pattern
 */
export async function waitForNotification(page, pattern, timeout = 45_000) {
  const toast = notificationToast(page, pattern);
  try {
    await toast.waitFor({ timeout: Math.min(timeout, 15_000) });
    return (await toast.locator('.notification-list-item-message').textContent())?.trim() ?? '';
  } catch (error) {
    if (timeout <= 15_000) throw error;
  }
  // A toast VS Code hid again (too many at once, or its time ran out) is still in the notification center.
  await runCommand(page, 'Notifications: Show Notifications');
  const listed = page
    .locator('.notifications-center .notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: pattern }) })
    .first();
  await listed.waitFor({ timeout: timeout - 15_000 });
  const text = (await listed.locator('.notification-list-item-message').textContent())?.trim() ?? '';
  await runCommand(page, 'Notifications: Hide Notifications');
  return text;
}

/** @param {Page} page @param {string | RegExp} pattern */
export function notificationToast(page, pattern) {
  return page
    .locator('.notifications-toasts .notification-list-item')
    .filter({ has: page.locator('.notification-list-item-message', { hasText: pattern }) })
    .first();
}

/** @param {Page} page @param {string} viewName */
function viewRows(page, viewName) {
  return page.locator(
    `.sidebar .pane:has(.pane-header[aria-label^="${viewName}"]) .monaco-list-row[role="treeitem"]`,
  );
}

/**
 * The first tree row labelled exactly `label`.
 * @param {Page} page @param {string} viewName @param {string} label
 */
export function treeRow(page, viewName, label) {
  return viewRows(page, viewName)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

/** @typedef {{label: string, description: string, level: number, expanded: string | null}} TreeRow */

/**
 * Every rendered row of the view: label, description, depth, expanded state.
 * @param {Page} page @param {string} viewName
 * @returns {Promise<TreeRow[]>}
 */
export async function readTree(page, viewName) {
  const rows = viewRows(page, viewName);
  return rows.evaluateAll((elements) =>
    elements
      .map((row) => ({
        top: parseFloat(/** @type {HTMLElement} */ (row).style.top || '0'),
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        level: Number(row.getAttribute('aria-level') ?? 0),
        expanded: row.getAttribute('aria-expanded'),
      }))
      // the list is virtual: DOM order is not display order, the row's offset is
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...row }) => row),
  );
}

/**
 * The rows below `parentLabel` (its subtree), read from the flattened list by depth; undefined without that row.
 * @param {Page} page @param {string} viewName @param {string} parentLabel
 */
export async function childrenOf(page, viewName, parentLabel) {
  const rows = await readTree(page, viewName);
  const start = rows.findIndex((row) => row.label === parentLabel);
  if (start < 0) return undefined;
  const children = [];
  for (const row of rows.slice(start + 1)) {
    if (row.level <= rows[start].level) break;
    children.push(row);
  }
  return children;
}

/**
 * Expands the row labelled `label` if it is collapsed, and waits until it is expanded.
 * @param {Page} page @param {string} viewName @param {string} label
 */
export async function expandRow(page, viewName, label) {
  const row = treeRow(page, viewName, label);
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  await page.waitForFunction(
    ({ view, text }) =>
      [...document.querySelectorAll('.sidebar .pane .monaco-list-row[role="treeitem"]')].some(
        (r) =>
          r.closest('.pane')?.querySelector(`.pane-header[aria-label^="${view}"]`) &&
          r.querySelector('.label-name')?.textContent?.trim() === text &&
          r.getAttribute('aria-expanded') === 'true',
      ),
    { view: viewName, text: label },
  );
}

/**
 * Clicks a modal dialog's button (e.g. a confirmation) and waits for the dialog to close.
 * @param {Page} page @param {string} button @param {{message?: string | RegExp}} [options]
 */
export async function answerDialog(page, button, { message } = {}) {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  if (message) await dialog.locator('.dialog-message-text').filter({ hasText: message }).waitFor();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** @param {string} text */
export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Drags the side bar's edge `by` pixels to the right (so tree descriptions are not cut off in screenshots).
 * @param {Page} page @param {number} by
 */
export async function widenSidebar(page, by) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const x = box.x + box.width - 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
  // A hovered sash is drawn highlighted: move away and let the highlight fade out.
  await page.mouse.move(x + by + 300, y);
  await page.waitForFunction(() => !document.querySelector('.monaco-sash.hover, .monaco-sash.active'));
  await page.evaluate(() =>
    Promise.all(
      [...document.querySelectorAll('.monaco-sash')].flatMap((sash) => sash.getAnimations().map((a) => a.finished)),
    ),
  );
}

/**
 * The titles of the palette's commands that start with `prefix`, as a user sees them when typing it. Waits until the
 * list is filtered (every row of it rendered, and a matching one among them), then closes the palette.
 * @param {Page} page @param {string} prefix e.g. 'Fly: '
 * @returns {Promise<string[]>} sorted
 */
export async function paletteCommands(page, prefix) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  if (await input.isVisible()) await page.keyboard.press('Escape');
  await input.waitFor({ state: 'hidden' });
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${prefix}`);
  const titles = await page.waitForFunction(
    ({ selector, text }) => {
      const rows = [...document.querySelectorAll(`${selector} .quick-input-list .monaco-list-row`)];
      // The list is virtual: unfiltered it holds hundreds of commands and renders a screenful. Filtered, the rows
      // say how many there are (aria-setsize) and all of them are rendered.
      const size = Number(rows[0]?.getAttribute('aria-setsize') ?? -1);
      const labels = rows.map((row) => row.querySelector('.label-name')?.textContent?.trim() ?? '');
      if (rows.length === 0 || size !== rows.length || !labels.some((label) => label.startsWith(text))) return undefined;
      return labels.filter((label) => label.startsWith(text));
    },
    { selector: QUICK_INPUT, text: prefix },
  );
  const list = /** @type {string[]} */ (await titles.jsonValue());
  await page.keyboard.press('Escape');
  await input.waitFor({ state: 'hidden' });
  return [...new Set(list)].sort();
}
