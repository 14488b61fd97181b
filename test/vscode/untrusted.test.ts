// Runs only with `--untrusted`: VS Code has workspace trust on and this workspace is not trusted (Restricted Mode).
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { eventually, find, setUp, signIn, snapshot, type Harness } from './support/harness';

describe('Restricted Mode (untrusted workspace)', () => {
  let h: Harness;
  before(async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the harness must open the workspace untrusted');
    h = await setUp();
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  it('activates, signs in, and reads no fly.toml: no app rows and no app names sent to Fly', async () => {
    h.emu.clearRequests();
    await h.api.model.refresh({ rescan: true });
    assert.deepStrictEqual(await snapshot(h.api), [], 'empty: the welcome view explains Restricted Mode');
    const sent = JSON.stringify(h.emu.graphqlRequests().map((r) => r.variables));
    for (const app of ['demo-app', 'acme-web', 'acme-api']) assert.ok(!sent.includes(app), `${app} from the workspace was not sent`);
  });

  it('still lists an organization chosen by the user, and revokes', async () => {
    h.prompter.answer('org.pick', 'Acme Corp');
    await vscode.commands.executeCommand('flyTokens.chooseOrganization');
    const acme = find(await snapshot(h.api), 'Acme Corp').children!;
    assert.ok(acme.some((r) => r.label === 'staging deploy'));
    const orgNode = (h.api.tree.getChildren() ?? []).find((n) => (n as vscode.TreeItem).label === 'Acme Corp');
    const token = (h.api.tree.getChildren(orgNode as never) ?? []).find((n) => (n as vscode.TreeItem).label === 'staging deploy');
    h.prompter.answer('revoke.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeToken', token);
    await h.prompter.waitForNotification(/^Revoked "staging deploy"\.$/);
    assert.ok(h.emu.world.tokens().find((t) => t.name === 'staging deploy')!.revokedAt);
    await vscode.commands.executeCommand('flyTokens.showAppTokens');
  });

  it('creates a token only for an app name the user types, never one taken from the workspace', async () => {
    h.prompter.answer('create.appName', 'demo-app').answer('create.name', 'typed in restricted mode').answer('create.expiry', '7 days');
    await vscode.commands.executeCommand('flyTokens.createDeployToken');
    assert.ok(h.emu.world.tokens().some((t) => t.name === 'typed in restricted mode' && t.app === 'demo-app'));
  });

  it('refuses to set GitHub secrets (the repository would come from the untrusted workspace)', async () => {
    const before = h.emu.world.tokens().length;
    await vscode.commands.executeCommand('flyTokens.createTokenAsGitHubSecret', 'demo-app');
    const note = await h.prompter.waitForNotification(/Restricted Mode/);
    assert.strictEqual(note.kind, 'warning');
    assert.strictEqual(h.emu.world.tokens().length, before, 'no token minted');
  });
  it('shows a token in an open file in Problems and in a hover, without asking git or sending anything', async () => {
    const dir = path.join(vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath, 'leak-untrusted-tmp');
    const file = path.join(dir, 'ci.env');
    await fs.mkdir(dir, { recursive: true });
    try {
      await fs.writeFile(file, `FLY_API_TOKEN=${h.emu.world.tokens()[0].header}\n`);
      h.emu.clearRequests();
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await eventually(() => assert.strictEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Fly Tokens').length, 1));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 20));
      const text = hovers.flatMap((hv) => hv.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : ''))).join('\n');
      assert.match(text.replace(/&nbsp;/g, ' '), /Git is not asked in Restricted Mode\./);
      assert.strictEqual(h.emu.requests.length, 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
