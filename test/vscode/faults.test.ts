// The fault matrix inside VS Code: every way Fly (or the network) can fail, injected after a good load. A refresh
// keeps the last good rows and adds one "Refresh failed" row that says what happened in a sentence; create never
// retries its mutation and says when a token may exist anyway.
import * as assert from 'assert';
import { createServer } from 'net';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import type { Fault, FaultMatch } from '../emulator';
import { eventually, find, setUp, signIn, snapshot, type Harness, type Row } from './support/harness';
import { releaseHangingRequests } from './support/emulatorConnections';
import { findLeak, recordWorld, recordedSecrets, windowsOf, partsOf } from './support/secrets';

const CREATE = 'CreateLimitedAccessToken';

function withoutError(rows: Row[]): Row[] {
  return rows.filter((r) => r.contextValue !== 'error');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Case {
  name: string;
  fault: Fault;
  /** how many answers in a row are broken (queries are tried 3 times on 502, 503 and resets) */
  count: number;
  /** requests the refresh makes */
  requests: number;
  says: RegExp;
}

const CASES: Case[] = [
  { name: '403', fault: { status: 403 }, count: 1, requests: 1, says: /not allowed/ },
  {
    // No data and no path: refused as a whole, so the batch of apps is halved down to one (issue 10) before failing.
    name: 'a GraphQL errors array on every request',
    fault: { kind: 'graphql-error', message: 'something broke in the resolver' },
    count: 3,
    requests: 3,
    says: /^Fly\.io refused the request: something broke in the resolver\./,
  },
  { name: '429 with Retry-After 30', fault: { status: 429, retryAfter: 30 }, count: 1, requests: 1, says: /Try again in 30 s\./ },
  { name: '500', fault: { status: 500 }, count: 1, requests: 1, says: /server problem \(HTTP 500/ },
  { name: '502 three times', fault: { status: 502 }, count: 3, requests: 3, says: /server problem \(HTTP 502/ },
  { name: '503 three times', fault: { status: 503 }, count: 3, requests: 3, says: /server problem \(HTTP 503/ },
  { name: 'an HTML error page (502) three times', fault: { kind: 'html' }, count: 3, requests: 3, says: /error page titled "502 Bad Gateway"/ },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' }, count: 1, requests: 1, says: /not valid JSON/ },
  { name: 'a truncated body', fault: { kind: 'truncated' }, count: 1, requests: 1, says: /cut off/ },
  { name: 'a connection reset three times', fault: { kind: 'reset' }, count: 3, requests: 3, says: /interrupted/ },
];

describe('faults inside VS Code', () => {
  let h: Harness;
  let good: Row[];

  before(async () => {
    h = await setUp();
    await signIn(h);
  });
  beforeEach(async () => {
    h.emu.faults.clear();
    await h.api.model.refresh();
    good = await snapshot(h.api);
    assert.ok(good.some((r) => r.label === 'demo-app' && r.children?.length), 'a good load first');
    assert.ok(!good.some((r) => r.contextValue === 'error'), 'no error row after a good load');
    h.emu.clearRequests();
    h.prompter.notifications.length = 0;
  });
  afterEach(() => {
    h.emu.faults.clear();
    recordWorld(h.emu);
    h.prompter.assertDone();
  });

  /** The view after a failed refresh: the old rows, one error row first, a readable sentence, no token anywhere. */
  async function assertKeptWithError(says: RegExp): Promise<Row> {
    const rows = await snapshot(h.api);
    const error = rows[0];
    assert.deepStrictEqual([error?.label, error?.contextValue, error?.icon], ['Refresh failed', 'error', 'error'], JSON.stringify(rows));
    assert.deepStrictEqual(withoutError(rows), good, 'the last good rows stay');
    assert.strictEqual(rows.filter((r) => r.contextValue === 'error').length, 1);
    const text = error.description ?? '';
    assert.match(text, says);
    assert.match(text, /^[A-Z][^\n]{20,300}[.]$/, `not one clear sentence: ${text}`);
    assert.doesNotMatch(text, /undefined|\[object|Error:|[{}<>]|\bat \w+ \(/, text);
    assert.match(error.tooltip ?? '', /Click to retry/);
    const leak = findLeak(JSON.stringify(rows), windowsOf([...partsOf(h.emu.demoToken), ...recordedSecrets()]));
    assert.strictEqual(leak, undefined, 'a piece of a token is in the view');
    return error;
  }

  for (const c of CASES) {
    it(`${c.name}: keeps the rows, adds an error row that says so`, async () => {
      h.emu.faults.next(c.count, c.fault);
      await vscode.commands.executeCommand('flyTokens.refresh');
      await assertKeptWithError(c.says);
      const sent = h.emu.graphqlRequests();
      assert.strictEqual(sent.length, c.requests, `requests: ${JSON.stringify(sent.map((r) => r.fault ?? r.status))}`);
      assert.deepStrictEqual(h.prompter.notifications, [], 'a background refresh does not pop up notifications');
      // The next refresh that works clears the error row.
      await vscode.commands.executeCommand('flyTokens.refresh');
      assert.deepStrictEqual(await snapshot(h.api), good);
    });
  }

  it('one 502 is retried and the refresh succeeds without an error row', async () => {
    h.emu.faults.next(1, { status: 502 });
    await vscode.commands.executeCommand('flyTokens.refresh');
    assert.deepStrictEqual(await snapshot(h.api), good);
    assert.deepStrictEqual(h.emu.graphqlRequests().map((r) => r.status), [502, 200]);
  });

  it('a connection refused (API URL pointing at a closed port): keeps the rows, says it could not connect', async () => {
    const original = process.env.FLY_API_BASE_URL;
    assert.strictEqual(original, h.emu.url);
    const port = await closedPort();
    // A session is sent only to the API it was made for (sessionSecurity.test.ts): this one was made for the URL
    // that now refuses connections, as if that server went down after the sign-in.
    const secrets = h.api.context.secrets;
    const session = (await secrets.get('flyTokens.session')) ?? '';
    const closed = `http://127.0.0.1:${port}`;
    try {
      h.api.allowApiFromEnvironment(closed);
      process.env.FLY_API_BASE_URL = closed;
      await secrets.store('flyTokens.session', JSON.stringify({ ...JSON.parse(session), id: 'fly-closed-port', api: closed }));
      await eventually(async () => assert.strictEqual(await h.api.auth.sessionApi(), closed));
      await vscode.commands.executeCommand('flyTokens.refresh');
      const error = await assertKeptWithError(/^Could not connect to Fly\.io at 127\.0\.0\.1:\d+: the connection was refused\./);
      assert.ok(error.description?.includes(String(port)));
      assert.strictEqual(h.emu.graphqlRequests().length, 0);
    } finally {
      process.env.FLY_API_BASE_URL = original;
      await secrets.store('flyTokens.session', session);
      await eventually(async () => assert.strictEqual(await h.api.auth.sessionApi(), new URL(h.emu.url).origin));
    }
    await vscode.commands.executeCommand('flyTokens.refresh');
    assert.deepStrictEqual(await snapshot(h.api), good);
  });

  it('a request that hangs past flyTokens.requestTimeoutSeconds: keeps the rows, says Fly did not answer, no retry', async () => {
    const config = vscode.workspace.getConfiguration('flyTokens');
    const original = config.inspect<number>('requestTimeoutSeconds')?.globalValue;
    try {
      await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
      h.emu.faults.next(1, { kind: 'hang' });
      const started = Date.now();
      await vscode.commands.executeCommand('flyTokens.refresh');
      const waited = Date.now() - started;
      assert.ok(waited >= 900 && waited < 5_000, `waited ${waited} ms for a 1 s timeout`);
      await assertKeptWithError(/^Fly\.io did not answer within 1 s\. Check your connection and try again\.$/);
      assert.deepStrictEqual(h.emu.graphqlRequests().map((r) => r.fault ?? r.status), ['hang'], 'a timeout is not retried');
    } finally {
      releaseHangingRequests(h.emu);
      await vscode.workspace.getConfiguration('flyTokens').update('requestTimeoutSeconds', original, vscode.ConfigurationTarget.Global);
    }
  });

  it('a request that hangs: the rows stay while it loads; a dropped connection is retried and recovers', async () => {
    // Under the default 30 s timeout: what the view shows meanwhile, then the wait ended by dropping the socket.
    h.emu.faults.next(1, { kind: 'hang' });
    const refreshing = vscode.commands.executeCommand('flyTokens.refresh');
    let settled = false;
    void Promise.resolve(refreshing).finally(() => (settled = true));
    await eventually(() => assert.ok(h.emu.graphqlRequests().some((r) => r.fault === 'hang')));
    assert.deepStrictEqual(await snapshot(h.api), good, 'rows stay while loading');
    assert.strictEqual(settled, false, 'still waiting for Fly');
    h.emu.faults.clear();
    releaseHangingRequests(h.emu);
    await refreshing;
    assert.deepStrictEqual(await snapshot(h.api), good);
    assert.deepStrictEqual(h.emu.graphqlRequests().map((r) => r.fault ?? r.status), ['hang', 200]);
  });

  describe('create', () => {
    const createRequests = () => h.emu.graphqlRequests().filter((r) => r.operationName === CREATE);

    async function create(name: string, fault: Fault, match: FaultMatch = { operation: 'mutation' }): Promise<void> {
      h.emu.faults.next(1, fault, match);
      h.prompter.answer('create.name', name).answer('create.expiry', '30 days');
      await vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    }

    it('a 502 on the mutation: sent once, a warning that it may exist, and the list refreshed', async () => {
      const before = h.emu.world.tokens().length;
      await create('ci-after-502', { status: 502 });
      assert.strictEqual(createRequests().length, 1, 'the mutation is never retried');
      const warnings = h.prompter.notifications.filter((n) => n.kind === 'warning');
      assert.strictEqual(warnings.length, 1, JSON.stringify(h.prompter.notifications));
      assert.match(warnings[0].message, /may have been created anyway/);
      assert.match(warnings[0].message, /"ci-after-502"/);
      assert.match(warnings[0].message, /HTTP 502/);
      const sent = h.emu.graphqlRequests();
      const mutationAt = sent.findIndex((r) => r.operationName === CREATE);
      assert.ok(
        sent.slice(mutationAt + 1).some((r) => r.operationName === 'AppTokens' && r.status === 200),
        `the list was asked for again after the failure: ${sent.map((r) => r.operationName).join(', ')}`,
      );
      // Fly never got it (the emulator failed it before running it): the refreshed list shows no such token.
      assert.strictEqual(h.emu.world.tokens().length, before);
      const demo = find(await snapshot(h.api), 'demo-app').children ?? [];
      assert.ok(!demo.some((r) => r.label === 'ci-after-502'), JSON.stringify(demo));
      assert.deepStrictEqual(await snapshot(h.api), good);
    });

    it('a mutation that times out: sent once, a warning that it may exist', async () => {
      const config = vscode.workspace.getConfiguration('flyTokens');
      const original = config.inspect<number>('requestTimeoutSeconds')?.globalValue;
      try {
        await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
        await create('ci-after-timeout', { kind: 'hang' });
      } finally {
        releaseHangingRequests(h.emu);
        await vscode.workspace.getConfiguration('flyTokens').update('requestTimeoutSeconds', original, vscode.ConfigurationTarget.Global);
      }
      assert.strictEqual(createRequests().length, 1, 'the mutation is never retried');
      const warnings = h.prompter.notifications.filter((n) => n.kind === 'warning');
      assert.strictEqual(warnings.length, 1, JSON.stringify(h.prompter.notifications));
      assert.match(warnings[0].message, /did not answer within 1 s.*may have been created anyway/);
    });

    it('a 429 on the mutation: says how long to wait, sent once, nothing created', async () => {
      const before = h.emu.world.tokens().length;
      await create('ci-after-429', { status: 429, retryAfter: 30 });
      assert.strictEqual(createRequests().length, 1);
      const [n] = h.prompter.notifications;
      assert.strictEqual(h.prompter.notifications.length, 1, JSON.stringify(h.prompter.notifications));
      assert.match(n.message, /^No token was created: .*Try again in 30 s\.$/);
      assert.strictEqual(h.emu.world.tokens().length, before);
    });
  });
});
