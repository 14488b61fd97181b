// Signing in and out through the real commands: pasted tokens (good, wrong, limited), flyctl's login, the browser
// flow (loopback callback, pasted code, cancel), where the token is kept, and a session Fly stops accepting.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { TEAMMATE_EMAIL } from '../emulator';
import type { InputOptions } from '../../src/ui/prompter';
import { setUp, signIn, snapshot, type Harness } from './support/harness';
import { partsOf, recordSecret, recordWorld, windowsOf, findLeak } from './support/secrets';

const DEMO = 'demo@example.com';

/**
 * The Fly.io account VS Code knows of (as in the Accounts menu), read through the provider. Not getSession({silent}):
 * VS Code hands a session to an extension, this one included, only once the user granted it access, which a
 * silent call never asks for, so that would say "signed out" either way.
 */
async function account(): Promise<string | undefined> {
  const accounts = await vscode.authentication.getAccounts('flyio');
  assert.ok(accounts.length <= 1, `one account at most: ${accounts.length}`);
  return accounts[0]?.label;
}

/** Answers the browser-code box as a user who just waits: it closes itself once the browser's callback arrives. */
function untilClosed(o: InputOptions): Promise<string | undefined> {
  const c = o.cancellation;
  assert.ok(c, 'the browser-code box cannot be closed from outside');
  return new Promise((resolve) => {
    if (c.isCancellationRequested) return resolve(undefined);
    c.onCancellationRequested(() => resolve(undefined));
  });
}

/**
 * Whether Fly can send the browser straight back to a loopback listener of this extension host: VS Code forwards
 * its port as a loopback port on the browser's side (desktop, Remote-SSH, WSL). code-server and Codespaces forward
 * it as a proxy address instead, and the sign-in then goes by the pasted code (sessionSecurity.test.ts).
 */
async function callbackReachable(): Promise<boolean> {
  const probe = await vscode.env.asExternalUri(vscode.Uri.parse('http://127.0.0.1:45678/callback'));
  return probe.scheme === 'http' && /^(127\.0\.0\.1|localhost):\d+$/.test(probe.authority) && probe.path === '/callback';
}

