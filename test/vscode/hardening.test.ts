// What a hostile API, repository or name can no longer make the extension do, through the real commands.
import * as assert from 'assert';
import * as vscode from 'vscode';
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
