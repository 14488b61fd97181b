// Issue 11 items 7, 8 and 11 inside VS Code, against the Fly emulator and the fake GitHub API: GitHub sign-out
// that tells the truth and forgets only the refused token; repositories only of the GitHub the API serves; the
// opt-in clearing of the clipboard after a create.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startFakeGitHub, type FakeGitHub } from '../github/fakeGitHub';
import { eventually, setUp, signIn, type Harness } from './support/harness';

const TOKEN_KEY = 'flyTokens.githubToken';

describe('security: GitHub accounts and repositories', () => {
  let h: Harness;
  let fake: FakeGitHub;
  const web = () => vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath;
  const config = () => vscode.workspace.getConfiguration('flyTokens');
  const storedToken = async () => (JSON.parse((await h.api.context.secrets.get(TOKEN_KEY)) ?? '{}') as { token?: string }).token;
  async function remotes(lines: Record<string, string>): Promise<void> {
    await fs.mkdir(path.join(web(), '.git'), { recursive: true });
    const text = Object.entries(lines).map(([name, url]) => `[remote "${name}"]\n\turl = ${url}\n`).join('');
    await fs.writeFile(path.join(web(), '.git', 'config'), `[core]\n\tbare = false\n${text}`);
  }

  before(async () => {
    h = await setUp();
    await signIn(h);
    fake = await startFakeGitHub();
    await config().update('githubApiBaseUrl', fake.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await fs.rm(path.join(web(), '.git'), { recursive: true, force: true });
    await config().update('githubApiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await h.api.context.secrets.delete(TOKEN_KEY);
    await fake.close();
  });
  beforeEach(async () => {
    h = await setUp();
    fake.reset();
    fake.addRepo('acme/web');
    await h.api.context.secrets.delete(TOKEN_KEY);
    await remotes({ origin: 'https://github.com/acme/web.git' });
    await h.api.model.refresh();
  });
  afterEach(() => h.prompter.assertDone());

  it('Fly: Sign Out of GitHub removes a pasted token, says when there is none, and reports a refused delete', async () => {
    await h.api.context.secrets.store(TOKEN_KEY, JSON.stringify({ api: fake.url, token: fake.token }));
    await vscode.commands.executeCommand('flyTokens.signOutGitHub');
    await h.prompter.waitForNotification(/^Signed out of GitHub: your pasted GitHub token was removed/);
    assert.strictEqual(await h.api.context.secrets.get(TOKEN_KEY), undefined);

    await vscode.commands.executeCommand('flyTokens.signOutGitHub');
    await h.prompter.waitForNotification(/^No pasted GitHub token is stored\..*Accounts menu/);

    await h.api.context.secrets.store(TOKEN_KEY, JSON.stringify({ api: fake.url, token: fake.token }));
    const secrets = h.api.context.secrets;
    const del = secrets.delete;
    secrets.delete = () => Promise.reject(new Error('The keyring is locked'));
    try {
      await vscode.commands.executeCommand('flyTokens.signOutGitHub');
      const note = await h.prompter.waitForNotification(/refused to delete your GitHub token/);
      assert.strictEqual(note.kind, 'error');
    } finally {
      secrets.delete = del;
    }
    assert.strictEqual(await storedToken(), fake.token, 'still stored, as the message says');
  });

  it('a GitHub token refused by GitHub is forgotten only while it is still the stored one', async () => {
    const newer = fake.addToken(['repo']);
    fake.failNext(1, 401, { path: 'public-key' });
    h.prompter
      .answer('create.name', 'ci')
      .answer('create.expiry', '30 days')
      .answer('github.token', fake.token)
      .answer('github.secretName', async () => {
        // Meanwhile another window stored a newer token.
        await h.api.context.secrets.store(TOKEN_KEY, JSON.stringify({ api: fake.url, token: newer }));
        return 'FLY_API_TOKEN';
      });
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
    await h.prompter.waitForNotification(/GitHub did not accept your GitHub sign-in/);
    assert.strictEqual(await storedToken(), newer, 'the newer token was kept');
  });

  it('a remote on another GitHub instance is not used, and the message says why', async () => {
    await remotes({ origin: 'https://octo.ghe.com/acme/web.git' });
    h.prompter.answer('create.name', 'ci').answer('create.expiry', '30 days');
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
    const note = await h.prompter.waitForNotification(/No usable GitHub repository/);
    assert.match(note.message, /octo\.ghe\.com\/acme\/web \(on octo\.ghe\.com, but the GitHub API in use \(127\.0\.0\.1:\d+\) serves github\.com\)/);
    assert.ok(!fake.requests.some((r) => r.path.includes('/repos/')), 'nothing was asked about that repository');
  });

  it('beside a usable remote, another instance’s remote is listed as not usable', async () => {
    await remotes({ origin: 'https://github.com/acme/web.git', mirror: 'https://octo.ghe.com/acme/web.git' });
    let shown: string[] = [];
    h.prompter.answer('create.name', 'ci').answer('create.expiry', '30 days').answer('github.repo', (labels: string[]) => {
      shown = labels;
      return 'octo.ghe.com/acme/web';
    });
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
    const note = await h.prompter.waitForNotification(/octo\.ghe\.com\/acme\/web is not usable/);
    assert.deepStrictEqual(shown, ['acme/web', 'octo.ghe.com/acme/web']);
    assert.match(note.message, /Set flyTokens\.githubApiBaseUrl/);
  });
});

describe('security: clipboard hygiene (opt-in)', () => {
  let h: Harness;
  const config = () => vscode.workspace.getConfiguration('flyTokens');
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(async () => {
    await config().update('clearClipboardAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    h.prompter.assertDone();
  });

  it('off by default: the token stays on the clipboard and nothing is promised', async () => {
    h.prompter.answer('create.name', 'kept').answer('create.expiry', '30 days');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const note = await h.prompter.waitForNotification(/copied to the clipboard/);
    assert.ok(!/cleared/.test(note.message), note.message);
    assert.match(await vscode.env.clipboard.readText(), /^FlyV1 /);
  });

  it('with flyTokens.clearClipboardAfterSeconds, the notification says so and the clipboard is cleared', async () => {
    await config().update('clearClipboardAfterSeconds', 1, vscode.ConfigurationTarget.Global);
    h.prompter.answer('create.name', 'cleared').answer('create.expiry', '30 days');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const note = await h.prompter.waitForNotification(/copied to the clipboard/);
    assert.match(note.message, /The clipboard is cleared in 1 second if it still holds the token\.$/);
    await eventually(async () => assert.strictEqual(await vscode.env.clipboard.readText(), ''), 5_000);
  });
});
