// What a hostile API, repository or name can no longer make the extension do, through the real commands.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { thisMachine } from '../../src/auth/flyAuth';
import { deactivate } from '../../src/extension';
import { copyToken } from '../../src/minting/clipboard';
import { eventually, setUp, snapshot, type Harness } from './support/harness';
import { recordWorld } from './support/secrets';

describe('hardening: hostile answers and names', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await setUp();
    h.prompter.notifications.length = 0;
  });
  afterEach(() => {
    recordWorld(h.emu);
    h.prompter.assertDone();
  });

  describe('loopback sessions belong to their machine', () => {
    const KEY = 'flyTokens.session';
    afterEach(async () => {
      await h.api.context.secrets.delete(KEY);
      await h.api.model.refresh();
    });

    for (const [what, madeOn] of [
      ['made on another machine (a local window, seen from a remote one)', 'remote:ssh-remote+elsewhere'],
      ['that does not say where it was made', undefined],
    ] as const) {
      it(`a session for the loopback emulator ${what} is not used: its token is sent nowhere`, async () => {
        const api = new URL(h.emu.url).origin;
        const session = { id: 'fly-elsewhere', token: h.emu.demoToken, email: 'demo@example.com', kind: 'user', api, machine: madeOn };
        h.emu.clearRequests();
        await h.api.context.secrets.store(KEY, JSON.stringify(session));
        await eventually(async () => assert.deepStrictEqual(await h.api.auth.account(), { email: 'demo@example.com', kind: 'user' }));
        await h.api.model.refresh();
        assert.notStrictEqual((await h.api.auth.credentials())?.api, api, 'the token is not offered for this loopback');
        assert.deepStrictEqual(await snapshot(h.api, 1), [], 'no tokens listed');
        const sent = h.emu.requests.filter((r) => r.authorization !== '');
        assert.deepStrictEqual(sent, [], 'no request carried a token');
      });
    }

    it('the same session made on this machine is used', async () => {
      const api = new URL(h.emu.url).origin;
      const session = { id: 'fly-here', token: h.emu.demoToken, email: 'demo@example.com', kind: 'user', api, machine: thisMachine() };
      await h.api.context.secrets.store(KEY, JSON.stringify(session));
      await eventually(async () => assert.strictEqual((await h.api.auth.credentials())?.api, api));
      await eventually(async () => assert.ok((await snapshot(h.api, 1)).some((r) => r.label === 'demo-app'), 'the view loaded'));
    });
  });

  describe('the clipboard', () => {
    const config = () => vscode.workspace.getConfiguration('flyTokens');
    afterEach(() => config().update('clearClipboardAfterSeconds', undefined, vscode.ConfigurationTarget.Global));

    it('a clear still pending when the window closes is done on deactivate, not lost', async () => {
      await config().update('clearClipboardAfterSeconds', 600, vscode.ConfigurationTarget.Global);
      const header = `FlyV1 fm2_pendingclear${Date.now()}`;
      assert.match(await copyToken(header), /cleared in 600 seconds/);
      assert.strictEqual(await vscode.env.clipboard.readText(), header);
      await deactivate();
      assert.strictEqual(await vscode.env.clipboard.readText(), '', 'the token left the clipboard when the extension stopped');
    });

    it('on deactivate, something copied since is left alone', async () => {
      await config().update('clearClipboardAfterSeconds', 600, vscode.ConfigurationTarget.Global);
      await copyToken(`FlyV1 fm2_overwritten${Date.now()}`);
      await vscode.env.clipboard.writeText('the user copied this since');
      await deactivate();
      assert.strictEqual(await vscode.env.clipboard.readText(), 'the user copied this since');
    });
  });

  describe('links from the API', () => {
    beforeEach(async () => {
      await vscode.commands.executeCommand('flyTokens.signOut');
      await h.api.model.refresh();
      h.prompter.notifications.length = 0;
    });

    for (const hostile of ['file:///etc/passwd', 'vscode:extension/evil.evil', 'https://fly.io.attacker.example/app/auth/cli/x']) {
      it(`a sign-in page at ${hostile.split(':')[0]}:… from the API is not opened, and says why`, async () => {
        h.emu.modes.hostileAuthUrl = hostile;
        h.prompter.answer('signIn.method', 'Sign in with browser');
        await vscode.commands.executeCommand('flyTokens.signIn');
        assert.deepStrictEqual(h.prompter.opened, [], 'nothing was handed to the operating system');
        const errors = h.prompter.notifications.filter((n) => n.kind === 'error');
        assert.strictEqual(errors.length, 1, JSON.stringify(h.prompter.notifications));
        assert.match(errors[0].message, /Refusing to open the sign-in page/);
        assert.ok(errors[0].message.includes(hostile.slice(0, 30)), errors[0].message);
        assert.deepStrictEqual(await vscode.authentication.getAccounts('flyio'), [], 'not signed in');
      });
    }
  });
});
