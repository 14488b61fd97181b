// The leak finder in a real VS Code: Fly.io tokens in files shown in Problems, with a hover and quick fixes; the
// workspace scan with its excludes; and none of it sends anything (the emulator's request log stays empty) or shows
// the token. Files are written next to the fixture's `web` folder and removed afterwards. Tokens put in documents
// that are edited or saved are minted here with the macaroon codec, not by the emulator: VS Code keeps its own
// copies of edited files (backups, local history), which the last suite would rightly flag for emulator tokens.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Action, Location, addThirdParty, formatMacaroonPart, mintDischarge, mintMacaroon } from '../../src/fly/macaroon';
import { eventually, setUp, signIn, signOut, type Harness } from './support/harness';
import { findLeak, windowsOf } from './support/secrets';

const SOURCE = 'Fly Tokens';

/** A deploy token shaped as Fly answers createLimitedAccessToken (permission + auth discharge), app #98765. */
function localDeployToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const authKey = new Uint8Array(randomBytes(32));
  const base = mintMacaroon(new Uint8Array(randomBytes(12)), Location.Permission, new Uint8Array(randomBytes(32)), [
    { type: 'Organization', id: 4321, mask: Action.All },
    { type: 'Apps', apps: new Map([[98765, Action.All]]) },
  ]);
  const permission = addThirdParty(base, authKey, Location.Authentication);
  const tp = permission.caveats.find((c) => c.type === 'ThirdParty');
  assert.ok(tp?.type === 'ThirdParty' && tp.ticket);
  const discharge = mintDischarge(tp.ticket, authKey, Location.Authentication, [{ type: 'ValidityWindow', notBefore: now - 60, notAfter: now + 86_400 }]);
  assert.ok(discharge);
  return `FlyV1 ${formatMacaroonPart(permission)},${formatMacaroonPart(discharge)}`;
}

