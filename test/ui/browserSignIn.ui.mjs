// Browser sign-in in a remote setup, through the real UI: code-server runs the extension host on the server, so
// the loopback listener is not on the browser's machine. The extension asks VS Code to forward its port
// (asExternalUri); code-server forwards it as a proxy address, which Fly cannot redirect to, so the flow falls back
// to the code the approval page shows, and says why. Where the forward is a loopback port, the page redirects and
// the sign-in completes by itself. Either way it must end signed in.
import assert from 'node:assert/strict';
import {
  answerInputBox,
  openViewContainer,
  pickQuickItem,
  runCommand,
  treeRow,
  waitForNotification,
  waitForWorkbench,
} from './workbench.mjs';

const CONTAINER = 'Fly';
const VIEW = 'Deploy Tokens';

/** For runners that find scenarios by file name. */
export const scenarios = [{ name: 'browser-sign-in', run: browserSignInFlow }];

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page a page of its own (no Fly session yet)
 * @param {string} ctx.url code-server URL with the sample folder open
 * @param {{url: string, token: string}} ctx.emulator
 * @param {string} ctx.shotsDir
 * @param {(...args: unknown[]) => void} ctx.log
 */
export async function browserSignInFlow({ page, url, emulator, log }) {
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await waitForWorkbench(page, CONTAINER);
  await openViewContainer(page, CONTAINER, VIEW);

  await runCommand(page, 'Fly: Sign In');
  // The approval page opens in a new tab (VS Code's openExternal in the browser).
  const opened = page.context().waitForEvent('page', { timeout: 30_000 });
  await pickQuickItem(page, 'Sign in with browser');
  // Opening a link may go through VS Code's "open external website?" question first.
  const dialog = page.locator('.monaco-dialog-box');
  const tab = await Promise.race([
    opened,
    dialog.waitFor({ timeout: 30_000 }).then(async () => {
      await dialog.getByRole('button', { name: 'Open', exact: true }).click();
      return opened;
    }),
  ]);
  await tab.waitForLoadState();

  // The code box tells the user what to do; in code-server it says why the page cannot come back by itself.
  const box = page.locator('.quick-input-widget .quick-input-message, .quick-input-widget .quick-input-title');
  await box.filter({ hasText: 'Approve the sign-in in your browser' }).first().waitFor();
  const prompt = (await box.allTextContents()).join(' ');
  // Its placeholder is the approval address. code-server opens a loopback link (here the emulator's; Fly's is
  // https://fly.io) through its /proxy/PORT/ path without the rest of the path, so the tab goes there as a user
  // would go to the address the box shows.
  const authUrl = (await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '';
  assert.ok(authUrl?.startsWith(`${emulator.url}/app/auth/cli/`), `the box shows the approval address: ${authUrl}`);
  if (!tab.url().startsWith(authUrl)) await tab.goto(authUrl);
  await tab.getByRole('heading', { name: 'Authorize CLI access' }).waitFor({ timeout: 30_000 });
  log('browser sign-in: approval page opened');

  await tab.getByRole('button', { name: 'Approve' }).click();
  await tab.waitForLoadState();
  const code = await tab.locator('[data-testid="code"]').textContent({ timeout: 5_000 }).catch(() => null);
  if (code) {
    assert.match(prompt, /runs on another machine.*cannot send your browser back to.*paste the code/, prompt);
    log('browser sign-in: no usable forward, pasting the code the page shows');
    await answerInputBox(page, 'paste the code the page shows', code.trim());
  } else {
    log('browser sign-in: the page came back to the forwarded loopback port');
  }
  const done = await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  assert.ok(!done.includes(emulator.token));
  await tab.close();
  await treeRow(page, VIEW, 'demo-app').waitFor();
  log('browser sign-in: signed in, the view lists the workspace apps');
}
