// The browser login endpoints (NOTES.md §2) end to end over real HTTP, with a real loopback callback listener.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../emulator';
import { GET_CURRENT_USER } from '../emulator/flyctlDocuments';
import { postGraphql, postJson } from '../emulator/testRequests';

function pkce(): { verifier: string; challenge: string; state: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), state: randomBytes(16).toString('base64url') };
}

/** A loopback listener like flyctl's: records the callback query. */
async function callbackListener(): Promise<{ port: number; hits: URLSearchParams[]; server: Server }> {
  const hits: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') hits.push(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, hits, server };
}

describe('emulator: browser login', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  async function createSession(body: Record<string, unknown>, base = emu.url) {
    const r = await postJson(`${base}/api/v1/cli_sessions`, { name: 'test-host', signup: false, target: 'auth', ...body });
    assert.equal(r.status, 201);
    return r.json as { id: string; auth_url: string; pkce: boolean };
  }

  it('PKCE with a loopback port: approve in the page → redirect → redeem → token works, session consumed', async () => {
    const { verifier, challenge, state } = pkce();
    const cb = await callbackListener();
    try {
      const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state, redirect_port: cb.port });
      assert.equal(session.pkce, true);
      assert.equal(session.auth_url, `${emu.url}/app/auth/cli/${session.id}`);

      const page = await fetch(session.auth_url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /demo@example\.com/);
      assert.match(html, /<button[^>]*>Approve<\/button>/);

      // The form post redirects the browser to flyctl's listener; fetch follows it like a browser would.
      const approved = await fetch(session.auth_url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=demo%40example.com',
      });
      assert.equal(approved.status, 200);
      assert.equal(approved.url.startsWith(`http://127.0.0.1:${cb.port}/callback?`), true);
      assert.equal(cb.hits.length, 1);
      assert.equal(cb.hits[0].get('state'), state);
      const code = cb.hits[0].get('code') ?? '';
      assert.ok(code.length > 10);

      const wrongVerifier = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code, code_verifier: pkce().verifier });
      assert.equal(wrongVerifier.status, 400);
      assert.equal(typeof wrongVerifier.json.error, 'string');
      const wrongCode = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code: 'nope', code_verifier: verifier });
      assert.equal(wrongCode.status, 400);
      assert.equal(typeof wrongCode.json.error, 'string');

      const redeemed = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code, code_verifier: verifier });
      assert.equal(redeemed.status, 200);
      assert.ok(redeemed.json.access_token === emu.demoToken, 'the demo user\'s token');
      const who = await postGraphql(emu.url, `Bearer ${redeemed.json.access_token}`, GET_CURRENT_USER);
      assert.equal((who.json.data?.viewer as { email: string }).email, 'demo@example.com');

      const again = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code, code_verifier: verifier });
      assert.equal(again.status, 404);
      assert.equal((await fetch(session.auth_url)).status, 404);
    } finally {
      cb.server.close();
    }
  });

  it('PKCE without a port: the page shows the code to paste; approveCliSession works in-process', async () => {
    const { verifier, challenge, state } = pkce();
    const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state });
    const approved = await fetch(session.auth_url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    assert.equal(approved.status, 200);
    const html = await approved.text();
    const shown = /data-testid="code">([^<]+)</.exec(html)?.[1];
    assert.ok(shown);
    const inProcess = emu.approveCliSession(session.id);
    assert.deepEqual(inProcess, { code: shown, redirectUrl: null });
    const redeemed = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code: shown, code_verifier: verifier });
    assert.equal(redeemed.status, 200);
  });

  it('approveCliSession returns the redirect URL and can approve as another user', async () => {
    const { verifier, challenge, state } = pkce();
    const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state, redirect_port: 45678 });
    const { code, redirectUrl } = emu.approveCliSession(session.id, 'alex@example.com');
    assert.ok(redirectUrl);
    const url = new URL(redirectUrl);
    assert.equal(url.origin, 'http://127.0.0.1:45678');
    assert.equal(url.pathname, '/callback');
    assert.equal(url.searchParams.get('state'), state);
    assert.equal(url.searchParams.get('code'), code);
    const redeemed = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code, code_verifier: verifier });
    assert.ok(redeemed.json.access_token === emu.world.user('alex@example.com')?.token, 'alex\'s token');
    assert.throws(() => emu.approveCliSession(session.id), /no open CLI session/);
    assert.throws(() => emu.approveCliSession('unknown'), /no open CLI session/);
  });

  it('redeem before approval is refused, unknown session is 404, and the legacy poll stays 404 for PKCE sessions', async () => {
    const { verifier, challenge, state } = pkce();
    const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state });
    const early = await postJson(`${emu.url}/api/v1/cli_sessions/${session.id}/redeem`, { code: 'x', code_verifier: verifier });
    assert.equal(early.status, 400);
    const unknown = await postJson(`${emu.url}/api/v1/cli_sessions/nope/redeem`, { code: 'x', code_verifier: verifier });
    assert.equal(unknown.status, 404);
    emu.approveCliSession(session.id);
    assert.equal((await fetch(`${emu.url}/api/v1/cli_sessions/${session.id}`)).status, 404);
  });

  it('legacy: no code_challenge → pkce:false; poll is 404 until approved, then 200 with the token', async () => {
    const session = await createSession({});
    assert.equal(session.pkce, false);
    const poll = () => fetch(`${emu.url}/api/v1/cli_sessions/${session.id}`);
    assert.equal((await poll()).status, 404);
    assert.equal((await poll()).status, 404);
    const page = await fetch(session.auth_url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=demo%40example.com' });
    assert.match(await page.text(), /return to your terminal/);
    const done = await poll();
    assert.equal(done.status, 200);
    assert.ok(((await done.json()) as { access_token: string }).access_token === emu.demoToken, 'the demo user\'s token');
  });

  it('legacyLogin option answers pkce:false even with a challenge', async () => {
    const legacy = await startEmulator({ legacyLogin: true });
    try {
      const { challenge, state } = pkce();
      const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state, redirect_port: 40000 }, legacy.url);
      assert.equal(session.pkce, false);
      assert.equal(legacy.approveCliSession(session.id).redirectUrl, null);
      assert.equal((await fetch(`${legacy.url}/api/v1/cli_sessions/${session.id}`)).status, 200);
    } finally {
      await legacy.close();
    }
  });

  it('POST /__emulator/cli_sessions/<id>/approve approves from another process', async () => {
    const { verifier, challenge, state } = pkce();
    const session = await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state, redirect_port: 41000 });
    const approved = await postJson(`${emu.url}/__emulator/cli_sessions/${session.id}/approve`, {});
    assert.equal(approved.status, 200);
    assert.match(approved.json.redirectUrl as string, /^http:\/\/127\.0\.0\.1:41000\/callback\?state=/);
    const redeemUrl = `${emu.url}/api/v1/cli_sessions/${session.id}/redeem`;
    const redeemed = await postJson(redeemUrl, { code: approved.json.code, code_verifier: verifier });
    assert.equal(redeemed.status, 200);
    assert.equal((await postJson(`${emu.url}/__emulator/cli_sessions/nope/approve`, {})).status, 404);
  });

  it('login requests are logged without Authorization and without bodies', async () => {
    const { challenge, state } = pkce();
    await createSession({ code_challenge: challenge, code_challenge_method: 'S256', state });
    assert.deepEqual(emu.requests.map((r) => [r.method, r.path, r.authorization, r.query, r.status]), [['POST', '/api/v1/cli_sessions', '', null, 201]]);
  });
});
