// The transport's wire details over real HTTP on 127.0.0.1: headers, base URL, injected fetch, Retry-After, odd answers.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import nodeFetch from 'node-fetch';
import { FlyClient, type FlyClientOptions } from '../../src/fly/client';
import { GraphQLError, NetworkError, ProtocolError, RateLimitedError, parseRetryAfter } from '../../src/fly/errors';
import { DEFAULT_BASE_URL, DEFAULT_USER_AGENT, resolveBaseUrl, type FetchFunction } from '../../src/fly/transport';
import type { RequestEvent } from '../../src/fly/types';
import { testToken } from './support/macaroons';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
type Reply = (res: ServerResponse, seen: Seen) => void;

const VIEWER_OK: Reply = (res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { viewer: { __typename: 'User', id: 'u1', email: 'a@b.c' } } }));

/** A throwaway GraphQL endpoint that records what arrives and answers with the next scripted reply. */
class Stub {
  readonly seen: Seen[] = [];
  replies: Reply[] = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = { url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> };
      this.seen.push(seen);
      (this.replies.shift() ?? VIEWER_OK)(res, seen);
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

describe('FlyClient transport (local HTTP stub)', () => {
  let stub: Stub;
  let events: RequestEvent[];
  const client = (token: string | undefined, options: Partial<FlyClientOptions> = {}) =>
    new FlyClient({ getToken: () => token, baseUrl: stub.url, retry: { baseDelayMs: 5 }, onRequest: (e) => events.push(e), ...options });

  beforeEach(async () => {
    stub = await new Stub().start();
    events = [];
  });
  afterEach(() => stub.close());

  it('sends flyctl’s headers and a JSON body with query, variables and operationName', async () => {
    const app = { id: 'a1', name: 'demo-app', organization: { id: 'o1', slug: 'personal', name: 'Me' } };
    stub.replies = [(res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { app } }))];
    assert.deepEqual(await client('fo1_user', { userAgent: 'fly-deploy-tokens-vscode/0.1.0 (vscode/1.100.3)' }).getApp('demo-app'), app);
    const [seen] = stub.seen;
    assert.ok(seen);
    assert.equal(seen.url, '/graphql');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers.accept, 'application/json');
    assert.equal(seen.headers.authorization, 'Bearer fo1_user');
    assert.equal(seen.headers['user-agent'], 'fly-deploy-tokens-vscode/0.1.0 (vscode/1.100.3)');
    assert.equal(seen.body.operationName, 'App');
    assert.deepEqual(seen.body.variables, { name: 'demo-app' });
    assert.match(String(seen.body.query), /^query App\(\$name: String!\)/);
  });

  it('builds the Authorization header by flyctl’s rules, and names the extension by default', async () => {
    const { permission, discharge } = testToken();
    const fm1r = permission.replace(/^fm2_/, 'fm1r_');
    const cases: [string, string][] = [
      [`FlyV1 ${permission},${discharge}`, `FlyV1 ${permission},${discharge}`],
      [`${permission}, ${discharge}`, `FlyV1 ${permission},${discharge}`],
      ['bearer fo1_x', 'Bearer fo1_x'],
      [`fo1_user,${fm1r}`, `FlyV1 ${fm1r},fo1_user`],
    ];
    for (const [token] of cases) await client(token).viewer();
    assert.deepEqual(stub.seen.map((s) => s.headers.authorization), cases.map(([, header]) => header));
    assert.equal(stub.seen[0]?.headers['user-agent'], DEFAULT_USER_AGENT);
  });

  it('asks for the token on every call', async () => {
    let current = 'fo1_first';
    const c = client(undefined, { getToken: async () => current });
    await c.viewer();
    current = 'fo1_second';
    await c.viewer();
    assert.deepEqual(stub.seen.map((s) => s.headers.authorization), ['Bearer fo1_first', 'Bearer fo1_second']);
  });

  describe('base URL', () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.FLY_API_BASE_URL;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.FLY_API_BASE_URL;
      else process.env.FLY_API_BASE_URL = saved;
    });

    it('defaults to Fly’s API, honours FLY_API_BASE_URL, and an explicit option wins', () => {
      assert.equal(DEFAULT_BASE_URL, 'https://api.fly.io');
      assert.equal(resolveBaseUrl(undefined, {}), 'https://api.fly.io');
      assert.equal(resolveBaseUrl(undefined, { FLY_API_BASE_URL: 'http://127.0.0.1:1/' }), 'http://127.0.0.1:1');
      assert.equal(resolveBaseUrl('http://127.0.0.1:2//', { FLY_API_BASE_URL: 'http://127.0.0.1:1' }), 'http://127.0.0.1:2');
      assert.equal(resolveBaseUrl('  ', { FLY_API_BASE_URL: '' }), 'https://api.fly.io');
    });

    it('FLY_API_BASE_URL reaches the wire when no baseUrl is given', async () => {
      process.env.FLY_API_BASE_URL = `${stub.url}/`;
      const c = new FlyClient({ getToken: () => 'fo1_x' });
      assert.equal(c.baseUrl, stub.url);
      await c.viewer();
      assert.equal(stub.seen[0]?.url, '/graphql');
    });

    it('keeps a path prefix and strips the trailing slash', async () => {
      await client('fo1_x', { baseUrl: `${stub.url}/proxy/fly/` }).viewer();
      assert.equal(stub.seen[0]?.url, '/proxy/fly/graphql');
      assert.equal(events[0]?.path, '/proxy/fly/graphql');
    });

    it('an unusable base URL → NetworkError pointing at the setting, nothing sent', async () => {
      const e = await client('fo1_x', { baseUrl: 'ftp://example.invalid' }).viewer().catch((err: unknown) => err);
      assert.ok(e instanceof NetworkError);
      assert.match(e.message, /not a valid http\(s\) address\. Fix the API URL setting\./);
      assert.equal(stub.seen.length, 0);
    });
  });

  it('uses an injected fetch function', async () => {
    let calls = 0;
    const counting: FetchFunction = (url, init) => {
      calls++;
      return (nodeFetch as unknown as FetchFunction)(url, init);
    };
    await client('fo1_x', { fetch: counting }).viewer();
    assert.equal(calls, 1);
    assert.equal(stub.seen.length, 1);
  });

  describe('Retry-After', () => {
    it('parses delay-seconds and HTTP-dates', () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      assert.equal(parseRetryAfter('7', now), 7);
      assert.equal(parseRetryAfter(' 0 ', now), 0);
      assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now), 90);
      assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter('-5', now), undefined);
      assert.equal(parseRetryAfter(null, now), undefined);
    });

    it('an HTTP-date a minute away → RateLimitedError at once', async () => {
      const at = new Date(Date.now() + 60_000).toUTCString();
      stub.replies = [(res) => res.writeHead(429, { 'retry-after': at }).end()];
      const e = await client('fo1_x').viewer().catch((err: unknown) => err);
      assert.ok(e instanceof RateLimitedError);
      assert.ok(e.retryAfterSeconds !== undefined && e.retryAfterSeconds >= 58 && e.retryAfterSeconds <= 60, String(e.retryAfterSeconds));
      assert.equal(stub.seen.length, 1);
    });

    it('an HTTP-date a second away is waited for, then the query is repeated', async () => {
      const at = new Date(Date.now() + 1_000).toUTCString();
      stub.replies = [(res) => res.writeHead(429, { 'retry-after': at }).end()];
      assert.equal((await client('fo1_x').viewer()).email, 'a@b.c');
      assert.equal(stub.seen.length, 2);
    });

    it('no Retry-After → RateLimitedError at once, asking to wait a minute', async () => {
      stub.replies = [(res) => res.writeHead(429).end()];
      const e = await client('fo1_x').viewer().catch((err: unknown) => err);
      assert.ok(e instanceof RateLimitedError);
      assert.equal(e.retryAfterSeconds, undefined);
      assert.match(e.message, /Wait a minute and try again\./);
      assert.equal(stub.seen.length, 1);
    });
  });

  describe('odd answers', () => {
    const json = (status: number, body: unknown): Reply => (res) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

    it('200 with a web page (captive portal) → ProtocolError naming the page', async () => {
      stub.replies = [(res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>Hotel Wi-Fi login</title><body>…</body></html>')];
      const e = await client('fo1_x').viewer().catch((err: unknown) => err);
      assert.ok(e instanceof ProtocolError);
      assert.match(e.message, /web page \(an error page titled "Hotel Wi-Fi login"\)/);
    });

    it('JSON that is not a GraphQL answer → ProtocolError', async () => {
      stub.replies = [json(200, { hello: 'world' }), json(200, [1, 2]), json(200, { data: 'nope' }), json(200, { errors: 'x' })];
      for (let i = 0; i < 4; i++) {
        const e = await client('fo1_x').viewer().catch((err: unknown) => err);
        assert.ok(e instanceof ProtocolError, `case ${i}`);
        assert.match(e.message, /shape this extension does not understand/);
      }
    });

    it('data of the wrong type → ProtocolError naming where', async () => {
      stub.replies = [json(200, { data: { viewer: { __typename: 'User', id: 'u', email: 42 } } })];
      const e = await client('fo1_x').viewer().catch((err: unknown) => err);
      assert.ok(e instanceof ProtocolError);
      assert.match(e.message, /at viewer\.email/);
    });

    it('400 with GraphQL errors (validation) → GraphQLError with every message', async () => {
      stub.replies = [json(400, { errors: [{ message: 'Field "x" doesn\'t exist' }, { message: 'Variable $y unused' }] })];
      const e = await client('fo1_x').viewer().catch((err: unknown) => err);
      assert.ok(e instanceof GraphQLError);
      assert.deepEqual(e.messages, ['Field "x" doesn\'t exist', 'Variable $y unused']);
      assert.match(e.message, /\(and 1 more\)$/);
    });

    it('a pager that repeats its cursor is stopped, not followed forever', async () => {
      const page = { id: 'o', slug: 'acme', name: 'Acme', limitedAccessTokens: { totalCount: 1, pageInfo: { hasNextPage: true, endCursor: 'same' }, nodes: [] } };
      stub.replies = [json(200, { data: { organization: page } }), json(200, { data: { organization: page } })];
      const e = await client('fo1_x').listOrgTokens('acme').catch((err: unknown) => err);
      assert.ok(e instanceof ProtocolError);
      assert.equal(stub.seen.length, 2);
    });

    it('data: null with errors on every alias → per-app / per-token failures, not one thrown error', async () => {
      const missing = (alias: string) => ({ message: 'Could not find App', path: [alias] });
      stub.replies = [
        json(200, { data: null, errors: [missing('a0'), missing('a1')] }),
        json(200, { data: null, errors: [{ message: 'Could not find LimitedAccessToken', path: ['r0'] }] }),
      ];
      const results = await client('fo1_x').listAppTokens(['x', 'y']);
      assert.deepEqual(results.map((r) => [r.name, r.ok, r.ok ? '' : r.error.kind]), [['x', false, 'notFound'], ['y', false, 'notFound']]);
      const outcomes = await client('fo1_x').revokeTokens(['t0', 't1']);
      assert.deepEqual(outcomes.map((o) => [o.id, o.ok, o.ok ? '' : o.error.kind]), [['t0', false, 'notFound'], ['t1', false, 'protocol']]);
      const second = outcomes[1];
      assert.ok(second && !second.ok && second.error.mayHaveSucceeded, 'no word on t1: it may or may not be revoked');
    });

    it('data: null with no errors → ProtocolError', async () => {
      stub.replies = [json(200, { data: null, errors: [] })];
      assert.ok((await client('fo1_x').viewer().catch((err: unknown) => err)) instanceof ProtocolError);
    });

    it('a throwing onRequest listener does not break the request', async () => {
      const c = client('fo1_x', {
        onRequest: () => {
          throw new Error('listener broke');
        },
      });
      assert.equal((await c.viewer()).email, 'a@b.c');
    });
  });
});