function sessionIdOf(authUrl: string): string {
  const m = /\/app\/auth\/cli\/([^/?#]+)$/.exec(new URL(authUrl).pathname);
  assert.ok(m, `unexpected auth URL ${authUrl}`);
  return decodeURIComponent(m[1]);
}

/** Whatever a secret's text, and every long piece of it, does not occur in `text`. */
function assertNoSecret(text: string, secret: string, where: string): void {
  const leak = findLeak(text, windowsOf(partsOf(secret)));
  assert.strictEqual(leak, undefined, `${where} holds a piece of the token (at offset ${leak?.offset})`);
}

describe('signing in and out', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await setUp();
    await vscode.commands.executeCommand('flyTokens.signOut');
    await h.api.model.refresh();
    h.prompter.notifications.length = 0;
  });
  afterEach(() => {
    recordWorld(h.emu);
    h.prompter.assertDone();
  });

  it('by pasting a token: says who, offers the session to VS Code, and the view loads tokens', async () => {
    assert.strictEqual(await account(), undefined, 'signed out to begin with');
    assert.deepStrictEqual(await snapshot(h.api), []);
    const changes: string[] = [];
    const listening = vscode.authentication.onDidChangeSessions((e) => changes.push(e.provider.id));
    try {
      await signIn(h);
    } finally {
      listening.dispose();
    }
    assert.ok(changes.includes('flyio'), `VS Code heard of the new session: ${JSON.stringify(changes)}`);
    const note = await h.prompter.waitForNotification(/Signed in/);
    assert.deepStrictEqual([note.kind, note.message], ['info', `Signed in to Fly.io as ${DEMO}.`]);
    assert.strictEqual(await account(), DEMO);
    const token = h.prompter.asked.find((a) => a.id === 'signIn.token');
    assert.strictEqual(token?.password, true, 'the token box hides what is typed');
    const rows = await snapshot(h.api);
    assert.ok(rows.some((r) => r.label === 'demo-app' && r.children?.some((c) => c.label === 'github actions')), JSON.stringify(rows));
    const viewer = h.emu.graphqlRequests().find((r) => r.operationName === 'Viewer');
    assert.strictEqual(viewer?.authorization, 'Bearer <redacted>', 'the user token is sent as a Bearer token');
  });

  it('the method pick leads with the browser and flyctl’s login; the paste box says a `fly auth token` may stop working soon, and what then', async () => {
    let prompt = '';
    h.prompter
      .answer('signIn.method', (labels: string[]) => {
        assert.deepStrictEqual(labels, ['Sign in with browser', "Use flyctl's login", 'Paste an auth token']);
        return 'Paste an auth token';
      })
      .answer('signIn.token', (o: InputOptions) => {
        prompt = o.prompt ?? '';
        return undefined;
      });
    await vscode.commands.executeCommand('flyTokens.signIn');
    assert.match(prompt, /`fly auth token` \(deprecated\) may stop working soon/);
    assert.match(prompt, /asked to sign in again/);
    assert.match(prompt, /browser/);
    assert.strictEqual(await account(), undefined);
  });

  it('a wrong token: a clear error without the token in it, and still signed out', async () => {
    const wrong = 'fo1_' + 'x'.repeat(20) + Math.random().toString(36).slice(2).padEnd(12, 'q');
    recordSecret(wrong);
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', wrong);
    await vscode.commands.executeCommand('flyTokens.signIn');
    const errors = h.prompter.notifications.filter((n) => n.kind === 'error');
    assert.strictEqual(errors.length, 1, JSON.stringify(h.prompter.notifications));
    assert.match(errors[0].message, /did not accept|not valid|refused/i);
    // It is about the token just pasted: no session existed that could "no longer" be accepted.
    assert.doesNotMatch(errors[0].message, /no longer/i);
    assertNoSecret(errors[0].message, wrong, 'the error');
    assert.strictEqual(await account(), undefined);
    assert.strictEqual(h.api.auth.isInvalid, false, 'a refused candidate does not mark anything invalid');
    await h.api.model.refresh();
    assert.deepStrictEqual(await snapshot(h.api), []);
  });

  it('a wrong token while signed in leaves the existing session alone', async () => {
    await signIn(h);
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', 'fo1_nottherightoneatall0123456789');
    await vscode.commands.executeCommand('flyTokens.signIn');
    assert.strictEqual(h.prompter.notifications.filter((n) => n.kind === 'error').length, 1);
    assert.strictEqual(h.api.auth.isInvalid, false);
    assert.strictEqual(await account(), DEMO);
    await h.api.model.refresh();
    assert.ok((await snapshot(h.api)).some((r) => r.label === 'demo-app'));
  });

  it('a deploy token: asks before using a limited token; declining leaves you signed out', async () => {
    const { header } = h.emu.world.addToken({ app: 'demo-app', name: 'pasted by mistake' });
    recordSecret(header);
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', header).answer('signIn.limitedToken', false);
    await vscode.commands.executeCommand('flyTokens.signIn');
    const asked = h.prompter.asked.find((a) => a.id === 'signIn.limitedToken');
    assert.match(asked?.message ?? '', /limited Fly\.io token/);
    assertNoSecret(`${asked?.message} ${asked?.detail}`, header, 'the question');
    assert.deepStrictEqual(h.prompter.notifications, [], 'declining is not an error');
    assert.strictEqual(await account(), undefined);
    assert.strictEqual(h.emu.graphqlRequests().filter((r) => r.operationName === 'Viewer')[0]?.authorization, 'FlyV1 <redacted>');
  });

  it('a deploy token, accepted: signed in as the token’s owner', async () => {
    const { header } = h.emu.world.addToken({ app: 'demo-app', name: 'ci', user: DEMO });
    recordSecret(header);
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', header).answer('signIn.limitedToken', true);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.prompter.waitForNotification(/Signed in to Fly\.io as/);
    assert.deepStrictEqual(await h.api.auth.account(), { email: DEMO, kind: 'macaroon' });
  });

  describe("with flyctl's login", () => {
    const saved: Record<string, string | undefined> = {};
    const VARS = ['FLY_CONFIG_DIR', 'FLY_ACCESS_TOKEN', 'FLY_API_TOKEN'] as const;
    let dir: string;

    const writeConfig = (token: string, lastLogin = new Date().toISOString()) =>
      fs.writeFile(path.join(dir, 'config.yml'), `access_token: ${token}\nlast_login: ${lastLogin}\nsend_metrics: false\n`, { mode: 0o600 });

    beforeEach(async () => {
      for (const v of VARS) {
        saved[v] = process.env[v];
        delete process.env[v];
      }
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fly-config-'));
      process.env.FLY_CONFIG_DIR = dir;
    });
    afterEach(async () => {
      for (const v of VARS) {
        if (saved[v] === undefined) delete process.env[v];
        else process.env[v] = saved[v];
      }
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('from the welcome view’s link (argument "flyctl"): reads config.yml, asks nothing', async () => {
      await writeConfig(h.emu.demoToken);
      await vscode.commands.executeCommand('flyTokens.signIn', 'flyctl');
      await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com\./);
      assert.deepStrictEqual(h.prompter.asked, []);
      assert.strictEqual(await account(), DEMO);
    });

    it('from the method pick', async () => {
      await writeConfig(h.emu.demoToken);
      h.prompter.answer('signIn.method', "Use flyctl's login");
      await vscode.commands.executeCommand('flyTokens.signIn');
      await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com\./);
    });

    it('FLY_ACCESS_TOKEN wins over config.yml', async () => {
      await writeConfig(h.emu.demoToken);
      const alex = h.emu.world.user(TEAMMATE_EMAIL);
      assert.ok(alex);
      process.env.FLY_ACCESS_TOKEN = alex.token;
      await vscode.commands.executeCommand('flyTokens.signIn', 'flyctl');
      await h.prompter.waitForNotification(/Signed in/);
      assert.strictEqual(await account(), TEAMMATE_EMAIL);
    });

    it('a token Fly refuses in FLY_API_TOKEN: the error names the variable, never the token', async () => {
      const wrong = 'fo1_refusedrefusedrefused' + Math.random().toString(36).slice(2);
      recordSecret(wrong);
      process.env.FLY_API_TOKEN = wrong;
      await vscode.commands.executeCommand('flyTokens.signIn', 'flyctl');
      const [n] = h.prompter.notifications;
      assert.strictEqual(n?.kind, 'error', JSON.stringify(h.prompter.notifications));
      assert.match(n.message, /did not accept the token in FLY_API_TOKEN/);
      assertNoSecret(n.message, wrong, 'the error');
      assert.strictEqual(await account(), undefined);
    });

    it('a login older than 30 days is used only after asking', async () => {
      await writeConfig(h.emu.demoToken, new Date(Date.now() - 45 * 86_400_000).toISOString());
      h.prompter.answer('signIn.staleFlyctl', false);
      await vscode.commands.executeCommand('flyTokens.signIn', 'flyctl');
      assert.strictEqual(await account(), undefined);
      assert.deepStrictEqual(h.prompter.notifications, []);
    });

    it('no config.yml: a clear error naming the file, still signed out', async () => {
      await vscode.commands.executeCommand('flyTokens.signIn', 'flyctl');
      const [n] = h.prompter.notifications;
      assert.strictEqual(n?.kind, 'error', JSON.stringify(h.prompter.notifications));
      assert.ok(n.message.includes(path.join(dir, 'config.yml')), n.message);
      assert.match(n.message, /No flyctl login found.*fly auth login/);
      assert.strictEqual(await account(), undefined);
    });
  });

  describe('with the browser', () => {
    it('completes by itself when the browser comes back to the loopback address; the listener is closed after', async function () {
      if (!(await callbackReachable())) this.skip();
      let redirect = '';
      h.prompter.onOpenExternal(async (url) => {
        const { redirectUrl } = h.emu.approveCliSession(sessionIdOf(url));
        assert.ok(redirectUrl, 'the session has a loopback redirect');
        redirect = redirectUrl;
        const page = await fetch(redirectUrl);
        assert.strictEqual(page.status, 200);
      });
      h.prompter.answer('signIn.method', 'Sign in with browser').answer('signIn.browserCode', untilClosed);
      await vscode.commands.executeCommand('flyTokens.signIn');
      await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com\./);
      assert.strictEqual(h.prompter.opened.length, 1);
      assert.ok(h.prompter.opened[0].startsWith(`${h.emu.url}/app/auth/cli/`), h.prompter.opened[0]);
      assert.strictEqual(await account(), DEMO);
      // Nothing keeps listening on the loopback port once the sign-in is over.
      await assert.rejects(fetch(redirect), 'the loopback listener still answers after sign-in');
    });

    it('completes with the code pasted from the page', async () => {
      let code = '';
      h.prompter.onOpenExternal((url) => {
        code = h.emu.approveCliSession(sessionIdOf(url)).code;
      });
      h.prompter.answer('signIn.method', 'Sign in with browser').answer('signIn.browserCode', () => code);
      await vscode.commands.executeCommand('flyTokens.signIn');
      await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com\./);
      assert.ok(code.length > 10);
      assert.ok(h.emu.requests.some((r) => /\/api\/v1\/cli_sessions\/[^/]+\/redeem$/.test(r.path) && r.status === 200));
    });

    it('cancelled (the code box dismissed): not signed in, no error', async () => {
      const reachable = await callbackReachable();
      let redirect = '';
      h.prompter.onOpenExternal((url) => {
        // Approved but never followed: the user closes the box instead. The redirect tells which port was open.
        redirect = h.emu.approveCliSession(sessionIdOf(url)).redirectUrl ?? '';
      });
      h.prompter.answer('signIn.method', 'Sign in with browser').answer('signIn.browserCode', undefined);
      await vscode.commands.executeCommand('flyTokens.signIn');
      assert.deepStrictEqual(h.prompter.notifications, []);
      assert.strictEqual(await account(), undefined);
      if (reachable) {
        assert.ok(redirect);
        await assert.rejects(fetch(redirect), 'the loopback listener still answers after cancelling');
      } else {
        assert.strictEqual(redirect, '', 'no loopback redirect where the browser cannot reach it');
      }
    });
  });

  it('keeps the token in SecretStorage only: not in mementos, not in settings', async () => {
    await signIn(h);
    const token = h.emu.demoToken;
    const stored = await h.api.context.secrets.get('flyTokens.session');
    assert.ok(stored?.includes(token), 'the session is in SecretStorage');
    const ctx = h.api.context;
    const mementos = [
      ...ctx.globalState.keys().map((k) => [`globalState ${k}`, JSON.stringify(ctx.globalState.get(k)) ?? ''] as const),
      ...ctx.workspaceState.keys().map((k) => [`workspaceState ${k}`, JSON.stringify(ctx.workspaceState.get(k)) ?? ''] as const),
    ];
    for (const [where, text] of mementos) assertNoSecret(`${where} ${text}`, token, where);

    const properties = Object.keys(
      (vscode.extensions.getExtension('fly-deploy-tokens.fly-deploy-tokens')?.packageJSON as { contributes: { configuration: { properties: object } } })
        .contributes.configuration.properties,
    );
    assert.ok(properties.length >= 5);
    const scopes: (vscode.ConfigurationScope | undefined)[] = [undefined, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
    for (const scope of scopes) {
      const config = vscode.workspace.getConfiguration(undefined, scope);
      for (const key of properties) {
        assertNoSecret(JSON.stringify(config.inspect(key)), token, `setting ${key}`);
      }
      assertNoSecret(JSON.stringify(vscode.workspace.getConfiguration('flyTokens', scope)), token, 'the flyTokens section');
    }
  });

  it('sign out: the session is gone from VS Code and the view is empty', async () => {
    await signIn(h);
    assert.strictEqual(await account(), DEMO);
    await vscode.commands.executeCommand('flyTokens.signOut');
    await h.prompter.waitForNotification(/Signed out of Fly\.io/);
    assert.strictEqual(await account(), undefined);
    assert.strictEqual(await h.api.context.secrets.get('flyTokens.session'), undefined);
    await h.api.model.refresh();
    assert.deepStrictEqual(await snapshot(h.api), []);
  });

  it('a 401 mid-session: the view asks to sign in again, stops calling Fly, and a new sign-in recovers', async () => {
    await signIn(h);
    assert.ok((await snapshot(h.api)).length > 0);
    h.emu.faults.next(1, { status: 401 });
    await vscode.commands.executeCommand('flyTokens.refresh');
    await h.api.model.refresh();
    assert.strictEqual(h.api.auth.isInvalid, true);
    assert.deepStrictEqual(await snapshot(h.api), [], 'the welcome view ("sign in again") shows instead of rows');
    assert.strictEqual(await account(), undefined, 'VS Code is not offered a session Fly refuses');
    const count = h.emu.graphqlRequests().length;
    await vscode.commands.executeCommand('flyTokens.refresh');
    await vscode.commands.executeCommand('flyTokens.refresh');
    assert.strictEqual(h.emu.graphqlRequests().length, count, 'no request with a refused token, no loop');

    await signIn(h);
    assert.strictEqual(h.api.auth.isInvalid, false);
    assert.ok((await snapshot(h.api)).some((r) => r.label === 'demo-app'));
  });
});
