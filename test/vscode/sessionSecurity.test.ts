// Issue 11 (security review), the Fly session: bound to the API it was made for (item 1), FLY_API_BASE_URL asked
// about in a remote window (item 1), a stuck sign-in never blocks the next (item 4), browser sign-in in a remote
// window (item 5), what other extensions get from the `flyio` AuthenticationProvider (item 6), and a sign-out
// that says when it failed (item 7).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../emulator';
import type { InputOptions } from '../../src/ui/prompter';
import { eventually, setUp, signIn, snapshot, type Harness } from './support/harness';

const KEY = 'flyTokens.session';

/** Answers the browser-code box as a user who never comes back: it stays open until closed from outside. */
function untilClosed(o: InputOptions): Promise<string | undefined> {
  const c = o.cancellation;
  assert.ok(c, 'the browser-code box cannot be closed from outside');
  return new Promise((resolve) => {
    if (c.isCancellationRequested) return resolve(undefined);
    c.onCancellationRequested(() => resolve(undefined));
  });
}

function sessionIdOf(authUrl: string): string {
  const m = /\/app\/auth\/cli\/([^/?#]+)$/.exec(new URL(authUrl).pathname);
  assert.ok(m, `unexpected auth URL ${authUrl}`);
  return decodeURIComponent(m[1]);
}

describe('security: the Fly session and its API', () => {
  let h: Harness;
  let other: Emulator;
  const config = () => vscode.workspace.getConfiguration('flyTokens');

  before(async () => {
    h = await setUp();
    other = await startEmulator({ port: 0, token: h.emu.demoToken });
  });
  beforeEach(async () => {
    h = await setUp();
    other.reset();
    await signIn(h);
    h.prompter.notifications.length = 0;
  });
  afterEach(async () => {
    // The suite's own way to the emulator (see harness.ts), and no setting.
    process.env.FLY_API_BASE_URL = h.emu.url;
    await config().update('apiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    h.prompter.assertDone();
  });
  /** The API now comes from the user setting, as for a user without FLY_API_BASE_URL. */
  async function useSetting(url: string): Promise<void> {
    delete process.env.FLY_API_BASE_URL;
    await config().update('apiBaseUrl', url, vscode.ConfigurationTarget.Global);
  }
  after(async () => {
    await other.close();
    // Leave the suite signed in to the shared emulator, as the other files expect.
    const s = await setUp();
    await signIn(s);
  });

  it('keeps the API origin with the session in SecretStorage', async () => {
    const stored = JSON.parse((await h.api.context.secrets.get(KEY)) ?? '{}') as { api?: string };
    assert.strictEqual(stored.api, new URL(h.emu.url).origin);
  });

  it('the API URL setting moved to another host: the view says the session belongs to another API, and its token is never sent there', async () => {
    await useSetting(other.url);
    await eventually(() => assert.strictEqual(h.api.model.listing.status, 'otherApi'));
    await vscode.commands.executeCommand('flyTokens.refresh');
    await h.api.model.refresh();
    assert.deepStrictEqual(await snapshot(h.api, 1), [], 'the view shows its welcome text instead of rows');
    assert.strictEqual(other.requests.length, 0, 'not one request reached the other API');
    // Creating a token for an app by name goes through the client factory: it refuses before anything is sent.
    h.prompter.answer('create.name', 'ci').answer('create.expiry', (labels: string[]) => labels[0]);
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    const note = await h.prompter.waitForNotification(/belongs to/);
    assert.ok(note.message.includes(new URL(h.emu.url).host) && note.message.includes(new URL(other.url).host), note.message);
    assert.strictEqual(other.requests.length, 0, 'no command sent the token to the other API');
  });

  it('"Sign In There" signs in to the API in effect; the new session is bound to it', async () => {
    await useSetting(other.url);
    await eventually(() => assert.strictEqual(h.api.model.listing.status, 'otherApi'));
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', h.emu.demoToken);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.prompter.waitForNotification(/Signed in to Fly\.io as/);
    const stored = JSON.parse((await h.api.context.secrets.get(KEY)) ?? '{}') as { api?: string };
    assert.strictEqual(stored.api, new URL(other.url).origin);
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'ready');
    assert.ok(other.graphqlRequests().length > 0, 'the view loads from the API it signed in to');
    // Back to the first API: now that session is the one elsewhere, and the first emulator gets nothing.
    h.emu.clearRequests();
    await useSetting(h.emu.url);
    await eventually(() => assert.strictEqual(h.api.model.listing.status, 'otherApi'));
    assert.strictEqual(h.emu.graphqlRequests().length, 0);
  });

  it('FLY_API_BASE_URL in a remote window is asked about once, naming its host; allowed, it wins over the setting but never gets the session made for another API', async () => {
    await useSetting(h.emu.url);
    process.env.FLY_API_BASE_URL = other.url;
    const host = new URL(other.url).host;
    await h.api.model.refresh();
    if (vscode.env.remoteName) {
      assert.strictEqual(h.api.model.listing.status, 'confirmApi', 'nothing is sent before the user answers');
      h.prompter.answer('signIn.envApi', true).answer('signIn.method', undefined);
      await vscode.commands.executeCommand('flyTokens.signIn');
      const asked = h.prompter.asked.find((a) => a.id === 'signIn.envApi');
      assert.ok(asked?.message?.includes(host), asked?.message);
      assert.match(asked?.detail ?? '', /remoteEnv, containerEnv/);
    }
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'otherApi');
    assert.strictEqual(other.requests.length, 0, 'the session made for the setting’s API was not sent to FLY_API_BASE_URL');
    // Asked once: signing in there does not ask again.
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', h.emu.demoToken);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.prompter.waitForNotification(/Signed in to Fly\.io as/);
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'ready');
    assert.ok(other.graphqlRequests().length > 0, 'FLY_API_BASE_URL wins over the setting once allowed');
  });

  it('FLY_API_BASE_URL not allowed in a remote window: ignored for the window, nothing sent to its host', async function () {
    if (!vscode.env.remoteName) this.skip(); // a local window honours the variable as flyctl does
    // Another spelling of the other emulator's address: a URL of its own, not yet asked about.
    await useSetting(h.emu.url);
    process.env.FLY_API_BASE_URL = other.url.replace('127.0.0.1', 'localhost');
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'confirmApi');
    h.prompter.answer('signIn.envApi', false).answer('signIn.method', undefined);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'ready', 'the setting’s API is used, with the session made for it');
    assert.strictEqual(other.requests.length, 0);
  });
});

