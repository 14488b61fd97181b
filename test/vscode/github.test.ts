// GitHub Actions secrets, rotation, expiry warnings and the deploy workflow, inside VS Code against the Fly emulator
// and a fake GitHub API (both on 127.0.0.1 in this extension host). The fake opens each sealed secret with libsodium,
// so `fake.secret()` is the plaintext GitHub would store.
//
// The repositories: the fixture folders are not git checkouts, so before() writes a real `.git/config` (remote
// origin) into web/ and api/ — the file the extension reads when VS Code's git extension has no repository there —
// and after() removes it together with any generated `.github/`. Git ignores a `.git` folder without objects, so the
// surrounding checkout is not disturbed.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { rotatedName } from '../../src/github/rotation';
import { startFakeGitHub, type FakeGitHub } from '../github/fakeGitHub';
import { eventually, setUp, signIn, type Harness } from './support/harness';
import { ScriptedPrompter } from './support/scriptedPrompter';
import type { InputOptions } from '../../src/ui/prompter';

/** A scripted prompter that can act just before a confirmation (to break the step after it). */
class HookedPrompter extends ScriptedPrompter {
  beforeConfirm: ((id: string) => void) | undefined;
  override async confirm(id: string, message: string, detail: string): Promise<boolean> {
    this.beforeConfirm?.(id);
    return super.confirm(id, message, detail);
  }
}

const TOKEN_KEY = 'flyTokens.githubToken';

function folder(name: string): string {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  assert.ok(f, `no workspace folder ${name}`);
  return f.uri.fsPath;
}

async function cleanFixtures(): Promise<void> {
  for (const name of ['web', 'api']) {
    await fs.rm(path.join(folder(name), '.git'), { recursive: true, force: true });
    await fs.rm(path.join(folder(name), '.github'), { recursive: true, force: true });
  }
}

async function tokenNode(h: Harness, app: string, tokenName: string): Promise<vscode.TreeItem> {
  const roots = (h.api.tree.getChildren() ?? []) as vscode.TreeItem[];
  const appRow = roots.find((n) => n.label === app);
  assert.ok(appRow, `no app row ${app}`);
  const rows = (h.api.tree.getChildren(appRow as never) ?? []) as vscode.TreeItem[];
  const row = rows.find((n) => n.label === tokenName);
  assert.ok(row, `no token row ${tokenName} among ${JSON.stringify(rows.map((r) => r.label))}`);
  return row;
}

