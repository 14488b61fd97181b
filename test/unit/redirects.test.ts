// Item 2 of the security review: no request of the extension follows a redirect. Each client is pointed at a
// server on 127.0.0.1 that answers with a redirect to a second server on another port (same host, so node-fetch
// would keep the Authorization header); the second server must see nothing, and the error names where it pointed.
// Also item 4's request timeouts: browser sign-in requests and GitHub bodies that never finish.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlyClient } from '../../src/fly/client';
import { ProtocolError } from '../../src/fly/errors';
import { LoginError, startBrowserLogin } from '../../src/fly/login';
import { GitHubClient } from '../../src/github/client';
import { GitHubError } from '../../src/github/errors';

interface Hit {
  method: string;
  url: string;
  authorization?: string;
}

/** A server on 127.0.0.1 that records each request and answers with `reply`. */
interface Served {
  url: string;
  host: string;
  hits: Hit[];
  close(): Promise<void>;
}

async function serve(reply: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      reply(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${host}`,
    host,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const TOKEN = 'fo1_redirecttesttokenvalue';

describe('redirects are refused, never followed', () => {
  let target: Awaited<ReturnType<typeof serve>>;
  let redirector: Awaited<ReturnType<typeof serve>>;
  let status = 307;

  beforeEach(async () => {
    target = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'));
    redirector = await serve((req, res) => res.writeHead(status, { location: `${target.url}${req.url ?? '/'}` }).end());
  });
  afterEach(async () => {
    await target.close();
    await redirector.close();
  });

  for (const code of [301, 302, 303, 307, 308]) {
    it(`Fly GraphQL: a ${code} on a mutation is an error naming the host; sent once, the token goes nowhere else`, async () => {
      status = code;
      const client = new FlyClient({ getToken: () => TOKEN, baseUrl: redirector.url, retry: { baseDelayMs: 1 } });
      const app = { id: 'app_1', name: 'demo', organization: { id: 'org_1', slug: 'personal' } } as never;
      const err = await client.createDeployToken({ app, name: 'n', expiry: '720h0m0s' }).then(
        (r) => assert.fail(`expected an error, got ${JSON.stringify(r)}`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ProtocolError, String(err));
      assert.match(err.message, new RegExp(`redirected to ${target.host.replace(/\./g, '\\.')}`));
      assert.equal(redirector.hits.length, 1, 'sent exactly once');
      assert.equal(target.hits.length, 0, 'nothing reached the host the redirect pointed to');
    });
  }

  it('Fly GraphQL: a redirect on a query is not retried and not followed', async () => {
    status = 302;
    const client = new FlyClient({ getToken: () => TOKEN, baseUrl: redirector.url, retry: { baseDelayMs: 1 } });
    await assert.rejects(client.viewer(), (e: Error) => e instanceof ProtocolError && e.message.includes(target.host));
    assert.equal(redirector.hits.length, 1);
    assert.equal(target.hits.length, 0);
  });

  it('browser sign-in: a redirect when creating the session is an error naming the host', async () => {
    status = 307;
    await assert.rejects(
      startBrowserLogin({ baseUrl: redirector.url, sessionName: 'test' }),
      (e: Error) => e instanceof LoginError && e.message.includes(`redirected to ${target.host}`),
    );
    assert.equal(redirector.hits.length, 1);
    assert.equal(target.hits.length, 0);
  });

  it('browser sign-in: a redirect when redeeming a pasted code is an error; the verifier and code go nowhere else', async () => {
    // The session is created at a real-looking endpoint; only the redeem answers with a redirect.
    await redirector.close();
    redirector = await serve((req, res) => {
      if (req.url === '/api/v1/cli_sessions') {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 's1', auth_url: 'https://example.invalid/a', pkce: true }));
      } else {
        res.writeHead(308, { location: `${target.url}${req.url}` }).end();
      }
    });
    const login = await startBrowserLogin({ baseUrl: redirector.url, sessionName: 'test' });
    try {
      await assert.rejects(login.submitCode('CODE-1'), (e: Error) => e instanceof LoginError && e.message.includes(target.host));
      assert.equal(target.hits.length, 0);
    } finally {
      login.cancel();
      await login.token.catch(() => undefined);
    }
  });

  it('browser sign-in (legacy polling): a redirect ends the flow with its reason instead of polling on', async () => {
    await redirector.close();
    redirector = await serve((req, res) => {
      if (req.url === '/api/v1/cli_sessions') {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 's1', auth_url: 'https://example.invalid/a' }));
      } else {
        res.writeHead(302, { location: `${target.url}/elsewhere` }).end();
      }
    });
    const login = await startBrowserLogin({ baseUrl: redirector.url, sessionName: 'test', pollIntervalMs: 5 });
    await assert.rejects(login.token, (e: Error) => e instanceof LoginError && e.message.includes(target.host));
    assert.equal(target.hits.length, 0);
  });

  it('GitHub: a redirect is an error naming the host; the secret PUT is sent once and the token goes nowhere else', async () => {
    status = 307;
    const gh = new GitHubClient({ token: 'ghp_redirecttesttoken', userAgent: 'test', baseUrl: redirector.url });
    await assert.rejects(
      gh.putSecret({ repo: { host: 'github.com', owner: 'o', repo: 'r' } }, 'FLY_API_TOKEN', 'c2VhbGVk', 'k1'),
      (e: Error) => e instanceof GitHubError && e.message.includes(`redirected to ${target.host}`),
    );
    await assert.rejects(gh.user(), (e: Error) => e instanceof GitHubError && e.message.includes(target.host));
    assert.equal(redirector.hits.length, 2);
    assert.equal(target.hits.length, 0);
  });
});

describe('nothing waits forever', () => {
  /** Answers headers (or nothing at all) and then never finishes. */
  let stalls: Awaited<ReturnType<typeof serve>>;
  let mode: 'silent' | 'headers' = 'silent';
  beforeEach(async () => {
    stalls = await serve((_req, res) => {
      if (mode === 'headers') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"login":');
      }
    });
  });
  afterEach(() => stalls.close());

  it('browser sign-in: creating the session times out when Fly never answers', async () => {
    mode = 'silent';
    await assert.rejects(
      startBrowserLogin({ baseUrl: stalls.url, sessionName: 'test', requestTimeoutMs: 200 }),
      (e: Error) => e instanceof LoginError && /did not answer within 1 second/.test(e.message),
    );
  });

  it('browser sign-in: creating the session times out when the body never completes', async () => {
    mode = 'headers';
    await assert.rejects(
      startBrowserLogin({ baseUrl: stalls.url, sessionName: 'test', requestTimeoutMs: 200 }),
      (e: Error) => e instanceof LoginError && /did not answer/.test(e.message),
    );
  });

  it('browser sign-in: a redeem that never answers times out and the flow keeps waiting for another code', async () => {
    await stalls.close();
    let redeems = 0;
    stalls = await serve((req, res) => {
      if (req.url === '/api/v1/cli_sessions') {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 's1', auth_url: 'https://example.invalid/a', pkce: true }));
      } else if (++redeems === 1) {
        // never answers
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'fo1_fromsecondcode' }));
      }
    });
    const login = await startBrowserLogin({ baseUrl: stalls.url, sessionName: 'test', requestTimeoutMs: 200 });
    await assert.rejects(login.submitCode('first'), (e: Error) => e instanceof LoginError && /did not answer/.test(e.message));
    await login.submitCode('second');
    assert.equal(await login.token, 'fo1_fromsecondcode');
  });

  it('GitHub: a body that never completes times out (not only the headers)', async () => {
    mode = 'headers';
    const gh = new GitHubClient({ token: 'ghp_x', userAgent: 'test', baseUrl: stalls.url, timeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(gh.user(), (e: Error) => e instanceof GitHubError && e.kind === 'network' && /did not answer in time/.test(e.message));
    assert.ok(Date.now() - started < 5_000);
  });
});
