import { strict as assert } from 'assert';
import { Agent, createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import fetch from 'node-fetch';
import { eventually } from '../support/eventually';
import { startEmulator, DEMO_EMAIL, TEAMMATE_EMAIL, type Emulator } from '../emulator';
import {
  startBrowserLogin,
  LoginCancelledError,
  LoginError,
  type BrowserLogin,
  type BrowserLoginOptions,
  type LoginFetch,
} from '../../src/fly/login';

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
  status: number | null;
}

/** Real node-fetch, with every request remembered so tests can see what the flow sent (e.g. its verifier). */
function recordingFetch(): { fetch: LoginFetch; calls: Call[] } {
  const calls: Call[] = [];
  const wrapped: LoginFetch = async (url, init) => {
    const call: Call = {
      method: init.method,
      url,
      headers: init.headers,
      body: init.body ? (JSON.parse(init.body) as Record<string, unknown>) : null,
      status: null,
    };
    calls.push(call);
    const res = await fetch(url, init);
    call.status = res.status;
    return res;
  };
  return { fetch: wrapped, calls };
}

function sessionIdOf(login: BrowserLogin): string {
  const id = /\/app\/auth\/cli\/([^/?#]+)$/.exec(login.authUrl)?.[1];
  assert.ok(id, `no session id in ${login.authUrl}`);
  return id;
}

async function viewerEmail(emu: Emulator, token: string): Promise<string> {
  const res = await fetch(`${emu.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'query { viewer { ... on User { email } } }' }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data?: { viewer?: { email?: string } }; errors?: unknown[] };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data?.viewer?.email ?? '';
}

/** Resolves with the outcome of a promise without ever leaving it unhandled. */
async function outcome<T>(p: Promise<T>): Promise<{ value: T } | { error: Error }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error: error as Error };
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const o = await outcome(p);
  assert.ok('error' in o, 'expected a rejection');
  return o.error;
}

/** true once nothing accepts connections on the port */
async function connectionRefused(port: number): Promise<boolean> {
  try {
    // A fresh agent: Node's global one keeps sockets alive, and a reused socket would not test the listener.
    await fetch(`http://127.0.0.1:${port}/callback`, { timeout: 2000, agent: new Agent({ keepAlive: false }) });
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ECONNREFUSED';
  }
}

async function stillPending(p: Promise<unknown>, ms = 100): Promise<boolean> {
  const marker = Symbol('pending');
  const first = await Promise.race([p.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r(marker), ms))]);
  return first === marker;
}

/** The errors the flow produced in the running test: after each test, none may carry a secret. */
const errorsSeen: Error[] = [];
function remember<T extends Error>(err: T): T {
  errorsSeen.push(err);
  return err;
}
const SECRET_SHAPES = [/fo1_[A-Za-z0-9]/, /fm2_[A-Za-z0-9]/, /[A-Za-z0-9_-]{43}/];

