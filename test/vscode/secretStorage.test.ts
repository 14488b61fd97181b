import * as assert from 'assert';
import * as vscode from 'vscode';
import { thisMachine } from '../../src/auth/flyAuth';
import { eventually, setUp, signIn, signOut, snapshot, type Harness } from './support/harness';

const KEY = 'flyTokens.session';

describe('the session in SecretStorage', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signOut(h);
  });
  afterEach(() => h.prompter.assertDone());

  it('follows a sign-in and a sign-out made in another window (secrets.onDidChange)', async () => {
    // Another window of the same VS Code writes the shared secret; this window only sees the change event.
    const session = { id: 'fly-other-window', token: h.emu.demoToken, email: 'demo@example.com', kind: 'user', api: new URL(h.emu.url).origin, machine: thisMachine() };
    await h.api.context.secrets.store(KEY, JSON.stringify(session));
    await eventually(async () => assert.deepStrictEqual(await h.api.auth.account(), { email: 'demo@example.com', kind: 'user' }));
    await eventually(async () => assert.ok((await snapshot(h.api, 1)).some((r) => r.label === 'demo-app'), 'the view loaded'));
    const accounts = await vscode.authentication.getAccounts('flyio');
    assert.deepStrictEqual(accounts.map((a) => a.label), ['demo@example.com']);

    await h.api.context.secrets.delete(KEY);
    await eventually(async () => assert.strictEqual(await h.api.auth.account(), undefined));
    await eventually(async () => assert.deepStrictEqual(await snapshot(h.api, 1), []));
  });

  it('when the secret store refuses to save (no keyring): a clear message, nothing stored anywhere else', async () => {
    const secrets = h.api.context.secrets;
    const store = secrets.store;
    secrets.store = () => Promise.reject(new Error('Cannot create an item in a locked collection'));
    try {
      h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', h.emu.demoToken);
      await vscode.commands.executeCommand('flyTokens.signIn');
      const note = await h.prompter.waitForNotification(/secret storage/);
      assert.strictEqual(note.kind, 'error');
      assert.match(note.message, /Nothing was saved/);
      assert.match(note.message, /keyring/);
      assert.ok(!note.message.includes(h.emu.demoToken));
    } finally {
      secrets.store = store;
    }
    assert.strictEqual(await h.api.auth.account(), undefined, 'not signed in: no plain-text fallback');
    assert.strictEqual(await secrets.get(KEY), undefined);
    const mementos = [h.api.context.globalState, h.api.context.workspaceState].flatMap((m) =>
      m.keys().map((k) => JSON.stringify(m.get(k))),
    );
    assert.ok(!mementos.some((v) => v?.includes(h.emu.demoToken)), 'the token is in no memento');
    await signIn(h);
    assert.ok(await h.api.auth.account(), 'signing in works again once the store does');
  });
});
