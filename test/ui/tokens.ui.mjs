// The user's path through the extension in a real VS Code: sign in by pasting a token, see the tokens of the
// workspace's apps, create a deploy token (it lands in the browser's clipboard), revoke it from the tree.
// Found and started by scripts/runUiTests.mjs, which provides the emulator, code-server and the browser page.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  answerDialog,
  answerInputBox,
  childrenOf,
  expandRow,
  notificationToast,
  openViewContainer,
  pickQuickItem,
  runCommand,
  treeRow,
  waitForNotification,
  waitForWorkbench,
  widenSidebar,
} from './workbench.mjs';
import { themesFlow } from './themes.mjs';

const CONTAINER = 'Fly';
const VIEW = 'Deploy Tokens';
const APP = 'demo-app';

/** @type {import('./scenario.mjs').Scenario[]} */
export const scenarios = [{ name: 'tokens', run: tokensFlow }];

/**
 * @param {import('./scenario.mjs').ScenarioContext} ctx
 * @returns {Promise<{readmeScreenshot: string}>} the screenshot for the README
 */
async function tokensFlow({ page, url, emulator, shotsDir, log }) {
  /** @returns {Promise<{name: string, app: string, header: string, revokedAt: string | null}[]>} */
  const emulatorTokens = async () => (await fetch(`${emulator.url}/__emulator/tokens`)).json();
  const shot = async (/** @type {string} */ name) => {
    const file = path.join(shotsDir, name);
    await page.screenshot({ path: file });
    return file;
  };

  await page.goto(url);
  await waitForWorkbench(page, CONTAINER);
  log('workbench ready');
  await openViewContainer(page, CONTAINER, VIEW);

  // Signed out, the view's welcome content explains and offers sign-in, with flyctl's login as a link.
  const welcome = page.locator('.welcome-view-content').filter({ hasText: 'Sign in to Fly.io to list, create and revoke deploy tokens' });
  await welcome.waitFor({ timeout: 30_000 });
  await welcome.getByRole('button', { name: 'Sign In to Fly.io' }).waitFor();
  await welcome.getByText("Use flyctl's login").waitFor();
  log('welcome view offers sign-in');

  // Sign in by pasting the emulator's user token into the masked input.
  await runCommand(page, 'Fly: Sign In');
  await pickQuickItem(page, 'Paste an auth token');
  await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
  const signedIn = await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  assert.ok(!signedIn.includes(emulator.token), 'the sign-in notification shows the token');
  log('signed in');

  // The workspace's apps with the emulator's seeded tokens.
  await treeRow(page, VIEW, APP).waitFor();
  await expandRow(page, VIEW, APP);
  await treeRow(page, VIEW, 'github actions').waitFor();
  const seeded = ((await childrenOf(page, VIEW, APP)) ?? []).map((row) => row.label);
  assert.ok(seeded.includes('github actions'), `seeded token missing under ${APP}: ${JSON.stringify(seeded)}`);
  log(`tokens of ${APP}:`, JSON.stringify(seeded));
  await themesFlow({ page, view: VIEW, app: APP, token: 'github actions', shotsDir, log });

  // Create: app → name → expiry in VS Code's own quick input.
  // Unique per run; it also shows in media/screenshot.png.
  const name = `ci-deploy-${Date.now().toString(36)}`;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Fly: Create Deploy Token');
  await pickQuickItem(page, APP);
  await answerInputBox(page, 'Token name', name);
  await pickQuickItem(page, '30 days');
  const created = await waitForNotification(page, /copied to the clipboard/);
  assert.match(created, new RegExp(name));

  const minted = (await emulatorTokens()).filter((t) => t.name === name);
  assert.equal(minted.length, 1, `the emulator minted ${minted.length} tokens named ${name}`);
  assert.equal(minted[0].app, APP);
  assert.equal(minted[0].revokedAt, null);
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  // Compared, never printed: it is a (throw-away) credential all the same.
  assert.ok(clipboard === minted[0].header, 'the clipboard does not hold the token the emulator minted');
  assert.ok(!created.includes(minted[0].header), 'the notification shows the token');
  log('created', name, '(clipboard holds the minted token)');

  const row = treeRow(page, VIEW, name);
  await row.waitFor();
  const siblings = ((await childrenOf(page, VIEW, APP)) ?? []).map((r) => r.label);
  assert.ok(siblings.includes(name), `the new token is not listed under ${APP}: ${JSON.stringify(siblings)}`);
  // The notification (with its "Copy Again" action) stays until dismissed: tree and toast in one picture.
  await notificationToast(page, /copied to the clipboard/).waitFor();
  await notificationToast(page, /Creating a deploy token/).waitFor({ state: 'detached' });
  await widenSidebar(page, 160);
  await page.locator('.notifications-toasts .notification-toast').first().evaluate(
    (toast) => Promise.all(toast.getAnimations({ subtree: true }).map((a) => a.finished)),
  );
  const screenshot = await shot('created.png');
  log('screenshot', path.relative(process.cwd(), screenshot));

  // Revoke with the row's inline action and the modal confirmation.
  await row.hover();
  await row.locator('.actions a.action-label[aria-label^="Revoke Token"]').click();
  await answerDialog(page, 'Revoke');
  await waitForNotification(page, `Revoked "${name}".`);
  const after = (await emulatorTokens()).find((t) => t.name === name);
  assert.ok(after?.revokedAt, 'the emulator has no revokedAt for the revoked token');
  // Revoked tokens are hidden by default; shown again, the row says what happened to it.
  await runCommand(page, 'Fly: Show Revoked Tokens');
  await treeRow(page, VIEW, name).locator('.label-description', { hasText: /^\s*revoked\s*$/ }).waitFor();
  await shot('revoked.png');
  log('revoked', name);
  // The setting lives in the server's profile, which later scenarios share: leave it as found.
  await runCommand(page, 'Fly: Hide Revoked Tokens');
  await treeRow(page, VIEW, name).waitFor({ state: 'detached' });
  return { readmeScreenshot: screenshot };
}
