// Fault injection (in-process and through /__emulator/) over real HTTP.
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import type { FaultStatus } from '../emulator/faults';
import { GET_APP_COMPACT, GET_CURRENT_USER, REVOKE_LIMITED_ACCESS_TOKEN } from '../emulator/flyctlDocuments';
import { postGraphql, postJson } from '../emulator/testRequests';
import { eventually } from '../support/eventually';

function rawPost(
  url: string,
  auth: string,
  query: string,
  variables: Record<string, unknown> | null = null,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
}

describe('emulator: faults', () => {
  let emu: Emulator;
  let auth: string;
  const viewer = () => postGraphql(emu.url, auth, GET_CURRENT_USER);
  const revoke = () => postGraphql(emu.url, auth, REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: 'x' } });

  before(async () => {
    emu = await startEmulator();
    auth = `Bearer ${emu.demoToken}`;
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  const statuses: FaultStatus[] = [401, 403, 404, 413, 429, 500, 502, 503];
  for (const status of statuses) {
    it(`status ${status} with a JSON body, then normal service`, async () => {
      emu.faults.next(1, status === 429 ? { status, retryAfter: 7 } : { status });
      const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = (await res.json()) as Record<string, unknown>;
      assert.ok('errors' in body || 'error' in body);
      if (status === 429) assert.equal(res.headers.get('retry-after'), '7');
      const ok = await viewer();
      assert.equal(ok.status, 200);
      assert.deepEqual(emu.requests.map((r) => [r.status, r.fault]), [[status, String(status)], [200, undefined]]);
    });
  }

  it('429 without retryAfter still sends a Retry-After header', async () => {
    emu.faults.next(1, { status: 429 });
    const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
    assert.equal(res.headers.get('retry-after'), '1');
  });

  it('html: a text/html error page', async () => {
    emu.faults.next(1, { kind: 'html' });
    const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<html>/);
  });

  it('malformed-json: 200 whose body does not parse', async () => {
    emu.faults.next(1, { kind: 'malformed-json' });
    const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
    assert.equal(res.status, 200);
    await assert.rejects(res.json(), SyntaxError);
  });

  it('truncated: the body ends before Content-Length', async () => {
    emu.faults.next(1, { kind: 'truncated' });
    const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  });

  it('reset: the connection drops without a response', async () => {
    emu.faults.next(1, { kind: 'reset' });
    await assert.rejects(rawPost(emu.url, auth, GET_CURRENT_USER), TypeError);
    assert.equal(emu.requests[0].status, null);
    assert.equal(emu.requests[0].fault, 'reset');
    assert.equal((await viewer()).status, 200);
  });

  it('hang: no answer until the client gives up; close() ends hanging requests', async () => {
    emu.faults.next(1, { kind: 'hang' });
    await assert.rejects(rawPost(emu.url, auth, GET_CURRENT_USER, null, AbortSignal.timeout(300)), /TimeoutError|aborted/);
    const other = await startEmulator();
    other.faults.next(1, { kind: 'hang' });
    const pending = rawPost(other.url, `Bearer ${other.demoToken}`, GET_CURRENT_USER);
    const outcome = pending.then(() => 'answered', () => 'dropped');
    await eventually(() => other.requests.length === 1, { what: 'the hanging request to arrive' });
    const started = Date.now();
    await other.close();
    assert.equal(await outcome, 'dropped');
    assert.ok(Date.now() - started < 1000);
  });

  it('graphql-error: 200 with the given message', async () => {
    emu.faults.next(1, { kind: 'graphql-error', message: 'Something upstream broke' });
    const r = await viewer();
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.errors?.map((e) => e.message), ['Something upstream broke']);
    assert.equal(r.json.data, null);
  });

  it('counts down per matching request; match by operation type', async () => {
    emu.faults.next(2, { status: 503 }, { operation: 'mutation' });
    assert.equal((await viewer()).status, 200);
    assert.equal((await revoke()).status, 503);
    assert.equal((await postGraphql(emu.url, auth, GET_APP_COMPACT, { appName: 'demo-app' })).status, 200);
    assert.equal((await revoke()).status, 503);
    assert.equal((await revoke()).status, 200);
    emu.faults.next(1, { status: 500 }, { operation: 'query' });
    assert.equal((await revoke()).status, 200);
    assert.equal((await viewer()).status, 500);
  });

  it('matches by path, so login endpoints can fail while GraphQL works', async () => {
    emu.faults.next(1, { status: 502 }, { path: '/api/v1/cli_sessions' });
    assert.equal((await viewer()).status, 200);
    const first = await postJson(`${emu.url}/api/v1/cli_sessions`, { code_challenge: 'x', code_challenge_method: 'S256', state: 's' });
    assert.equal(first.status, 502);
    const second = await postJson(`${emu.url}/api/v1/cli_sessions`, { code_challenge: 'x', code_challenge_method: 'S256', state: 's' });
    assert.equal(second.status, 201);
  });

  it('faults queue in order and clear() removes them', async () => {
    emu.faults.next(1, { status: 500 });
    emu.faults.next(1, { status: 401 });
    assert.equal((await viewer()).status, 500);
    assert.equal((await viewer()).status, 401);
    emu.faults.next(5, { status: 500 });
    emu.faults.clear();
    assert.equal((await viewer()).status, 200);
  });

  it('latency delays every answer', async () => {
    emu.faults.latency(120);
    const started = Date.now();
    await viewer();
    assert.ok(Date.now() - started >= 115);
    emu.faults.latency(0);
    const again = Date.now();
    await viewer();
    assert.ok(Date.now() - again < 100);
  });

  it('latencyMs option applies from the start and after reset()', async () => {
    const slow = await startEmulator({ latencyMs: 100 });
    try {
      const started = Date.now();
      await postGraphql(slow.url, `Bearer ${slow.demoToken}`, GET_CURRENT_USER);
      assert.ok(Date.now() - started >= 95);
      slow.faults.latency(0);
      slow.reset();
      const again = Date.now();
      await postGraphql(slow.url, `Bearer ${slow.demoToken}`, GET_CURRENT_USER);
      assert.ok(Date.now() - again >= 95);
    } finally {
      await slow.close();
    }
  });

  describe('over HTTP (/__emulator/)', () => {
    it('POST /__emulator/faults queues a fault; DELETE clears; control requests are not logged', async () => {
      const set = await postJson(`${emu.url}/__emulator/faults`, { count: 2, fault: { status: 429, retryAfter: 3 }, match: { operation: 'query' } });
      assert.equal(set.status, 200);
      const res = await rawPost(emu.url, auth, GET_CURRENT_USER);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '3');
      assert.equal((await fetch(`${emu.url}/__emulator/faults`, { method: 'DELETE' })).status, 200);
      assert.equal((await viewer()).status, 200);
      const log = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { path: string }[];
      assert.deepEqual(log.map((r) => r.path), ['/graphql', '/graphql']);
    });

    it('POST /__emulator/faults sets latency and refuses nonsense', async () => {
      assert.equal((await postJson(`${emu.url}/__emulator/faults`, { latencyMs: 80 })).status, 200);
      const started = Date.now();
      await viewer();
      assert.ok(Date.now() - started >= 75);
      for (const bad of [{ count: 1, fault: { status: 418 } }, { count: 0, fault: { status: 500 } }, { count: 1, fault: { kind: 'explode' } }, { count: 1, fault: { kind: 'graphql-error' } }, { latencyMs: -1 }]) {
        assert.equal((await postJson(`${emu.url}/__emulator/faults`, bad)).status, 400, JSON.stringify(bad));
      }
    });

    it('DELETE /__emulator/requests, POST /__emulator/reset and GET /__emulator/tokens', async () => {
      emu.world.addToken({ app: 'demo-app', name: 'extra' });
      await viewer();
      assert.equal((await fetch(`${emu.url}/__emulator/requests`, { method: 'DELETE' })).status, 200);
      assert.equal(emu.requests.length, 0);
      type Listed = { name: string; header: string; app: string | null; expiresAt: string };
      const tokens = (await (await fetch(`${emu.url}/__emulator/tokens`)).json()) as Listed[];
      assert.equal(tokens.length, 27);
      assert.ok(tokens.some((t) => t.name === 'extra' && t.app === 'demo-app' && t.header.startsWith('FlyV1 fm2_')));
      assert.match(tokens[0].expiresAt, /Z$/);
      emu.faults.next(3, { status: 500 });
      assert.equal((await postJson(`${emu.url}/__emulator/reset`, {})).status, 200);
      assert.equal(emu.world.tokens().length, 26);
      assert.equal((await viewer()).status, 200);
      assert.equal((await fetch(`${emu.url}/__emulator/nope`)).status, 404);
    });
  });
});