describe('leak finder: Fly.io tokens in files', () => {
  let h: Harness;
  let dir: string;
  const web = () => vscode.workspace.workspaceFolders!.find((f) => f.name === 'web')!.uri.fsPath;
  const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

  async function write(name: string, text: string | Buffer): Promise<vscode.Uri> {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
    return vscode.Uri.file(file);
  }

  async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  async function closeAll(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }

  /** No piece of any of `secrets` in `text` (a message, a hover, stored state). */
  function assertNoToken(text: string, secrets: string[], what: string): void {
    assert.strictEqual(findLeak(text, windowsOf(secrets)), undefined, `${what} holds a piece of a token`);
  }

  before(async function () {
    this.timeout(60_000);
    h = await setUp();
    await signOut(h); // nothing in the background: every request in the log would be the finder's
    await h.api.leaks.finder();
    dir = path.join(web(), 'leak-finder-tmp');
    await fs.rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await closeAll();
    h.prompter.assertDone();
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await h.api.context.workspaceState.update('flyTokens.leaks.ignored', undefined);
  });

  it('a deploy token is a warning, an auth token an error, in Problems; no message holds the token; nothing is sent', async () => {
    const deploy = h.emu.world.tokens()[0].header;
    const login = h.emu.demoToken;
    h.emu.clearRequests();
    const uri = await write('app.env', `# settings\nFLY_API_TOKEN="${deploy}"\nFLY_ACCESS_TOKEN=${login}\n`);
    await open(uri);
    const diags = await eventually(() => {
      const d = ours(uri);
      assert.strictEqual(d.length, 2, `diagnostics: ${d.length}`);
      return d;
    });
    const [first, second] = [...diags].sort((a, b) => a.range.start.line - b.range.start.line);
    assert.strictEqual(first.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual([first.range.start.line, first.range.start.character, first.range.end.character], [1, 15, 15 + deploy.length]);
    assert.strictEqual(second.severity, vscode.DiagnosticSeverity.Error);
    assert.match(second.message, /^Fly\.io auth token in this file \(fo1_….{4}\): a full login\. Revoke it\.$/);
    assert.match(first.message, /^Fly\.io .+ in this file \(fm2_….{4} \(\+1\)\)\. Revoke it or move it to a secret\.$/);
    for (const d of diags) assertNoToken(d.message, [deploy, login], 'a diagnostic');
    assert.deepStrictEqual(h.emu.requests.length, 0, 'opening and reading the file sent nothing');
  });

  it('the hover says what the token is, what it may do, whether git tracks the file, and that nothing was sent', async () => {
    const token = localDeployToken();
    h.emu.clearRequests();
    const uri = await write('deploy.sh', `#!/bin/sh\nexport FLY_API_TOKEN='${token}'\nfly deploy\n`);
    await open(uri);
    await eventually(() => assert.strictEqual(ours(uri).length, 1));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 30));
    const markdown = hovers.flatMap((hv) => hv.contents.map((c) => (c instanceof vscode.MarkdownString ? c.value : JSON.stringify(c)))).join('\n');
    // As read: the hover's plain text is escaped for Markdown (spaces as &nbsp;, punctuation with a backslash).
    const text = markdown.replace(/&nbsp;/g, ' ').replace(/\\([^A-Za-z0-9\s])/g, '$1');
    assert.match(text, /\*\*Fly\.io deploy token\*\*/);
    assert.match(text, /Deploys and manages the app it is limited to\./);
    assert.match(text, /App: #98765 \(everything\)/);
    assert.match(text, /Organization: #4321/);
    assert.match(text, /Valid until /);
    assert.match(text, /tracked by git|not tracked by git|ignored by git|not in a git repository|Whether git tracks/);
    assert.match(text, /Read from the token itself: nothing was sent anywhere\./);
    assertNoToken(text, [token], 'the hover');
    assert.strictEqual(ours(uri)[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(h.emu.requests.length, 0, 'the hover sent nothing');
  });

  it('typing reads only changed lines again: a pasted token appears, lines below shift, a deleted one goes', async () => {
    const token = localDeployToken();
    const uri = await write('notes.md', `intro\n\nA=${token}\nend\n`);
    const doc = await open(uri);
    await eventually(() => assert.deepStrictEqual(ours(uri).map((d) => d.range.start.line), [2]));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), `B=${localDeployToken()}\nmore\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await eventually(() => assert.deepStrictEqual(ours(uri).map((d) => d.range.start.line).sort(), [0, 4]));
    const del = new vscode.WorkspaceEdit();
    del.delete(uri, doc.lineAt(4).rangeIncludingLineBreak);
    assert.ok(await vscode.workspace.applyEdit(del));
    await eventually(() => assert.deepStrictEqual(ours(uri).map((d) => d.range.start.line), [0]));
  });

  it('"Ignore in this file" hides the token there for this workspace, storing only a hash', async () => {
    const token = localDeployToken();
    const uri = await write('ignored.env', `TOKEN=${token}\n`);
    await open(uri);
    const [d] = await eventually(() => {
      const found = ours(uri);
      assert.strictEqual(found.length, 1);
      return found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const titles = actions.filter((a) => a.command?.command.startsWith('flyTokens.')).map((a) => a.title);
    assert.deepStrictEqual(titles, ['Revoke this token…', 'Ignore in this file']);
    const ignore = actions.find((a) => a.title === 'Ignore in this file')!;
    await vscode.commands.executeCommand(ignore.command!.command, ...(ignore.command!.arguments ?? []));
    await eventually(() => assert.strictEqual(ours(uri).length, 0));
    const stored = JSON.stringify(h.api.context.workspaceState.get('flyTokens.leaks.ignored'));
    assert.match(stored, /"[0-9a-f]{32}"/);
    assertNoToken(stored, [token], 'workspace state');
    // Closed and opened again: still ignored. Another file with the same token: not ignored there.
    await closeAll();
    await open(uri);
    const other = await write('other.env', `TOKEN=${token}\n`);
    await open(other);
    await eventually(() => assert.strictEqual(ours(other).length, 1));
    assert.strictEqual(ours(uri).length, 0);
  });

  it('"Revoke this token…" runs the leaked-token flow with the token from the file, confirmed, against Fly', async () => {
    await signIn(h);
    const leaked = h.emu.world.tokens().find((t) => t.name === 'staging deploy')!;
    assert.strictEqual(leaked.revokedAt, null);
    const uri = await write('.github/workflows/deploy.yml', `env:\n  FLY_API_TOKEN: ${leaked.header}\n`);
    await open(uri);
    const [d] = await eventually(() => {
      const found = ours(uri);
      assert.strictEqual(found.length, 1);
      return found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const revoke = actions.find((a) => a.title === 'Revoke this token…');
    assert.ok(revoke?.command);
    assertNoToken(JSON.stringify(revoke.command.arguments), [leaked.header], 'the quick fix arguments');
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand(revoke.command.command, ...(revoke.command.arguments ?? []));
    await h.prompter.waitForNotification(/The token was revoked/);
    const confirm = h.prompter.asked.find((a) => a.id === 'leaked.confirm');
    assert.match(confirm?.detail ?? '', /Read from the token itself/);
    assert.ok(!h.prompter.asked.some((a) => a.id === 'leaked.token'), 'the token was not asked for: it came from the file');
    assert.ok(h.emu.world.tokens().find((t) => t.name === 'staging deploy')!.revokedAt, 'revoked in Fly');
    await signOut(h);
  });

  it('"Fly: Inspect Token…" reads a pasted token and sends nothing', async () => {
    const token = localDeployToken();
    h.emu.clearRequests();
    h.prompter.answer('inspect.token', token).answer('inspect.result', false);
    await vscode.commands.executeCommand('flyTokens.inspectToken');
    const asked = h.prompter.asked.find((a) => a.id === 'inspect.result');
    assert.strictEqual(h.prompter.asked.find((a) => a.id === 'inspect.token')?.password, true, 'the paste is masked');
    assert.strictEqual(asked?.message, 'Fly.io deploy token');
    assert.match(asked.detail ?? '', /App: #98765/);
    assert.match(asked.detail ?? '', /nothing was sent anywhere/);
    assertNoToken(`${asked.message ?? ''}\n${asked.detail ?? ''}`, [token], 'the dialog');
    assert.strictEqual(h.emu.requests.length, 0);
  });

  it('the workspace scan honours files.exclude, search.exclude and .gitignore, skips binary, huge and outside files', async function () {
    this.timeout(60_000);
    const t = () => localDeployToken();
    const outside = path.join(os.tmpdir(), `fly-leak-outside-${process.pid}.env`);
    await fs.writeFile(outside, `T=${t()}\n`);
    await write('scan/found.env', `T=${t()}\n`);
    await write('scan/deep/also.txt', `x ${t()} y\n`);
    await write('scan/node_modules/pkg/x.env', `T=${t()}\n`); // search.exclude: **/node_modules
    await write('scan/inner/.git/config', `T=${t()}\n`); // files.exclude: **/.git
    await write('scan/.gitignore', 'secret.txt\nlogs/\n');
    await write('scan/secret.txt', `T=${t()}\n`);
    await write('scan/logs/today.log', `T=${t()}\n`);
    await write('scan/image.bin', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`T=${t()}\n`)]));
    await write('scan/huge.txt', `${'x'.repeat(3 * 1024 * 1024)}\nT=${t()}\n`);
    await fs.symlink(outside, path.join(dir, 'scan', 'link.env'));
    h.emu.clearRequests();
    try {
      let labels: string[] = [];
      h.prompter.answer('leaks.results', (l: string[]) => {
        labels = l;
        return undefined;
      });
      await vscode.commands.executeCommand('flyTokens.findTokensInWorkspace');
      const rel = (f: string) => `web/leak-finder-tmp/scan/${f}`;
      assert.deepStrictEqual(labels.filter((l) => l.includes('/scan/')).sort(), [rel('deep/also.txt:1'), rel('found.env:1')]);
      const stats = h.api.leaks.lastScan();
      assert.ok(stats && stats.skippedBinary >= 1 && stats.skippedLarge >= 1 && stats.skippedOutside >= 1, JSON.stringify(stats));
      assert.strictEqual(ours(vscode.Uri.file(path.join(dir, 'scan', 'found.env'))).length, 1, 'a file not open is in Problems');
      assert.strictEqual(h.emu.requests.length, 0, 'the scan sent nothing');

      // Saved: checked again, no rescan.
      const later = vscode.Uri.file(path.join(dir, 'scan', 'found.env'));
      const doc = await open(later);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(later, new vscode.Position(1, 0), `U=${t()}\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
      await eventually(() => assert.strictEqual(ours(later).length, 2));
      await closeAll();
      await eventually(() => assert.strictEqual(ours(later).length, 2, 'closed after a scan: what it holds on disk stays in Problems'));
    } finally {
      await fs.rm(outside, { force: true });
    }
  });
});