describe('GitHub Actions secrets, rotation, expiry warnings, deploy workflow', () => {
  let h: Harness;
  let p: HookedPrompter;
  let fake: FakeGitHub;
  const minted = (name: string) => {
    const t = h.emu.world.tokens().find((x) => x.name === name);
    assert.ok(t, `the emulator has no token "${name}"`);
    return t;
  };
  const puts = () => fake.requests.filter((r) => r.method === 'PUT');

  before(async function () {
    this.timeout(60_000);
    h = await setUp();
    await signIn(h);
    fake = await startFakeGitHub();
    await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', fake.url, vscode.ConfigurationTarget.Global);
    await cleanFixtures();
    for (const [name, remote] of [
      ['web', 'git@github.com:acme/web.git'],
      ['api', 'https://github.com/acme/api.git'],
    ]) {
      await fs.mkdir(path.join(folder(name), '.git'), { recursive: true });
      await fs.writeFile(path.join(folder(name), '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
    }
  });

  after(async () => {
    await cleanFixtures();
    await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await h.api.context.secrets.delete(TOKEN_KEY);
    await fake?.close();
  });

  beforeEach(async () => {
    fake.reset();
    fake.addRepo('acme/web', { environments: ['production'] });
    fake.addRepo('acme/api');
    p = new HookedPrompter();
    h.api.setPrompter(p);
    // every test signs in to GitHub by pasting (a custom GitHub API URL means no VS Code GitHub account)
    await h.api.context.secrets.delete(TOKEN_KEY);
    await h.api.model.refresh();
  });
  afterEach(() => p.assertDone());

  /** Creates a token for demo-app straight into acme/web's repository secret FLY_API_TOKEN. */
  async function createAsSecret(tokenName: string): Promise<void> {
    p.answer('create.name', tokenName)
      .answer('create.expiry', '30 days')
      .answer('github.token', fake.token)
      .answer('github.secretName', 'FLY_API_TOKEN')
      .answer('github.environment', 'Repository secret');
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
  }

  it('create as secret from an app row: GitHub holds exactly the minted token, the clipboard never sees it', async () => {
    await vscode.env.clipboard.writeText('clipboard-sentinel');
    const roots = (h.api.tree.getChildren() ?? []) as vscode.TreeItem[];
    const demoRow = roots.find((n) => n.label === 'demo-app');
    assert.ok(demoRow);
    p.onNotify(/is now the GitHub Actions secret/, 'Open Secrets Page');
    p.answer('create.name', 'ci-web')
      .answer('create.expiry', '30 days')
      .answer('github.token', fake.token)
      .answer('github.secretName', (o: InputOptions) => {
        assert.strictEqual(o.value, 'FLY_API_TOKEN', 'prefilled from flyTokens.githubSecretName');
        return 'FLY_API_TOKEN';
      })
      .answer('github.environment', (labels: string[]) => {
        assert.deepStrictEqual(labels, ['Repository secret', 'production']);
        return 'Repository secret';
      });
    p.validateWith.set('github.secretName', ['GITHUB_TOKEN', '1X', 'FLY-TOKEN', 'FLY_API_TOKEN']);
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', demoRow);

    const token = minted('ci-web');
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), token.header, 'the fake opened exactly the minted token');
    assert.strictEqual(await vscode.env.clipboard.readText(), 'clipboard-sentinel', 'the clipboard was not used');
    assert.deepStrictEqual(puts().map((r) => [r.path, r.status]), [['/repos/acme/web/actions/secrets/FLY_API_TOKEN', 201]]);
    assert.ok(fake.requests.some((r) => r.path === '/user' && r.status === 200), 'the pasted GitHub token was verified');
    assert.ok(fake.requests.every((r) => r.apiVersion === '2022-11-28' && r.accept === 'application/vnd.github+json'));
    const note = await p.waitForNotification(/is now the GitHub Actions secret/);
    assert.match(note.message, /Deploy token "ci-web" is now the GitHub Actions secret acme\/web\/FLY_API_TOKEN\./);
    assert.deepStrictEqual(p.notifications.find((n) => n === note)?.actions, ['Open Secrets Page', 'Generate Deploy Workflow']);
    assert.deepStrictEqual(p.opened, ['https://github.com/acme/web/settings/secrets/actions']);
    const v = p.asked.find((a) => a.id === 'github.secretName')?.validation ?? {};
    assert.deepStrictEqual(Object.entries(v).map(([k, m]) => [k, m === undefined]), [['GITHUB_TOKEN', false], ['1X', false], ['FLY-TOKEN', false], ['FLY_API_TOKEN', true]]);
    assert.ok(!JSON.stringify(h.api.context.globalState.get('flyTokens.githubSecrets')).includes(token.header.slice(6, 40)), 'state keeps ids only');
  });

  it('"Set as GitHub Actions Secret" on the create notification, then the offered workflow for that repository', async () => {
    p.onNotify(/copied to the clipboard/, 'Set as GitHub Actions Secret');
    p.onNotify(/is now the GitHub Actions secret/, 'Generate Deploy Workflow');
    p.answer('create.name', 'ci-api')
      .answer('create.expiry', '90 days')
      .answer('github.token', fake.token)
      .answer('github.secretName', 'fly_token_api') // upper-cased, as GitHub does
      .answer('workflow.confirm', 'Write .github/workflows/fly-deploy.yml');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'acme-api');

    const token = minted('ci-api');
    assert.strictEqual(fake.secret('acme/api', 'FLY_TOKEN_API'), token.header);
    assert.ok(!p.asked.some((a) => a.id === 'github.environment'), 'acme/api has no environments: no question');
    assert.ok(!p.asked.some((a) => a.id === 'github.repo'), "the app's fly.toml is in api/: no repository question");
    const written = await fs.readFile(path.join(folder('api'), '.github', 'workflows', 'fly-deploy.yml'), 'utf8');
    assert.match(written, /FLY_API_TOKEN: "\$\{\{ secrets\.FLY_TOKEN_API \}\}"/);
    assert.match(written, /run: "flyctl deploy --remote-only"\n/, 'fly.toml at the root: no --config');
    assert.match(written, /branches:\n\s+- "main"\n/, 'no origin/HEAD and GitHub says main');
  });

  it('an environment secret, chosen from the palette (app and environment picks)', async () => {
    p.answer('create.app', 'demo-app')
      .answer('create.name', 'ci-prod')
      .answer('create.expiry', '7 days')
      .answer('github.token', fake.token)
      .answer('github.secretName', 'FLY_API_TOKEN')
      .answer('github.environment', 'production');
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret');
    const token = minted('ci-prod');
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN', 'production'), token.header);
    assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), undefined, 'the repository secret was not touched');
    assert.deepStrictEqual(puts().map((r) => r.path), ['/repos/acme/web/environments/production/secrets/FLY_API_TOKEN']);
    await p.waitForNotification(/GitHub Actions secret acme\/web\/FLY_API_TOKEN \(environment production\)/);
  });

  it('a GitHub refusal before minting: no token is created at all', async () => {
    fake.failNext(1, 403, { path: '/public-key' });
    p.answer('create.name', 'never-made').answer('create.expiry', '7 days').answer('github.token', fake.token).answer('github.secretName', 'FLY_API_TOKEN').answer('github.environment', 'Repository secret');
    const before = h.emu.world.tokens().length;
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
    assert.strictEqual(h.emu.world.tokens().length, before, 'nothing minted');
    const note = await p.waitForNotification(/Could not prepare the GitHub secret/);
    assert.match(note.message, /"repo" scope/);
    assert.ok(!note.message.includes(fake.token));
  });

  describe('rotation', () => {
    it('happy path: the new token goes into the secret, then the old one is revoked', async () => {
      await createAsSecret('rot-ok');
      const old = minted('rot-ok');
      p.answer('rotate.expiry', (labels: string[]) => {
        assert.strictEqual(labels[0], 'Same as before (30 days)');
        return labels[0];
      })
        .answer('rotate.github', (labels: string[]) => {
          assert.deepStrictEqual(labels, ['Update GitHub secret acme/web/FLY_API_TOKEN', 'Set a GitHub secret…', 'Copy to clipboard instead']);
          return labels[0];
        })
        .answer('rotate.revokeOld', true);
      await vscode.env.clipboard.writeText('clipboard-sentinel');
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-ok'));

      const fresh = minted(rotatedName('rot-ok'));
      assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), fresh.header, 'the secret holds the new token');
      assert.deepStrictEqual(puts().map((r) => r.status), [201, 204], 'created, then updated');
      assert.ok(old.revokedAt, 'the old token is revoked');
      assert.strictEqual(fresh.revokedAt, null, 'the new one is active');
      assert.strictEqual(fresh.expiresAt.getTime() - fresh.createdAt.getTime(), 30 * 86_400_000, 'same lifetime');
      assert.strictEqual(await vscode.env.clipboard.readText(), 'clipboard-sentinel');
      const confirm = p.asked.find((a) => a.id === 'rotate.revokeOld');
      assert.match(confirm?.detail ?? '', /is in the GitHub secret acme\/web\/FLY_API_TOKEN/);
      await p.waitForNotification(/The old token "rot-ok" was revoked/);
    });

    it('the GitHub API URL changed since the secret was set: refused before anything is minted or sent', async () => {
      await createAsSecret('rot-elsewhere');
      const old = minted('rot-elsewhere');
      const count = h.emu.world.tokens().length;
      const other = await startFakeGitHub();
      try {
        other.addRepo('acme/web');
        await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', other.url, vscode.ConfigurationTarget.Global);
        p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN');
        await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-elsewhere'));
        const note = await p.waitForNotification(/Rotation stopped before anything changed/);
        assert.strictEqual(note.kind, 'error');
        assert.ok(note.message.includes(`set through the GitHub API at ${fake.url}`), note.message);
        assert.ok(note.message.includes(`now points to ${other.url}`), note.message);
        assert.deepStrictEqual(other.requests, [], 'the other GitHub heard nothing');
        assert.strictEqual(h.emu.world.tokens().length, count, 'no new token');
        assert.strictEqual(old.revokedAt, null);
        assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), old.header);
      } finally {
        await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', fake.url, vscode.ConfigurationTarget.Global);
        await other.close();
      }
    });

    it('mint fails: the old token stays valid, the secret and everything else unchanged', async () => {
      await createAsSecret('rot-mint');
      const old = minted('rot-mint');
      const count = h.emu.world.tokens().length;
      h.emu.faults.next(1, { kind: 'graphql-error', message: 'Validation failed: organization is suspended' }, { operation: 'mutation' });
      p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN');
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-mint'));

      const note = await p.waitForNotification(/Rotation stopped/);
      assert.match(note.message, /no new token was created \(.*organization is suspended.*\)\. The old token "rot-mint" is still valid and nothing was changed\./);
      assert.strictEqual(h.emu.world.tokens().length, count, 'no new token');
      assert.strictEqual(old.revokedAt, null);
      assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), old.header);
      assert.strictEqual(puts().length, 1, 'only the first PUT');
    });

    it('GitHub refuses the new secret: the new token is revoked again, the old one stays valid and in the secret', async () => {
      await createAsSecret('rot-put');
      const old = minted('rot-put');
      fake.failNext(1, 403, { method: 'PUT' });
      p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN');
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-put'));

      const fresh = minted(rotatedName('rot-put'));
      const note = await p.waitForNotification(/Rotation stopped/);
      assert.match(note.message, /GitHub did not update the secret acme\/web\/FLY_API_TOKEN \(GitHub refused access .*\)\. The new token ".*" was revoked again, so nothing changed: the old token "rot-put" is still valid and still in the secret\./);
      assert.ok(fresh.revokedAt, 'the unused new token was revoked');
      assert.strictEqual(old.revokedAt, null, 'the old token is alive');
      assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), old.header);
      assert.ok(!p.asked.some((a) => a.id === 'rotate.revokeOld'), 'never offered to revoke the old one');
    });

    it('GitHub answers 500 (outcome unknown): both tokens are kept and the new one can be copied', async () => {
      await createAsSecret('rot-500');
      const old = minted('rot-500');
      fake.failNext(1, 500, { method: 'PUT' });
      p.onNotify(/Rotation stopped/, 'Copy New Token');
      p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN');
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-500'));

      const fresh = minted(rotatedName('rot-500'));
      const note = await p.waitForNotification(/Rotation stopped/);
      assert.match(note.message, /did not confirm the secret .* Both tokens are valid: the old token "rot-500" was not revoked/);
      assert.deepStrictEqual([old.revokedAt, fresh.revokedAt], [null, null]);
      assert.strictEqual(await vscode.env.clipboard.readText(), fresh.header, 'the new token is not lost');
    });

    it('"Copy New Token" after a failed secret is cleared from the clipboard like every other copy', async () => {
      const config = vscode.workspace.getConfiguration('flyTokens');
      await config.update('clearClipboardAfterSeconds', 1, vscode.ConfigurationTarget.Global);
      try {
        await createAsSecret('rot-500-clear');
        fake.failNext(1, 500, { method: 'PUT' });
        p.onNotify(/Rotation stopped/, 'Copy New Token');
        p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN');
        await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-500-clear'));
        const copied = await p.waitForNotification(/was copied to the clipboard/);
        assert.match(copied.message, /The clipboard is cleared in 1 second if it still holds the token\.$/);
        await eventually(async () => assert.strictEqual(await vscode.env.clipboard.readText(), ''), 5_000);
      } finally {
        await config.update('clearClipboardAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('revoking the old token fails: both are valid, the secret holds the new one, and the message says so', async () => {
      await createAsSecret('rot-revoke');
      const old = minted('rot-revoke');
      p.beforeConfirm = (id) => {
        if (id === 'rotate.revokeOld') h.emu.faults.next(1, { kind: 'graphql-error', message: 'upstream timeout' }, { operation: 'mutation' });
      };
      p.answer('rotate.expiry', 'Same as before (30 days)').answer('rotate.github', 'Update GitHub secret acme/web/FLY_API_TOKEN').answer('rotate.revokeOld', true);
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'rot-revoke'));

      const fresh = minted(rotatedName('rot-revoke'));
      const note = await p.waitForNotification(/revoking the old token/);
      assert.match(note.message, /is in the GitHub secret acme\/web\/FLY_API_TOKEN\. But revoking the old token "rot-revoke" failed \(.*upstream timeout.*\): both tokens are valid now/);
      assert.deepStrictEqual([old.revokedAt, fresh.revokedAt], [null, null]);
      assert.strictEqual(fake.secret('acme/web', 'FLY_API_TOKEN'), fresh.header);
    });

    it('to the clipboard, old token kept when the user declines the revoke', async () => {
      h.emu.world.addToken({ app: 'demo-app', name: 'laptop 2030-01-02', createdAt: new Date(Date.now() - 86_400_000), expiresAt: new Date(Date.now() + 6 * 86_400_000) });
      await h.api.model.refresh();
      p.answer('rotate.expiry', (labels: string[]) => {
        assert.strictEqual(labels[0], 'Same as before (7 days)');
        return '1 year';
      })
        .answer('rotate.github', (labels: string[]) => {
          assert.deepStrictEqual(labels, ['Set a GitHub secret…', 'Copy to clipboard instead'], 'no secret is known to hold this token');
          return 'Copy to clipboard instead';
        })
        .answer('rotate.revokeOld', false);
      await vscode.commands.executeCommand('flyTokens.rotateToken', await tokenNode(h, 'demo-app', 'laptop 2030-01-02'));
      const fresh = minted(rotatedName('laptop 2030-01-02'));
      assert.match(fresh.name, /^laptop \d{4}-\d{2}-\d{2}$/);
      assert.strictEqual(await vscode.env.clipboard.readText(), fresh.header);
      assert.strictEqual(fresh.expiresAt.getTime() - fresh.createdAt.getTime(), 365 * 86_400_000);
      assert.strictEqual(minted('laptop 2030-01-02').revokedAt, null);
      await p.waitForNotification(/The old token "laptop 2030-01-02" was not revoked and is still valid/);
    });
  });

  it('expiry warning: a badge with the count, one notification per token per day with Rotate', async () => {
    await h.api.context.globalState.update('flyTokens.expiryNotified', undefined);
    h.emu.world.addToken({ app: 'demo-app', name: 'soon-gone', expiresAt: new Date(Date.now() + 3 * 86_400_000 + 60_000) });
    p.onNotify(/"soon-gone"/, 'Rotate');
    p.answer('rotate.expiry', undefined); // the Rotate action starts a rotation; cancelling it changes nothing
    await h.api.model.refresh();
    await h.api.warnings.check();
    const expiring = h.api.warnings.expiring().map((n) => n.token.name);
    assert.ok(expiring.includes('soon-gone'));
    assert.strictEqual(h.api.view.badge?.value, expiring.length);
    assert.match(h.api.view.badge?.tooltip ?? '', new RegExp(`^${expiring.length} deploy tokens? expires? within 14 days$`));
    const warned = () => p.notifications.filter((n) => /"soon-gone"/.test(n.message));
    assert.strictEqual(warned().length, 1);
    assert.match(warned()[0].message, /^Deploy token "soon-gone" of demo-app expires in 3 days\.$/);
    assert.deepStrictEqual(warned()[0].actions, ['Rotate']);
    await eventually(() => assert.match(p.asked.find((a) => a.id === 'rotate.expiry')?.title ?? '', /Rotate "soon-gone" \(demo-app\)/), {
      what: 'Rotate to ask for the lifetime',
    });

    await h.api.model.refresh();
    await h.api.warnings.check();
    assert.strictEqual(warned().length, 1, 'not repeated the same day');
    assert.strictEqual(h.api.view.badge?.value, expiring.length);
  });

  it('generate deploy workflow: repository pick, fly.toml pick, review, written once, never overwritten', async () => {
    await fs.mkdir(path.join(folder('web'), '.git', 'refs', 'remotes', 'origin'), { recursive: true });
    await fs.writeFile(path.join(folder('web'), '.git', 'refs', 'remotes', 'origin', 'HEAD'), 'ref: refs/remotes/origin/trunk\n');
    p.answer('github.repo', (labels: string[]) => {
      assert.deepStrictEqual([...labels].sort(), ['acme/api', 'acme/web']);
      return 'acme/web';
    })
      .answer('workflow.app', (labels: string[]) => {
        assert.deepStrictEqual(labels, ['fly.staging.toml', 'fly.toml']);
        return 'fly.staging.toml';
      })
      .answer('workflow.confirm', (labels: string[]) => {
        const shown = vscode.window.activeTextEditor?.document;
        assert.strictEqual(shown?.uri.scheme, 'fly-workflow-preview', 'shown for review before writing');
        assert.match(shown.getText(), /--config fly\.staging\.toml/);
        return labels[0];
      });
    await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow');
    const file = path.join(folder('web'), '.github', 'workflows', 'fly-deploy.yml');
    const text = await fs.readFile(file, 'utf8');
    // eslint-disable-next-line no-regex-spaces -- YAML indentation, spelled out as it is written
    assert.match(text, /on:\n  push:\n    branches:\n      - "trunk"\n/);
    assert.match(text, /uses: actions\/checkout@v4/);
    assert.match(text, /uses: superfly\/flyctl-actions\/setup-flyctl@master/);
    assert.match(text, /run: "flyctl deploy --remote-only --config fly\.staging\.toml"\n\s+env:\n\s+FLY_API_TOKEN: "\$\{\{ secrets\.FLY_API_TOKEN \}\}"/);

    await fs.writeFile(file, '# my own workflow\n');
    p.answer('github.repo', 'acme/web');
    await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow');
    await p.waitForNotification(/fly-deploy\.yml already exists; it was not changed/);
    assert.strictEqual(await fs.readFile(file, 'utf8'), '# my own workflow\n');
  });
});