describe('security: sign-in and sign-out that tell the truth', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    h.prompter.notifications.length = 0;
  });
  afterEach(() => h.prompter.assertDone());

  it('a browser sign-in left waiting does not block a later sign-in, which replaces it', async () => {
    let opened = '';
    h.prompter.onOpenExternal((url) => void (opened = url)); // the user never approves in the browser
    h.prompter.answer('signIn.method', 'Sign in with browser').answer('signIn.browserCode', untilClosed);
    const first = vscode.commands.executeCommand('flyTokens.signIn');
    await eventually(() => assert.ok(opened, 'the browser page was opened'));
    h.prompter.answer('signIn.method', 'Paste an auth token').answer('signIn.token', h.emu.demoToken);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com/);
    await first; // the stuck attempt ended quietly
    assert.strictEqual(h.prompter.notifications.filter((n) => n.kind === 'error').length, 0, JSON.stringify(h.prompter.notifications));
    // Its session on Fly's side was never redeemed, and its approval now would change nothing.
    const { redirectUrl } = h.emu.approveCliSession(sessionIdOf(opened));
    if (redirectUrl) await assert.rejects(fetch(redirectUrl), 'the replaced attempt stopped listening');
  });

  it('browser sign-in in a remote window: Fly gets a loopback port on the browser’s side, or none and the user pastes the code, told why', async () => {
    await vscode.commands.executeCommand('flyTokens.signOut');
    let approved: { code: string; redirectUrl: string | null } | undefined;
    h.prompter.onOpenExternal((url) => void (approved = h.emu.approveCliSession(sessionIdOf(url))));
    const probe = await vscode.env.asExternalUri(vscode.Uri.parse('http://127.0.0.1:45678/callback'));
    const direct = probe.scheme === 'http' && /^(127\.0\.0\.1|localhost):\d+$/.test(probe.authority) && probe.path === '/callback';
    let prompt = '';
    h.prompter.answer('signIn.method', 'Sign in with browser').answer('signIn.browserCode', async (o: InputOptions) => {
      prompt = o.prompt ?? '';
      await eventually(() => assert.ok(approved));
      if (direct) return untilClosed(o);
      return approved!.code;
    });
    if (direct) {
      // The forwarded port is what Fly redirects to; following it completes the sign-in.
      const follow = (async () => {
        await eventually(() => assert.ok(approved?.redirectUrl, 'Fly got a redirect port'));
        await fetch(approved!.redirectUrl!);
      })();
      await vscode.commands.executeCommand('flyTokens.signIn');
      await follow;
    } else {
      await vscode.commands.executeCommand('flyTokens.signIn');
      assert.strictEqual(approved?.redirectUrl, null, `Fly got no port, as ${probe.toString(true)} is not a loopback port`);
      assert.match(prompt, /another machine.*cannot send your browser back to.*paste the code/);
      assert.ok(prompt.includes(`${probe.scheme}://${probe.authority}`), prompt);
    }
    await h.prompter.waitForNotification(/Signed in to Fly\.io as demo@example\.com/);
  });

  it('other extensions asking for a "flyio" session get the account, never the auth token', async () => {
    const sessions = await h.api.auth.getSessions();
    assert.strictEqual(sessions.length, 1);
    assert.strictEqual(sessions[0].account.label, 'demo@example.com');
    assert.strictEqual(sessions[0].accessToken, '', 'the session VS Code hands out carries no token');
    const accounts = await vscode.authentication.getAccounts('flyio');
    assert.deepStrictEqual(accounts.map((a) => a.label), ['demo@example.com']);
  });

  it('sign-out says it failed when the secret store refuses to delete, and the session stays', async () => {
    const secrets = h.api.context.secrets;
    const del = secrets.delete;
    secrets.delete = () => Promise.reject(new Error('The keyring is locked'));
    try {
      await vscode.commands.executeCommand('flyTokens.signOut');
      const note = await h.prompter.waitForNotification(/secret storage/);
      assert.strictEqual(note.kind, 'error');
      assert.match(note.message, /refused to delete your Fly\.io token.*may still be stored/);
      assert.ok(!h.prompter.notifications.some((n) => /Signed out/.test(n.message)), 'no success message');
    } finally {
      secrets.delete = del;
    }
    assert.ok(await h.api.auth.account(), 'still signed in: the token is still stored');
  });
});
