// What a hostile API, repository or name can no longer make the extension do, through the real commands.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { deactivate } from '../../src/extension';
import { copyToken } from '../../src/minting/clipboard';
import { setUp, type Harness } from './support/harness';
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
