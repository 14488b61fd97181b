// Revoking a leaked token through the real UI: paste it into the masked input, read what Fly says it is in the
// modal confirmation, revoke it; then the Token Hygiene report (a webview) — its picture is the README's
// media/hygiene-report.png — and a Revoke clicked inside it, which reaches the extension by message passing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  answerDialog,
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
const MEDIA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'media', 'hygiene-report.png');

/** For runners that find scenarios by file name. */
export const scenarios = [{ name: 'leaked-token', run: leakedTokenFlow }];

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page a page of its own (no Fly session yet)
 * @param {string} ctx.url code-server URL with the sample folder open
 * @param {{url: string, token: string}} ctx.emulator
 * @param {string} ctx.shotsDir
 * @param {(...args: unknown[]) => void} ctx.log
 */
export async function leakedTokenFlow({ page, url, emulator, shotsDir, log }) {
  /** @returns {Promise<{id: string, name: string, app: string | null, header: string, revokedAt: string | null}[]>} */
  const emulatorTokens = async () => (await fetch(`${emulator.url}/__emulator/tokens`)).json();
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await waitForWorkbench(page, CONTAINER);
  await openViewContainer(page, CONTAINER, VIEW);
  await runCommand(page, 'Fly: Sign In');
  await pickQuickItem(page, 'Paste an auth token');
  await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
  await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  await treeRow(page, VIEW, 'acme-web').waitFor();
  log('leaked token: signed in');

  // A teammate's deploy token leaked; nobody knows its ID. Its value is compared below, never printed.
  const leaked = (await emulatorTokens()).find((t) => t.name === 'staging deploy' && !t.revokedAt);
  assert.ok(leaked, 'the emulator has an active "staging deploy" token');
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Fly: Revoke a Leaked Token…');
  await answerInputBox(page, 'Paste the token that leaked', leaked.header, { password: true });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.locator('.dialog-message-text').filter({ hasText: 'Revoke this token?' }).waitFor();
  const detail = (await dialog.locator('.dialog-message-detail').textContent()) ?? '';
  assert.match(detail, /deploy one app: acme-web \(organization acme\)/);
  assert.match(detail, /Created by alex@example\.com/);
  assert.ok(!detail.includes(leaked.header.slice(6, 40)), 'the confirmation never shows the token');
  await page.screenshot({ path: path.join(shotsDir, 'leaked-confirm.png') });
  await answerDialog(page, 'Revoke');
  const done = await waitForNotification(page, /The token was revoked/);
  assert.ok(!done.includes(leaked.header.slice(6, 40)));
  const after = (await emulatorTokens()).find((t) => t.id === leaked.id);
  assert.ok(after?.revokedAt, 'Fly (the emulator) revoked the pasted token');
  const workbenchText = await page.locator('.monaco-workbench').innerText();
  assert.ok(!workbenchText.includes(leaked.header.slice(6, 40)), 'the token appears nowhere in the workbench');
  log('leaked token: revoked through LogOut');

  // The hygiene report: a webview in the editor area.
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Fly: Review Token Hygiene');
  const report = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  await report.locator('h1', { hasText: 'Token Hygiene' }).waitFor({ timeout: 30_000 });
  await report.locator('#departedCreator td.name', { hasText: 'nightly backups' }).waitFor();
  const expired = report.locator('#expiredNotRevoked tr', { hasText: 'old laptop' });
  await expired.waitFor();
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'Notifications: Clear All Notifications');
  const shot = path.join(shotsDir, 'hygiene-report.png');
  await page.screenshot({ path: shot });
  if (process.argv.includes('--update-screenshot') || !fs.existsSync(MEDIA)) {
    fs.copyFileSync(shot, MEDIA);
    log('updated', path.relative(process.cwd(), MEDIA));
  }
  log('hygiene report shown');

  // Revoke from the report: the page posts a message, the extension runs Revoke Token (with its confirmation).
  const oldLaptop = (await emulatorTokens()).find((t) => t.name === 'old laptop');
  assert.ok(oldLaptop && !oldLaptop.revokedAt);
  await expired.getByRole('button', { name: 'Revoke' }).click();
  await answerDialog(page, 'Revoke');
  await waitForNotification(page, 'Revoked "old laptop".');
  assert.ok((await emulatorTokens()).find((t) => t.id === oldLaptop.id)?.revokedAt, 'revoked from the webview');
  await report.locator('#expiredNotRevoked tr', { hasText: 'old laptop' }).waitFor({ state: 'detached' });
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  log('hygiene report: revoked from a row');
}