describe('startBrowserLogin', () => {
  let emu: Emulator;
  const open: BrowserLogin[] = [];

  async function begin(extra: Partial<BrowserLoginOptions> = {}): Promise<BrowserLogin> {
    const login = await startBrowserLogin({ baseUrl: emu.url, sessionName: 'VS Code on test-host', ...extra });
    open.push(login);
    return login;
  }

  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
  });

  afterEach(async () => {
    for (const login of open.splice(0)) login.cancel();
    await emu.close();
  });

  // Checked after every test (so a single test run by --grep is checked too), never skipped.
  afterEach(function () {
    for (const err of errorsSeen.splice(0)) {
      for (const pattern of SECRET_SHAPES) {
        assert.doesNotMatch(`${err.message} ${err.stack ?? ''}`, pattern, `an error of "${this.currentTest?.title}" carries a secret`);
      }
    }
  });

  const sessionRequests = (id: string) => emu.requests.filter((r) => r.path === `/api/v1/cli_sessions/${id}`);

  /**
   * Waits until `n` poll intervals have passed, as counted by a second legacy sign-in polling a server of its own
   * at the same pace: "nothing more happens" is checked over a window that a loaded machine stretches alike.
   */
  async function pollIntervalsPass(n: number, pollIntervalMs: number): Promise<void> {
    const other = await startEmulator({ port: 0, legacyLogin: true });
    const control = await startBrowserLogin({ baseUrl: other.url, sessionName: 'control', pollIntervalMs });
    try {
      const id = sessionIdOf(control);
      const polled = () => other.requests.filter((r) => r.path === `/api/v1/cli_sessions/${id}` && r.status !== null).length;
      await eventually(() => polled() >= n, { what: `${n} polls of the control sign-in` });
    } finally {
      control.cancel();
      await outcome(control.token);
      await other.close();
    }
  }

  describe('PKCE with the loopback callback', () => {
    it('creates the session as flyctl does and resolves with the approved user’s token when the browser calls back', async () => {
      const rec = recordingFetch();
      const login = await begin({ fetch: rec.fetch, userAgent: 'fly-deploy-tokens-test/1' });
      assert.equal(login.pkce, true);
      assert.ok(login.redirectPort !== null && login.redirectPort > 0);
      assert.ok(login.authUrl.startsWith(`${emu.url}/app/auth/cli/`));

      const create = rec.calls[0];
      assert.equal(create.method, 'POST');
      assert.equal(create.url, `${emu.url}/api/v1/cli_sessions`);
      assert.equal(create.status, 201);
      assert.equal(create.headers.Authorization, undefined);
      assert.equal(create.headers['User-Agent'], 'fly-deploy-tokens-test/1');
      const body = create.body ?? {};
      assert.deepEqual(Object.keys(body).sort(), ['code_challenge', 'code_challenge_method', 'name', 'redirect_port', 'signup', 'state', 'target']);
      assert.equal(body.name, 'VS Code on test-host');
      assert.equal(body.signup, false);
      assert.equal(body.target, 'auth');
      assert.equal(body.code_challenge_method, 'S256');
      assert.equal(body.redirect_port, login.redirectPort);
      assert.match(String(body.state), /^[A-Za-z0-9_-]{22}$/, '16 random bytes, base64url without padding');
      assert.match(String(body.code_challenge), /^[A-Za-z0-9_-]{43}$/, 'SHA-256, base64url without padding');

      const { redirectUrl } = emu.approveCliSession(sessionIdOf(login), TEAMMATE_EMAIL);
      assert.ok(redirectUrl);
      const page = await fetch(redirectUrl);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await page.text(), /close this tab and return to VS Code/);

      const token = await login.token;
      assert.equal(token, emu.world.user(TEAMMATE_EMAIL)?.token);
      assert.equal(await viewerEmail(emu, token), TEAMMATE_EMAIL);

      const redeem = rec.calls.find((c) => c.url.endsWith('/redeem'));
      assert.ok(redeem);
      assert.equal(redeem.status, 200);
      assert.equal(redeem.headers.Authorization, undefined);
      assert.match(String(redeem.body?.code_verifier), /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url without padding');
      assert.ok(await connectionRefused(login.redirectPort), 'the listener closes once signed in');
    });

    it('answers the CORS preflight with 204 and allows any origin on the callback', async () => {
      const login = await begin();
      const pre = await fetch(`http://127.0.0.1:${login.redirectPort}/callback`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://fly.io', 'Access-Control-Request-Method': 'GET' },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /GET/);
      assert.ok(await stillPending(login.token));
    });

    it('refuses a callback with the wrong state or no code (400) and keeps waiting for the right one', async () => {
      const login = await begin();
      const { redirectUrl } = emu.approveCliSession(sessionIdOf(login));
      assert.ok(redirectUrl);
      const good = new URL(redirectUrl);

      const wrongState = new URL(good);
      wrongState.searchParams.set('state', 'not-the-state');
      assert.equal((await fetch(wrongState.toString())).status, 400);

      const noCode = new URL(good);
      noCode.searchParams.set('code', '');
      assert.equal((await fetch(noCode.toString())).status, 400);

      const noState = new URL(good);
      noState.searchParams.delete('state');
      assert.equal((await fetch(noState.toString())).status, 400);

      assert.equal((await fetch(`http://127.0.0.1:${login.redirectPort}/elsewhere`)).status, 404);
      assert.ok(await stillPending(login.token), 'a bad callback must not end the flow');
      assert.equal(emu.requests.filter((r) => r.path.endsWith('/redeem')).length, 0, 'nothing is redeemed for a bad callback');

      assert.equal((await fetch(redirectUrl)).status, 200);
      assert.equal(await login.token, emu.demoToken);
    });

    it('keeps waiting when the code from the page is refused, tells why, then takes a pasted code (as flyctl)', async () => {
      const refused: Error[] = [];
      const login = await begin({ onCallbackCodeRefused: (e) => refused.push(e) });
      const id = sessionIdOf(login);
      const { redirectUrl, code } = emu.approveCliSession(id);
      assert.ok(redirectUrl);
      emu.faults.next(1, { status: 500 }, { path: `/api/v1/cli_sessions/${id}/redeem` });
      assert.equal((await fetch(redirectUrl)).status, 200);
      await eventually(() => refused.length === 1, { what: 'the refused callback code reported' });
      assert.ok(refused[0] instanceof LoginError);
      assert.equal(refused[0].message, 'Fly.io had a problem finishing the sign-in (HTTP 500). Try again in a moment.');
      await login.submitCode(code);
      assert.equal(await login.token, emu.demoToken);
      assert.ok(await connectionRefused(login.redirectPort ?? 0));
    });

    it('still ends the flow when the callback’s session has expired (404)', async () => {
      const login = await begin();
      const id = sessionIdOf(login);
      const { redirectUrl } = emu.approveCliSession(id);
      assert.ok(redirectUrl);
      emu.faults.next(1, { status: 404 }, { path: `/api/v1/cli_sessions/${id}/redeem` });
      assert.equal((await fetch(redirectUrl)).status, 200);
      const err = remember(await rejection(login.token));
      assert.equal(err.message, 'This sign-in session expired. Start Sign In again.');
    });
  });

  describe('pasted code', () => {
    it('redeems a pasted code without any callback', async () => {
      const login = await begin();
      const { code } = emu.approveCliSession(sessionIdOf(login));
      await login.submitCode(`  ${code}\n`);
      const token = await login.token;
      assert.equal(token, emu.demoToken);
      assert.equal(await viewerEmail(emu, token), DEMO_EMAIL);
      assert.ok(await connectionRefused(login.redirectPort ?? 0));
    });

    it('reports a wrong code with the server’s reason, keeps waiting, then accepts the right code', async () => {
      const login = await begin();
      const { code } = emu.approveCliSession(sessionIdOf(login));
      const err = remember(await rejection(login.submitCode('wrong-code')));
      assert.ok(err instanceof LoginError);
      assert.equal(err.message, 'Fly.io did not accept the code: invalid code');
      assert.ok(await stillPending(login.token));

      const empty = remember(await rejection(login.submitCode('   ')));
      assert.match(empty.message, /Paste the code/);

      await login.submitCode(code);
      assert.equal(await login.token, emu.demoToken);
      const late = remember(await rejection(login.submitCode(code)));
      assert.match(late.message, /already finished/);
    });

    it('says the session expired when the server no longer knows it (404), and ends the flow', async () => {
      const login = await begin();
      const { code } = emu.approveCliSession(sessionIdOf(login));
      emu.reset(); // the server forgets every session, as when one expires
      const err = remember(await rejection(login.submitCode(code)));
      assert.equal(err.message, 'This sign-in session expired. Start Sign In again.');
      const tokenErr = await rejection(login.token);
      assert.equal(tokenErr.message, 'This sign-in session expired. Start Sign In again.');
      assert.ok(await connectionRefused(login.redirectPort ?? 0));
    });

    it('treats an injected 404 on redeem the same way', async () => {
      const login = await begin();
      const id = sessionIdOf(login);
      const { code } = emu.approveCliSession(id);
      emu.faults.next(1, { status: 404 }, { path: `/api/v1/cli_sessions/${id}/redeem` });
      const err = remember(await rejection(login.submitCode(code)));
      assert.match(err.message, /expired/);
      assert.match((await rejection(login.token)).message, /expired/);
    });

    it('ends the flow when the server redeems the code but sends no token', async () => {
      const server = await tinyServer((req, send) => {
        if (req.url === '/api/v1/cli_sessions') send(201, { id: 's2', auth_url: 'http://127.0.0.1:1/app/auth/cli/s2', pkce: true });
        else if (req.url === '/api/v1/cli_sessions/s2/redeem') send(200, { access_token: '' });
      });
      try {
        const login = await startBrowserLogin({ baseUrl: server.url, sessionName: 'x' });
        open.push(login);
        const err = remember(await rejection(login.submitCode('some-code')));
        assert.equal(err.message, 'Fly.io accepted the code but sent no token. Start Sign In again.');
        assert.equal((await rejection(login.token)).message, err.message);
      } finally {
        await server.close();
      }
    });

    it('lets the user paste again after a dropped connection', async () => {
      const login = await begin();
      const id = sessionIdOf(login);
      const { code } = emu.approveCliSession(id);
      emu.faults.next(1, { kind: 'reset' }, { path: `/api/v1/cli_sessions/${id}/redeem` });
      const err = remember(await rejection(login.submitCode(code)));
      assert.match(err.message, /Could not reach Fly\.io/);
      await login.submitCode(code);
      assert.equal(await login.token, emu.demoToken);
    });
  });

  describe('legacy servers (no PKCE)', () => {
    beforeEach(async () => {
      await emu.close();
      emu = await startEmulator({ port: 0, legacyLogin: true });
    });

    it('polls the session until it is approved, then resolves with the token', async () => {
      const login = await begin({ pollIntervalMs: 20 });
      assert.equal(login.pkce, false);
      assert.equal(login.redirectPort, null, 'no listener for a flow without a code');
      const id = sessionIdOf(login);

      const answered = () => sessionRequests(id).filter((r) => r.method === 'GET' && r.status !== null);
      await eventually(() => answered().length >= 2, { what: 'two answered polls' });
      const polls = answered();
      assert.ok(polls.length >= 2, `polled ${polls.length} times`);
      assert.ok(polls.every((p) => p.status === 404 && p.authorization === ''));
      assert.ok(await stillPending(login.token, 10));

      emu.approveCliSession(id, TEAMMATE_EMAIL);
      const token = await login.token;
      assert.equal(token, emu.world.user(TEAMMATE_EMAIL)?.token);
      assert.equal(await viewerEmail(emu, token), TEAMMATE_EMAIL);

      const count = emu.requests.filter((r) => r.path === `/api/v1/cli_sessions/${id}`).length;
      await pollIntervalsPass(4, 20);
      assert.equal(emu.requests.filter((r) => r.path === `/api/v1/cli_sessions/${id}`).length, count, 'polling stops');
    });

    it('keeps polling through server errors', async () => {
      const login = await begin({ pollIntervalMs: 10 });
      const id = sessionIdOf(login);
      emu.faults.next(3, { status: 500 }, { path: `/api/v1/cli_sessions/${id}` });
      emu.faults.next(1, { kind: 'reset' }, { path: `/api/v1/cli_sessions/${id}` });
      await eventually(() => sessionRequests(id).some((r) => r.fault === 'reset'), { what: 'the four faulty polls' });
      emu.approveCliSession(id);
      assert.equal(await login.token, emu.demoToken);
      const statuses = emu.requests.filter((r) => r.path === `/api/v1/cli_sessions/${id}`).map((r) => r.status);
      assert.deepEqual(statuses.slice(0, 4), [500, 500, 500, null]);
    });

    it('fails clearly when the finished session carries no token', async () => {
      const server = await tinyServer((req, send) => {
        if (req.url === '/api/v1/cli_sessions') send(201, { id: 'old', auth_url: 'http://127.0.0.1:1/app/auth/cli/old' });
        else if (req.url === '/api/v1/cli_sessions/old') send(200, { id: 'old', access_token: '' });
      });
      try {
        const login = await startBrowserLogin({ baseUrl: server.url, sessionName: 'x', pollIntervalMs: 10 });
        open.push(login);
        assert.equal(login.pkce, false, 'a server that does not say pkce: true gets the legacy flow');
        const err = remember(await rejection(login.token));
        assert.equal(err.message, 'Fly.io finished the sign-in without a token. Start Sign In again.');
      } finally {
        await server.close();
      }
    });

    it('has no code to paste', async () => {
      const login = await begin({ pollIntervalMs: 10 });
      const err = remember(await rejection(login.submitCode('abc')));
      assert.match(err.message, /no code to paste/);
    });
  });

  describe('ending the flow', () => {
    it('cancel() rejects the token, closes the listener and makes no further requests', async () => {
      const login = await begin();
      const port = login.redirectPort;
      assert.ok(port);
      assert.equal(await connectionRefused(port), false);
      login.cancel();
      const err = await rejection(login.token);
      assert.ok(err instanceof LoginCancelledError);
      assert.ok(await connectionRefused(port), 'the listener is closed after cancel');
      const late = await rejection(login.submitCode('anything'));
      assert.ok(late instanceof LoginCancelledError);
      assert.equal(emu.requests.filter((r) => r.path.endsWith('/redeem')).length, 0);
    });

    it('cancel() stops legacy polling', async () => {
      await emu.close();
      emu = await startEmulator({ port: 0, legacyLogin: true });
      const login = await begin({ pollIntervalMs: 10 });
      const id = sessionIdOf(login);
      await eventually(() => sessionRequests(id).some((r) => r.status !== null), { what: 'a first poll' });
      login.cancel();
      assert.ok((await rejection(login.token)) instanceof LoginCancelledError);
      // A poll already on the wire when cancel() ran may still reach the log; after that, silence.
      await pollIntervalsPass(4, 10);
      const count = emu.requests.length;
      await pollIntervalsPass(15, 10);
      assert.equal(emu.requests.length, count);
    });

    it('an aborted signal cancels like cancel()', async () => {
      const ac = new AbortController();
      const login = await begin({ signal: ac.signal });
      ac.abort();
      assert.ok((await rejection(login.token)) instanceof LoginCancelledError);
      assert.ok(await connectionRefused(login.redirectPort ?? 0));
      const already = await rejection(startBrowserLogin({ baseUrl: emu.url, sessionName: 'x', signal: ac.signal }));
      assert.ok(already instanceof LoginCancelledError);
    });

    it('aborting while the session is being created cancels and closes the listener', async () => {
      emu.faults.next(1, { kind: 'hang' }, { path: '/api/v1/cli_sessions' });
      const ac = new AbortController();
      const rec = recordingFetch();
      const starting = startBrowserLogin({ baseUrl: emu.url, sessionName: 'x', signal: ac.signal, fetch: rec.fetch });
      await eventually(() => emu.requests.some((r) => r.path === '/api/v1/cli_sessions' && r.fault === 'hang'), {
        what: 'the session request to hang',
      });
      ac.abort();
      assert.ok((await rejection(starting)) instanceof LoginCancelledError);
      const port = Number(rec.calls[0]?.body?.redirect_port);
      assert.ok(port > 0);
      assert.ok(await connectionRefused(port));
    });

    it('times out with a clear message and cleans up', async () => {
      const login = await begin({ timeoutMs: 150 });
      const err = remember(await rejection(login.token));
      assert.ok(err instanceof LoginError && !(err instanceof LoginCancelledError));
      assert.equal(err.message, 'Sign-in timed out after 1 second without approval. Start Sign In again.');
      assert.ok(await connectionRefused(login.redirectPort ?? 0));
    });
  });

  describe('starting fails', () => {
    it('reports a server error on create and closes the listener', async () => {
      emu.faults.next(1, { status: 500 }, { path: '/api/v1/cli_sessions' });
      const rec = recordingFetch();
      const err = remember(await rejection(startBrowserLogin({ baseUrl: emu.url, sessionName: 'x', fetch: rec.fetch })));
      assert.ok(err instanceof LoginError);
      assert.equal(err.message, 'Fly.io could not start a sign-in session (HTTP 500). Try again in a moment.');
      const port = Number(rec.calls[0]?.body?.redirect_port);
      assert.ok(port > 0);
      assert.ok(await connectionRefused(port), 'the listener is closed when starting fails');
      assert.equal(emu.requests.filter((r) => r.path === '/api/v1/cli_sessions').length, 1, 'never retried');
    });

    it('reports any status other than 201 as a failure (even 200)', async () => {
      const server = await tinyServer((req, send) => {
        if (req.url === '/api/v1/cli_sessions') send(200, { id: 'abc', auth_url: 'http://example.invalid/x', pkce: true });
      });
      try {
        const err = remember(await rejection(startBrowserLogin({ baseUrl: server.url, sessionName: 'x' })));
        assert.match(err.message, /HTTP 200/);
      } finally {
        await server.close();
      }
    });

    it('reports an unreachable server', async () => {
      const url = emu.url;
      await emu.close();
      const err = remember(await rejection(startBrowserLogin({ baseUrl: url, sessionName: 'x' })));
      assert.ok(err instanceof LoginError);
      assert.equal(err.message, `Could not reach Fly.io at ${url} (ECONNREFUSED). Check your connection and try again.`);
      emu = await startEmulator({ port: 0 });
    });

    it('reports a 201 without a session as unexpected', async () => {
      const server = await tinyServer((_req, send) => send(201, { hello: 'world' }));
      try {
        const err = remember(await rejection(startBrowserLogin({ baseUrl: server.url, sessionName: 'x' })));
        assert.match(err.message, /something unexpected/);
      } finally {
        await server.close();
      }
    });
  });

  describe('secrets stay out of messages', () => {
    const LEAKED_TOKEN = 'fo1_leakedusertoken0123456789abcdefghijklmnop';

    it('scrubs the verifier, the code and token-like text from a server’s refusal', async () => {
      let verifier = '';
      const server = await tinyServer((req, send, body) => {
        if (req.url === '/api/v1/cli_sessions') {
          send(201, { id: 's1', auth_url: 'http://127.0.0.1:1/app/auth/cli/s1', pkce: true });
        } else if (req.url === '/api/v1/cli_sessions/s1/redeem') {
          verifier = String(body.code_verifier);
          // A careless server echoing what it got, plus a credential.
          send(400, {
          error: `code ${String(body.code)} does not match verifier ${verifier}; try ${LEAKED_TOKEN} or FlyV1 fm2_abc,fm2_def`,
        });
        }
      });
      try {
        const login = await startBrowserLogin({ baseUrl: server.url, sessionName: 'x' });
        open.push(login);
        const err = remember(await rejection(login.submitCode('the-pasted-code-1234')));
        assert.ok(verifier.length >= 43);
        assert.ok(!err.message.includes(verifier), err.message);
        assert.ok(!err.message.includes('the-pasted-code-1234'), err.message);
        assert.ok(!err.message.includes(LEAKED_TOKEN), err.message);
        assert.ok(!err.message.includes('fm2_abc'), err.message);
        assert.match(err.message, /^Fly\.io did not accept the code: .*does not match verifier/);
      } finally {
        await server.close();
      }
    });

    it('scrubs a credential from a create error', async () => {
      const server = await tinyServer((_req, send) => send(422, { error: `bad request from Bearer ${LEAKED_TOKEN}` }));
      try {
        const err = remember(await rejection(startBrowserLogin({ baseUrl: server.url, sessionName: 'x' })));
        assert.match(err.message, /HTTP 422/);
        assert.ok(!err.message.includes(LEAKED_TOKEN), err.message);
      } finally {
        await server.close();
      }
    });

  });
});

type Send = (status: number, body: unknown) => void;

/** A deliberately misbehaving Fly stand-in on 127.0.0.1, for answers the emulator is too correct to give. */
async function tinyServer(
  handler: (req: IncomingMessage, send: Send, body: Record<string, unknown>) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      let sent = false;
      handler(req, (status, payload) => {
        sent = true;
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
      }, body);
      if (!sent) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
