// The view in a narrow sidebar: long lists fold, a broken fly.toml opens where it breaks, texts agree in number,
// and what Fly said about a failing app reaches the log with its reason.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Command } from '../../src/commandIds';
import { badgeTooltip } from '../../src/tree/expiryWarnings';
import { GROUP_ABOVE } from '../../src/tree/tokensTree';
import { eventually, find, setUp, signIn, snapshot, type Harness } from './support/harness';

const DAY = 86_400_000;

async function logText(h: Harness): Promise<string> {
  const dir = h.api.context.logUri.fsPath;
  const files = (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.log'));
  return (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join('\n');
}

describe('the view in a narrow sidebar', () => {
  let h: Harness;
  before(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  it(`folds expired tokens under a collapsed "Expired (n)" row when an app lists more than ${GROUP_ABOVE}`, async () => {
    for (let i = 0; i < GROUP_ABOVE; i++) h.emu.world.addToken({ app: 'acme-api', name: `ci ${String(i).padStart(2, '0')}` });
    for (let i = 0; i < 7; i++) h.emu.world.addToken({ app: 'acme-api', name: `gone ${i}`, createdAt: new Date(Date.now() - 90 * DAY), expiresAt: new Date(Date.now() - (i + 1) * DAY) });
    await h.api.model.refresh();
    const app = find(await snapshot(h.api, 3), 'acme-api').children!;
    const group = find(app, 'Expired (7)');
    assert.strictEqual(group.contextValue, 'group');
    assert.strictEqual(app[app.length - 1], group, 'after the active tokens');
    assert.ok(app.every((r) => r === group || r.contextValue?.startsWith('token;active')), 'only active tokens outside the group');
    assert.deepStrictEqual(group.children?.length, 7);
    assert.ok(group.children.every((r) => r.contextValue === 'token;expired' && r.label.startsWith('gone ')));
    const item = h.api.tree.getChildren().find((n) => n.label === 'acme-api');
    const groupItem = h.api.tree.getChildren(item).find((n) => n.contextValue === 'group');
    assert.strictEqual(groupItem?.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'folded until opened');
  });

  it('keeps short lists flat', async () => {
    const demo = find(await snapshot(h.api), 'demo-app').children!;
    assert.ok(!demo.some((r) => r.contextValue === 'group'));
    assert.ok(demo.some((r) => r.contextValue === 'token;expired'));
  });

  it('opens a broken fly.toml at the line and column the TOML reader named', async () => {
    const row = h.api.tree.getChildren().find((n) => n.contextValue === 'fileError' && String(n.label).endsWith('fly.broken.toml'));
    assert.ok(row?.command, 'the file row opens its file');
    await vscode.commands.executeCommand(row.command.command, ...(row.command.arguments ?? []));
    const editor = await eventually(() => {
      const e = vscode.window.activeTextEditor;
      assert.ok(e && e.document.uri.path.endsWith('fly.broken.toml'), 'the file is open');
      return e;
    });
    assert.strictEqual(editor.selection.active.line, 2, 'line 3 (0-based 2)');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('says "it" for one token and "them" for several when asking to revoke', async () => {
    const rows = h.api.tree.getChildren(h.api.tree.getChildren().find((n) => n.label === 'demo-app')).filter((n) => n.contextValue === 'token;active');
    h.prompter.answer('revoke.confirm', false);
    await vscode.commands.executeCommand(Command.revokeToken, rows[0]);
    const one = h.prompter.asked.find((a) => a.id === 'revoke.confirm');
    assert.match(one?.detail ?? '', /Anything that uses it, such as a CI pipeline/);
    assert.doesNotMatch(one?.detail ?? '', /uses them/);
    assert.strictEqual(badgeTooltip(1, 1), '1 deploy token expires within 1 day');
    assert.strictEqual(badgeTooltip(3, 1), '3 deploy tokens expire within 1 day');
    assert.strictEqual(badgeTooltip(1, 14), '1 deploy token expires within 14 days');
  });

  it('writes what Fly said about a failing app into the log, with the reason', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const dir = path.join(folder.uri.fsPath, 'log-check');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'fly.toml'), 'app = "ghost-logged"\n');
    try {
      await h.api.model.refresh({ rescan: true });
      await eventually(async () => assert.match(await logText(h), /ghost-logged: .*no app named "ghost-logged"/i));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await h.api.model.refresh({ rescan: true });
    }
  });
});
