// Runs LAST (see suites.ts): no token used or minted anywhere in the suite reached the extension's log or any file
// VS Code keeps in its user-data folder (settings, global and workspace storage, state databases, other logs).
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { current, eventually, setUp, signIn, type Harness } from './support/harness';
import { describeSecret, findLeak, recordSecret, recordWorld, recordedSecrets, windowsOf } from './support/secrets';

// Root-level: after every test of every suite, before the next setUp() rebuilds the world with new tokens.
afterEach(() => {
  const shared = current();
  if (shared) recordWorld(shared.emu);
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Each file holding a piece of a secret, named with the secret's kind only. */
async function leaksIn(files: readonly string[], secrets: readonly string[]): Promise<string[]> {
  const windows = windowsOf(secrets);
  const found: string[] = [];
  for (const file of files) {
    // latin1 keeps every byte as one character, so binary files (state.vscdb) are searched as they are.
    const leak = findLeak(await fs.readFile(file, 'latin1'), windows);
    if (leak) found.push(`${file} at byte ${leak.offset}: ${describeSecret(secrets[leak.secret])}`);
  }
  return found;
}

describe('no secret reaches disk (runs last)', () => {
  let h: Harness;
  let marker: string;

  before(async function () {
    this.timeout(60_000);
    h = await setUp();
    // Whatever ran before, this suite itself uses every kind of secret once: a user token, a deploy token minted
    // through the real command, a session Fly refuses, and a last sign-in whose line in the log proves it is flushed.
    await signIn(h);
    h.prompter.answer('create.name', 'leak-check').answer('create.expiry', '30 days');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    await h.prompter.waitForNotification(/copied to the clipboard/);
    assert.strictEqual(h.emu.world.mintedHeaders().length, 1, 'a deploy token was minted');
    // A leaked deploy token pasted into Revoke a Leaked Token…, checked and revoked with itself.
    const leaked = h.emu.world.tokens().find((t) => t.name === 'staging deploy')!.header;
    recordSecret(leaked);
    h.prompter.answer('leaked.token', leaked).answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    await h.prompter.waitForNotification(/The token was revoked/);
    h.emu.faults.next(1, { status: 401 });
    await vscode.commands.executeCommand('flyTokens.refresh');
    assert.strictEqual(h.api.auth.isInvalid, true);
    marker = `leak-check-${Date.now().toString(36)}@example.com`;
    const user = h.emu.world.addUser({ email: marker });
    await signIn(h, user.token);
    recordWorld(h.emu);
    recordSecret(...h.emu.world.mintedHeaders());
    h.prompter.assertDone();
  });

  it('the scanner finds a piece of a secret, cut short and inside other text', () => {
    const secrets = recordedSecrets();
    assert.ok(secrets.length >= 20, `only ${secrets.length} secrets recorded`);
    const minted = h.emu.world.mintedHeaders()[0].replace(/^FlyV1 /, '').split(',')[0];
    assert.ok(findLeak(`line 3: "${minted.slice(10, 40)}…" (truncated)`, windowsOf(secrets)), 'a 30-character piece is found');
    assert.strictEqual(findLeak(`no secret here ${'A'.repeat(200)}`, windowsOf(secrets)), undefined);
  });

  it("the extension's log holds no piece of any token", async () => {
    const dir = h.api.context.logUri.fsPath;
    const logs = await eventually(async () => {
      const files = (await filesUnder(dir)).filter((f) => f.endsWith('.log'));
      const text = (await Promise.all(files.map((f) => fs.readFile(f, 'utf8')))).join('\n');
      // The last sign-in's line is there: everything logged before it is on disk too.
      assert.ok(text.includes(`Signed in to Fly.io as ${marker}.`), `the log has no line for the last sign-in yet (${files.join(', ')})`);
      return files;
    });
    const text = (await Promise.all(logs.map((f) => fs.readFile(f, 'utf8')))).join('\n');
    assert.match(text, /Created deploy token \S+ \("leak-check"\) for demo-app/);
    assert.match(text, /refused the stored auth token \(401\)/);
    assert.deepStrictEqual(await leaksIn(logs, recordedSecrets()), []);
  });

  it("VS Code's user-data folder (settings, storage, state databases, logs) holds no piece of any token", async () => {
    // globalStorageUri is <user-data>/User/globalStorage/<extension id>.
    let user = h.api.context.globalStorageUri.fsPath;
    while (path.basename(user) !== 'User') {
      const up = path.dirname(user);
      assert.notStrictEqual(up, user, `no User folder above ${h.api.context.globalStorageUri.fsPath}`);
      user = up;
    }
    const userData = path.dirname(user);
    // A user setting written now shows that the settings file searched is the one VS Code uses.
    const config = vscode.workspace.getConfiguration('flyTokens');
    await config.update('expiryWarningDays', 13, vscode.ConfigurationTarget.Global);
    const files = await filesUnder(userData);
    const settings = path.join(user, 'settings.json');
    try {
      assert.ok(files.includes(settings), `${settings} is among the files searched`);
      assert.match(await fs.readFile(settings, 'utf8'), /"flyTokens\.expiryWarningDays": 13\b/, 'the settings file searched is the one in use');
    } finally {
      await config.update('expiryWarningDays', undefined, vscode.ConfigurationTarget.Global);
    }
    const logDir = h.api.context.logUri.fsPath;
    if (!logDir.startsWith(userData + path.sep)) files.push(...(await filesUnder(logDir)));
    assert.deepStrictEqual(await leaksIn(files, recordedSecrets()), []);
  });
});
