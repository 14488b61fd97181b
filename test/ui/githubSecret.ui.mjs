// The GitHub Actions secret path in a real VS Code: signed in to Fly by paste, "Create Deploy Token as GitHub
// Secret…" from the palette, every question answered in VS Code's own quick input (including the GitHub token,
// pasted into a masked box). The fake GitHub opens the sealed secret with libsodium, so the test compares what
// GitHub would store with the token the emulator minted, and checks that the token never passed the clipboard.
// Found and started by scripts/runUiTests.mjs: prepare() before code-server starts (its settings and folder),
// run() with a fresh browser page once code-server is up.
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

const CONTAINER = 'Fly';
const VIEW = 'Deploy Tokens';
const APP = 'demo-app';
const REPO = 'acme/web';
const SECRET = 'FLY_API_TOKEN';
const ENVIRONMENT = 'production';

/** @type {import('./scenario.mjs').Scenario[]} */
export const scenarios = [
  {
    name: 'github-secret',
    prepare: prepareGitHubSecret,
    run: (ctx) =>
      githubSecretFlow({ ...ctx, fake: /** @type {import('../github/fakeGitHub.ts').FakeGitHub} */ (ctx.prepared.fake) }),
  },
  {
    // github.com (no API setting) in a VS Code whose GitHub sign-in is turned off: no "github" provider at all.
    name: 'github-no-provider',
    serverEnv: { VSCODE_SKIP_BUILTIN_EXTENSIONS: 'vscode.github-authentication' },
    skip: (target) =>
      target.name === 'oldest'
        ? 'its server cannot leave out a built-in extension (VSCODE_SKIP_BUILTIN_EXTENSIONS came later; code-server has no --disable-extension)'
        : undefined,
    prepare: async ({ dir }) => ({ folder: workspaceWithGitHubRemote(dir) }),
    run: noGitHubProviderFlow,
  },
];

/**
 * A copy of the sample workspace whose `.git/config` points at github.com/acme/web (a `.git` folder without objects:
 * git ignores it, the extension reads its remotes).
 * @param {string} dir a fresh directory under .cache/
 */
function workspaceWithGitHubRemote(dir) {
  const folder = path.join(dir, 'sample');
  fs.cpSync(path.join(FIXTURES, 'sample'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, '.git'));
  fs.writeFileSync(
    path.join(folder, '.git', 'config'),
    `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://github.com/${REPO}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  );
  return folder;
}

/**
 * Starts the fake GitHub API in this process and writes a workspace copy with a github.com remote.
 * @param {{dir: string}} options a fresh directory under .cache/ for the workspace copy
 * @returns {Promise<{fake: import('../github/fakeGitHub.ts').FakeGitHub, folder: string,
 *   settings: Record<string, string>, close: () => Promise<void>}>}
 */
async function prepareGitHubSecret({ dir }) {
  const { startFakeGitHub } = await tsImport('../github/fakeGitHub.ts', import.meta.url);
  const fake = await startFakeGitHub();
  // An environment too, so the "repository or environment secret?" question is asked and answered in the UI.
  fake.addRepo(REPO, { environments: [ENVIRONMENT] });
  const folder = workspaceWithGitHubRemote(dir);
  return { fake, folder, settings: { 'flyTokens.githubApiBaseUrl': fake.url }, close: () => fake.close() };
}

/**
 * @param {import('./scenario.mjs').ScenarioContext & {fake: import('../github/fakeGitHub.ts').FakeGitHub}} ctx
 *   the page has clipboard permissions and no VS Code state yet; the URL opens the workspace copy
 */
async function githubSecretFlow({ page, url, emulator, fake, shotsDir, log }) {
  /** @returns {Promise<{name: string, app: string, header: string}[]>} */
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
  const siblings = ((await childrenOf(page, VIEW, APP)) ?? []).map((row) => row.label);
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

/**
 * Without a GitHub provider, VS Code's sign-in is not offered and nothing waits for it: right after the token's
 * details comes the box for a pasted GitHub token. Escape there leaves no token minted.
 * @param {import('./scenario.mjs').ScenarioContext} ctx
 */
async function noGitHubProviderFlow({ page, url, emulator, log }) {
  await page.goto(url);
  await waitForWorkbench(page, CONTAINER);
  await openViewContainer(page, CONTAINER, VIEW);
  await runCommand(page, 'Fly: Sign In');
  await pickQuickItem(page, 'Paste an auth token');
  await answerInputBox(page, 'Paste a Fly.io auth token', emulator.token, { password: true });
  await waitForNotification(page, /Signed in to Fly\.io as demo@example\.com/);
  await treeRow(page, VIEW, APP).waitFor();

  const name = `no-provider-${Date.now().toString(36)}`;
  await runCommand(page, 'Fly: Create Deploy Token as GitHub Secret…');
  await pickQuickItem(page, APP, { title: 'Create a deploy token' });
  await answerInputBox(page, 'Token name', name);
  await pickQuickItem(page, '30 days');
  // The next question is either VS Code's sign-in choice (wrong here: nothing could answer it) or the paste box.
  const widget = page.locator('.quick-input-widget');
  const choice = widget.locator('.quick-input-title').filter({ hasText: 'Sign in to GitHub to set Actions secrets' });
  const pasteBox = widget.locator('.quick-input-title, .quick-input-message').filter({ hasText: 'GitHub token for api.github.com' });
  await choice.or(pasteBox).first().waitFor({ state: 'visible' });
  assert.equal(await choice.isVisible(), false, 'VS Code has no GitHub provider here, yet "Sign in with GitHub" was offered');
  assert.equal(await widget.locator('.quick-input-box input[type="password"]').isVisible(), true, 'the GitHub token box does not mask');
  log('paste box offered at once, no VS Code sign-in choice');
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden' });
  /** @type {{name: string}[]} */
  const tokens = await (await fetch(`${emulator.url}/__emulator/tokens`)).json();
  assert.equal(tokens.filter((t) => t.name === name).length, 0, 'cancelling at the GitHub token minted a token');
}
