// Every failure the emulator can inject, mapped to its typed error; retries for queries, never for mutations.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { FlyClient } from '../../src/fly/client';
import {
  CancelledError,
  FlyError,
  ForbiddenError,
  GraphQLError,
  NetworkError,
  NotFoundError,
  ProtocolError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
} from '../../src/fly/errors';
import type { AppRef, RequestEvent } from '../../src/fly/types';
import { startEmulator, type Emulator, type Fault } from '../emulator';
import { eventually } from '../support/eventually';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Awaits a rejection and hands back the FlyError for further checks. */
async function failure(promise: Promise<unknown>): Promise<FlyError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof FlyError, `expected a FlyError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** One user-facing sentence or two short ones, ending in a full stop, telling what to do. */
function assertActionable(error: FlyError): void {
  assert.match(error.message, /^[A-Z].{20,300}[.]$/s, error.message);
  assert.doesNotMatch(error.message, /\n/);
  assert.match(error.message, /try again|sign in|check|wait|refresh/i, `no advice in: ${error.message}`);
}

describe('FlyClient faults (emulator)', function () {
  this.timeout(20_000);
  let emu: Emulator;
  let events: RequestEvent[];
  let client: FlyClient;

  const clientWith = (options: { timeoutMs?: number; baseUrl?: string } = {}): FlyClient =>
    new FlyClient({
      getToken: () => emu.demoToken,
      baseUrl: options.baseUrl ?? emu.url,
      timeoutMs: options.timeoutMs,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      onRequest: (e) => events.push(e),
    });
  const gql = () => emu.graphqlRequests();
  const inject = (count: number, fault: Fault, operation?: 'query' | 'mutation') =>
    emu.faults.next(count, fault, operation ? { operation } : undefined);

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => {
    emu.reset();
    events = [];
    client = clientWith();
  });

  describe('queries', () => {
    it('401 → UnauthorizedError at once (no retry)', async () => {
      inject(1, { status: 401 });
      const e = await failure(client.viewer());
      assert.ok(e instanceof UnauthorizedError);
      assert.equal(e.kind, 'unauthorized');
      assertActionable(e);
      assert.equal(gql().length, 1);
      assert.deepEqual(events.map((x) => [x.status, x.outcome, x.errorKind]), [[401, 'error', 'unauthorized']]);
    });

    it('403 → ForbiddenError', async () => {
      inject(1, { status: 403 });
      const e = await failure(client.getApp('demo-app'));
      assert.ok(e instanceof ForbiddenError);
      assertActionable(e);
      assert.equal(gql().length, 1);
    });

    it('404 on the endpoint → NotFoundError that points at the API URL setting', async () => {
      inject(1, { status: 404 });
      const e = await failure(client.viewer());
      assert.ok(e instanceof NotFoundError);
      assert.match(e.message, /API URL setting/);
      assert.equal(gql().length, 1);
    });

    it('429 with a short Retry-After is waited out once, then succeeds', async () => {
      inject(1, { status: 429, retryAfter: 1 });
      const started = Date.now();
      const viewer = await client.viewer();
      assert.equal(viewer.email, 'demo@example.com');
      assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
      assert.equal(gql().length, 2);
      assert.deepEqual(events.map((x) => [x.attempt, x.status]), [[1, 429], [2, 200]]);
    });

    it('429 twice → RateLimitedError after honouring Retry-After only once', async () => {
      inject(2, { status: 429, retryAfter: 1 });
      const e = await failure(client.viewer());
      assert.ok(e instanceof RateLimitedError);
      assert.equal(e.retryAfterSeconds, 1);
      assertActionable(e);
      assert.equal(gql().length, 2);
    });

    it('429 with a long Retry-After → RateLimitedError at once, saying when to retry', async () => {
      inject(1, { status: 429, retryAfter: 120 });
      const started = Date.now();
      const e = await failure(client.viewer());
      assert.ok(e instanceof RateLimitedError);
      assert.equal(e.retryAfterSeconds, 120);
      assert.match(e.message, /Try again in 2 min\./);
      assert.ok(Date.now() - started < 1000);
      assert.equal(gql().length, 1);
    });

    it('500 → ServerError, not retried', async () => {
      inject(1, { status: 500 });
      const e = await failure(client.viewer());
      assert.ok(e instanceof ServerError);
      assert.equal(e.status, 500);
      assert.match(e.message, /HTTP 500: Internal server error/);
      assertActionable(e);
      assert.equal(gql().length, 1);
    });

    for (const status of [502, 503] as const) {
      it(`${status} once → retried, then ok`, async () => {
        inject(1, { status });
        assert.equal((await client.viewer()).email, 'demo@example.com');
        assert.equal(gql().length, 2);
        assert.deepEqual(events.map((x) => [x.attempt, x.outcome]), [[1, 'error'], [2, 'ok']]);
      });

      it(`${status} every time → ServerError after 3 attempts`, async () => {
        inject(5, { status });
        const e = await failure(client.listAppTokens(['demo-app']));
        assert.ok(e instanceof ServerError);
        assert.equal(e.status, status);
        assertActionable(e);
        assert.equal(gql().length, 3);
        assert.deepEqual(events.map((x) => x.attempt), [1, 2, 3]);
      });
    }

    it('an HTML error page → summarised by its title, never dumped', async () => {
      inject(3, { kind: 'html' });
      const e = await failure(client.viewer());
      assert.ok(e instanceof ServerError);
      assert.match(e.message, /an error page titled "502 Bad Gateway"/);
      assert.doesNotMatch(e.message, /<|DOCTYPE|could not answer your request/);
      assertActionable(e);
      assert.equal(gql().length, 3, 'a 502 page is retried like any 502');
    });

    it('malformed JSON → ProtocolError', async () => {
      inject(1, { kind: 'malformed-json' });
      const e = await failure(client.getApp('demo-app'));
      assert.ok(e instanceof ProtocolError);
      assert.match(e.message, /not valid JSON/);
      assertActionable(e);
      assert.equal(gql().length, 1);
    });

    it('a truncated body → ProtocolError saying it was cut off', async () => {
      inject(1, { kind: 'truncated' });
      const e = await failure(client.viewer());
      assert.ok(e instanceof ProtocolError);
      assert.match(e.message, /cut off/);
      assertActionable(e);
      assert.equal(gql().length, 1);
    });

    it('a reset connection → retried, then ok', async () => {
      inject(1, { kind: 'reset' });
      assert.equal((await client.viewer()).kind, 'user');
      assert.equal(gql().length, 2);
    });

    it('reset every time → NetworkError(reset) after 3 attempts', async () => {
      inject(3, { kind: 'reset' });
      const e = await failure(client.viewer());
      assert.ok(e instanceof NetworkError);
      assert.equal(e.reason, 'reset');
      assertActionable(e);
      assert.equal(gql().length, 3);
      assert.deepEqual(events.map((x) => [x.status, x.errorKind]), [[null, 'network'], [null, 'network'], [null, 'network']]);
    });

    it('a server that never answers → NetworkError(timeout) after timeoutMs, not retried', async () => {
      inject(1, { kind: 'hang' });
      const started = Date.now();
      const e = await failure(clientWith({ timeoutMs: 300 }).viewer());
      assert.ok(e instanceof NetworkError);
      assert.equal(e.reason, 'timeout');
      assert.equal(e.message, 'Fly.io did not answer within 0.3 s. Check your connection and try again.');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 280 && elapsed < 3000, `${elapsed} ms`);
      assert.equal(gql().length, 1);
    });

    it('timeouts are stated in seconds', async () => {
      inject(1, { kind: 'hang' });
      const e = await failure(clientWith({ timeoutMs: 1000 }).viewer());
      assert.equal(e.message, 'Fly.io did not answer within 1 s. Check your connection and try again.');
    });

    it('cancelling while Fly is silent → CancelledError (the default timeout is far longer)', async () => {
      inject(1, { kind: 'hang' });
      const ctrl = new AbortController();
      const pending = failure(client.viewer({ signal: ctrl.signal }));
      await eventually(() => gql().length === 1, { what: 'the request to reach the emulator' });
      ctrl.abort();
      const e = await pending;
      assert.ok(e instanceof CancelledError, `${e.name}: ${e.message}`);
      assert.equal(e.kind, 'cancelled');
      assert.equal(gql().length, 1);
    });

    it('a closed port → NetworkError(refused), not retried', async () => {
      const port = await closedPort();
      const e = await failure(clientWith({ baseUrl: `http://127.0.0.1:${port}` }).viewer());
      assert.ok(e instanceof NetworkError);
      assert.equal(e.reason, 'refused');
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}: the connection was refused`));
      assertActionable(e);
      assert.equal(events.length, 1);
    });

    it('a GraphQL error → GraphQLError with the server’s messages', async () => {
      inject(1, { kind: 'graphql-error', message: 'Something odd happened on our side' });
      const e = await failure(client.listOrganizations());
      assert.ok(e instanceof GraphQLError);
      assert.deepEqual(e.messages, ['Something odd happened on our side']);
      assert.equal(e.message, 'Fly.io refused the request: Something odd happened on our side.');
      assert.equal(gql().length, 1);
    });

    it('a GraphQL "must be authenticated" error → UnauthorizedError', async () => {
      inject(1, { kind: 'graphql-error', message: 'You must be authenticated to view this.' });
      assert.ok((await failure(client.viewer())) instanceof UnauthorizedError);
      inject(1, { kind: 'graphql-error', message: 'You must be authenticated to view this.' });
      assert.ok((await failure(client.listAppTokens(['demo-app']))) instanceof UnauthorizedError);
    });

    it('a GraphQL "not authorized" error → ForbiddenError', async () => {
      inject(1, { kind: 'graphql-error', message: 'Not authorized to manage tokens of this organization' });
      assert.ok((await failure(client.listOrgTokens('acme'))) instanceof ForbiddenError);
    });

    it('cancelling before the call sends nothing', async () => {
      const ctrl = new AbortController();
      ctrl.abort();
      assert.ok((await failure(client.viewer({ signal: ctrl.signal }))) instanceof CancelledError);
      assert.equal(gql().length, 0);
    });

    it('cancelling during a retry back-off stops the retries', async () => {
      inject(3, { status: 503 });
      const slow = new FlyClient({
        getToken: () => emu.demoToken,
        baseUrl: emu.url,
        retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 },
        onRequest: (e) => events.push(e),
      });
      const ctrl = new AbortController();
      const pending = failure(slow.viewer({ signal: ctrl.signal }));
      // The first attempt's 503 has been handled: the client is now in its back-off.
      await eventually(() => events.length === 1, { what: 'the first attempt to fail' });
      ctrl.abort();
      assert.ok((await pending) instanceof CancelledError);
      assert.equal(gql().length, 1);
    });
  });

  describe('mutations are never retried', () => {
    let app: AppRef;
    beforeEach(async () => {
      app = await client.getApp('demo-app');
      emu.clearRequests();
      events = [];
    });
    const create = (c: FlyClient = client) => c.createDeployToken({ app, name: 'ci', expiry: '720h0m0s' });
    const mutations = () => gql().filter((r) => r.operationName === 'CreateLimitedAccessToken');

    const unknownOutcome: [string, Fault, (e: FlyError) => boolean][] = [
      ['502', { status: 502 }, (e) => e instanceof ServerError && e.status === 502],
      ['503', { status: 503 }, (e) => e instanceof ServerError && e.status === 503],
      ['500', { status: 500 }, (e) => e instanceof ServerError && e.status === 500],
      ['reset', { kind: 'reset' }, (e) => e instanceof NetworkError && e.reason === 'reset'],
      ['truncated', { kind: 'truncated' }, (e) => e instanceof ProtocolError],
      ['html', { kind: 'html' }, (e) => e instanceof ServerError],
    ];
    for (const [what, fault, check] of unknownOutcome) {
      it(`create + ${what} → exactly 1 request, mayHaveSucceeded`, async () => {
        inject(3, fault, 'mutation');
        const e = await failure(create());
        assert.ok(check(e), `${e.name}: ${e.message}`);
        assert.equal(e.mayHaveSucceeded, true);
        assert.equal(mutations().length, 1);
        assert.equal(events.length, 1);
      });
    }

    it('create + hang → timeout after one attempt, mayHaveSucceeded', async () => {
      inject(1, { kind: 'hang' }, 'mutation');
      const e = await failure(create(clientWith({ timeoutMs: 300 })));
      assert.ok(e instanceof NetworkError && e.reason === 'timeout');
      assert.equal(e.mayHaveSucceeded, true);
      assert.equal(mutations().length, 1);
    });

    const refused: [string, Fault, (e: FlyError) => boolean][] = [
      ['401', { status: 401 }, (e) => e instanceof UnauthorizedError],
      ['403', { status: 403 }, (e) => e instanceof ForbiddenError],
      ['429 (short Retry-After)', { status: 429, retryAfter: 1 }, (e) => e instanceof RateLimitedError],
      ['graphql-error', { kind: 'graphql-error', message: 'Invalid expiry' }, (e) => e instanceof GraphQLError],
    ];
    for (const [what, fault, check] of refused) {
      it(`create + ${what} → 1 request, did not happen`, async () => {
        inject(3, fault, 'mutation');
        const e = await failure(create());
        assert.ok(check(e), `${e.name}: ${e.message}`);
        assert.equal(e.mayHaveSucceeded, false);
        assert.equal(mutations().length, 1);
      });
    }

    it('create against a closed port → refused, did not happen', async () => {
      const port = await closedPort();
      const e = await failure(create(clientWith({ baseUrl: `http://127.0.0.1:${port}` })));
      assert.ok(e instanceof NetworkError && e.reason === 'refused');
      assert.equal(e.mayHaveSucceeded, false);
    });

    it('revoke + 502 → 1 mutation, then the tokens are read back: still active, so each id fails plainly', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      const b = emu.world.addToken({ app: 'demo-app', name: 'b' });
      inject(1, { status: 502 }, 'mutation');
      const outcomes = await client.revokeTokens([a.id, b.id]);
      assert.deepEqual(gql().map((r) => r.operationName), ['RevokeTokens', 'TokensById'], 'never re-sent; read back once');
      for (const o of outcomes) {
        assert.ok(!o.ok);
        assert.equal(o.error.mayHaveSucceeded, false, 'the read-back settled it');
        assert.match(o.error.message, /still active/);
      }
    });

    it('revoke + 502 after it ran → read back shows them revoked (confirmed)', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      // The answer is lost after the revocation took effect: emulate by revoking, then failing the mutation.
      emu.world.revoke(emu.world.tokenById(a.id)!, 'demo@example.com');
      inject(1, { status: 502 }, 'mutation');
      const [outcome] = await client.revokeTokens([a.id]);
      assert.deepEqual(outcome, { id: a.id, ok: true, confirmed: true });
    });

    it('revoke + 502 and the read-back fails too → every id fails with mayHaveSucceeded', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      const b = emu.world.addToken({ app: 'demo-app', name: 'b' });
      inject(1, { status: 502 }, 'mutation');
      inject(3, { status: 503 }, 'query');
      const outcomes = await client.revokeTokens([a.id, b.id]);
      assert.equal(gql().filter((r) => r.operationName === 'RevokeTokens').length, 1);
      for (const o of outcomes) {
        assert.ok(!o.ok);
        assert.ok(o.error instanceof ServerError);
        assert.equal(o.error.mayHaveSucceeded, true);
      }
    });

    it('revoke + reset → 1 mutation, never re-sent', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      inject(1, { kind: 'reset' }, 'mutation');
      inject(3, { kind: 'reset' }, 'query');
      const [outcome] = await client.revokeTokens([a.id]);
      assert.ok(outcome && !outcome.ok && outcome.error instanceof NetworkError && outcome.error.mayHaveSucceeded);
      assert.equal(gql().filter((r) => r.operationName === 'RevokeTokens').length, 1);
    });
  });
});
