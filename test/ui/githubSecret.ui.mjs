// The GitHub Actions secret path in a real VS Code: signed in to Fly by paste, "Create Deploy Token as GitHub
// Secret…" from the palette, every question answered in VS Code's own quick input (including the GitHub token,
// pasted into a masked box). The fake GitHub opens the sealed secret with libsodium, so the test compares what
// GitHub would store with the token the emulator minted, and checks that the token never passed the clipboard.
// Started by scripts/runUiTests.mjs: prepareGitHubSecret() before code-server starts (its settings and folder),
// githubSecretFlow() with a fresh browser page once code-server is up.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { FIXTURES } from '../../scripts/lib/paths.mjs';
import {
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

const CONTAINER = 'Fly.io';
const VIEW = 'Deploy Tokens';
const APP = 'demo-app';
const REPO = 'acme/web';
const SECRET = 'FLY_API_TOKEN';
const ENVIRONMENT = 'production';

/**
 * Starts the fake GitHub API in this process and writes a copy of the sample workspace whose `.git/config` points
 * at github.com/acme/web (a `.git` folder without objects: git ignores it, the extension reads its remotes).
 * @param {{dir: string}} options a fresh directory under .cache/ for the workspace copy
 * @returns {Promise<{fake: import('../github/fakeGitHub.ts').FakeGitHub, folder: string,
 *   settings: Record<string, string>, close: () => Promise<void>}>}
 */
export async function prepareGitHubSecret({ dir }) {
  const { startFakeGitHub } = await tsImport('../github/fakeGitHub.ts', import.meta.url);
  const fake = await startFakeGitHub();
  // An environment too, so the "repository or environment secret?" question is asked and answered in the UI.
  fake.addRepo(REPO, { environments: [ENVIRONMENT] });
  const folder = path.join(dir, 'sample');
  fs.cpSync(path.join(FIXTURES, 'sample'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, '.git'));
  fs.writeFileSync(
    path.join(folder, '.git', 'config'),
    `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/${REPO}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  );
  return { fake, folder, settings: { 'flyTokens.githubApiBaseUrl': fake.url }, close: () => fake.close() };
}

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page a page with clipboard permissions and no VS Code state yet
 * @param {string} ctx.url code-server URL with the workspace copy open
 * @param {{url: string, token: string}} ctx.emulator
 * @param {import('../github/fakeGitHub.ts').FakeGitHub} ctx.fake
 * @param {string} ctx.shotsDir
 * @param {(...args: unknown[]) => void} ctx.log
 */
export async function githubSecretFlow({ page, url, emulator, fake, shotsDir, log }) {
  const emulatorTokens = async () => (await fetch(`${emulator.url}/__emulator/tokens`)).json();
  const readClipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await page.goto(url);
  await waitForWorkbench(page, CONTAINER);
  log('workbench ready (GitHub secret)');
  await openViewContainer(page, CONTAINER, VIEW);

  await runCommand(page, 'Fly: Sign In');
  await pickQuickItem(page, 'Paste an auth token');
  await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
  await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  await treeRow(page, VIEW, APP).waitFor();
  log('signed in');

  // Whatever the user had copied before must still be there afterwards: the token goes straight to GitHub.
  const sentinel = `clipboard-sentinel-${Date.now().toString(36)}`;
  await page.evaluate((text) => navigator.clipboard.writeText(text), sentinel);
  assert.equal(await readClipboard(), sentinel, 'the browser clipboard did not take the sentinel');

  const name = `gh-actions-${Date.now().toString(36)}`;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Fly: Create Deploy Token as GitHub Secret…');
  await pickQuickItem(page, APP, { title: 'Create a deploy token' });
  await answerInputBox(page, 'Token name', name);
  await pickQuickItem(page, '30 days');
  // The setting points at a GitHub API other than github.com: no VS Code account choice, a pasted token.
  await answerInputBox(page, 'GitHub token for 127.0.0.1', fake.token, { password: true });
  const secretBox = page.locator('.quick-input-widget .quick-input-box input');
  await page
    .locator('.quick-input-widget .quick-input-message')
    .filter({ hasText: 'Secret name' })
    .waitFor({ state: 'visible' });
  assert.equal(await secretBox.inputValue(), SECRET, 'the secret name is not prefilled with FLY_API_TOKEN');
  await answerInputBox(page, 'Secret name', SECRET);
  await pickQuickItem(page, 'Repository secret', { title: `GitHub Actions secret in ${REPO}` });

  const confirmed = await waitForNotification(
    page,
    new RegExp(`Deploy token "${name}" is now the GitHub Actions secret ${REPO}/${SECRET}\\.`),
  );
  log('confirmed:', confirmed);

  const minted = (await emulatorTokens()).filter((t) => t.name === name);
  assert.equal(minted.length, 1, `the emulator minted ${minted.length} tokens named ${name}`);
  assert.equal(minted[0].app, APP);
  // Compared, never printed: a throw-away credential all the same.
  assert.ok(fake.secret(REPO, SECRET) === minted[0].header, 'the GitHub secret is not the token the emulator minted');
  assert.equal(fake.secret(REPO, SECRET, ENVIRONMENT), undefined, 'the environment secret was set as well');
  const puts = fake.requests.filter((r) => r.method === 'PUT');
  assert.deepEqual(
    puts.map((r) => `${r.path} ${r.status}`),
    [`/repos/${REPO}/actions/secrets/${SECRET} 201`],
    'exactly one secret PUT, answered 201',
  );
  assert.ok(!confirmed.includes(minted[0].header), 'the notification shows the token');
  assert.ok((await readClipboard()) === sentinel, 'the clipboard changed: the token went through it');
  log('secret set; the fake opened exactly the minted token; clipboard untouched');

  await expandRow(page, VIEW, APP);
  await treeRow(page, VIEW, name).waitFor();
  const siblings = (await childrenOf(page, VIEW, APP)).map((row) => row.label);
  assert.ok(siblings.includes(name), `the new token is not listed under ${APP}: ${JSON.stringify(siblings)}`);
  await notificationToast(page, /Creating a deploy token/).waitFor({ state: 'detached' });
  await widenSidebar(page, 160);
  await page.locator('.notifications-toasts .notification-toast').first().evaluate(
    (toast) => Promise.all(toast.getAnimations({ subtree: true }).map((a) => a.finished)),
  );
  const file = path.join(shotsDir, 'github-secret.png');
  await page.screenshot({ path: file });
  log('screenshot', path.relative(process.cwd(), file));
}
