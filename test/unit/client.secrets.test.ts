// No token text in any error message or request event, even from servers that echo the credentials back.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlyClient } from '../../src/fly/client';
import { FlyError, GraphQLError } from '../../src/fly/errors';
import { scrubSecrets } from '../../src/http/redact';
import type { RequestEvent } from '../../src/fly/types';
import { startEmulator, type Emulator } from '../emulator';
import { testToken } from './support/macaroons';

/** Every way a token could leak out of an error: message, stack, JSON, and the per-message list. */
function errorTexts(e: unknown): string[] {
  assert.ok(e instanceof FlyError, `expected a FlyError, got ${String(e)}`);
  return [e.message, String(e), e.stack ?? '', JSON.stringify(e), ...(e instanceof GraphQLError ? e.messages : [])];
}

function assertNoSecret(texts: string[], secrets: string[], what: string): void {
  for (const text of texts) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${what}: "${secret.slice(0, 8)}…" leaked into: ${text.slice(0, 200)}`);
  }
}

/** The secret pieces of a token as it might be echoed: whole, without scheme, and each comma part. */
function piecesOf(token: string): string[] {
  const bare = token.replace(/^(?:FlyV1|Bearer)\s+/i, '');
  return [token, bare, ...bare.split(',').map((p) => p.trim())].filter((p) => p.length > 0);
}

const ALLOWED_EVENT_KEYS = ['attempt', 'durationMs', 'errorKind', 'method', 'operation', 'outcome', 'path', 'status'];

describe('FlyClient never reveals tokens', () => {
  describe('a server that echoes the Authorization header back', () => {
    type Echo = (auth: string) => { status: number; type: string; body: string };
    const echoes: [string, Echo][] = [
      ['500 HTML page', (auth) => ({ status: 500, type: 'text/html', body: `<html><title>Denied for ${auth}</title><body>${auth}</body></html>` })],
      ['502 plain text', (auth) => ({ status: 502, type: 'text/plain', body: `upstream rejected ${auth}` })],
      ['503 JSON error', (auth) => ({ status: 503, type: 'application/json', body: JSON.stringify({ error: `token ${auth} throttled` }) })],
      ['200 GraphQL error', (auth) => ({ status: 200, type: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: `bad credentials: ${auth}` }] }) })],
      ['200 GraphQL errors (two)', (auth) => ({ status: 200, type: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: `a ${auth}` }, { message: `b ${auth.toLowerCase()}` }] }) })],
      ['200 per-app error', (auth) => ({ status: 200, type: 'application/json', body: JSON.stringify({ data: { a0: null }, errors: [{ message: `Could not find App for ${auth}`, path: ['a0'] }] }) })],
      ['200 HTML page', (auth) => ({ status: 200, type: 'text/html', body: `<title>${auth}</title>` })],
      ['400 GraphQL error', (auth) => ({ status: 400, type: 'application/json', body: JSON.stringify({ errors: [{ message: `syntax near ${auth}` }] }) })],
    ];
    const tokens = [
      'fo1_Zk3vQ9sXw2LmN8pR4tY7uI1oA6eD0cB5',
      // a real deploy-token-shaped macaroon pair, made at run time so no token-like literal sits in the repository
      testToken().header,
      `${testToken().permission.replace(/^fm2_/, 'fm1r_')},${testToken().permission.replace(/^fm2_/, 'fm1a_')}`,
      'Bearer 7c2e9a4f1b3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f', // an old-style hex token
      'shortlegacy123', // short and unprefixed: only removable because the client knows it
    ];
    let server: Server;
    let url = '';
    let current: Echo = echoes[0][1];

    before(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          const reply = current(req.headers.authorization ?? '');
          res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    for (const [what, echo] of echoes) {
      it(`${what}: nothing token-like in errors or events`, async () => {
        current = echo;
        for (const token of tokens) {
          const events: RequestEvent[] = [];
          const client = new FlyClient({
        getToken: () => token,
        baseUrl: url,
        retry: { baseDelayMs: 1 },
        onRequest: (e) => events.push(e),
      });
          const calls: Promise<unknown>[] = [
            client.viewer(),
            client.listAppTokens(['demo-app']).then((r) => {
              const first = r[0];
              if (first && !first.ok) throw first.error;
              return r;
            }),
          ];
          for (const call of calls) {
            const e = await call.then(
              () => assert.fail('expected a failure'),
              (err: unknown) => err,
            );
            assertNoSecret(errorTexts(e), piecesOf(token), `${what} / ${token.slice(0, 6)}`);
          }
          const outcomes = await client.revokeTokens(['t1']);
          for (const o of outcomes) if (!o.ok) assertNoSecret(errorTexts(o.error), piecesOf(token), `${what} revoke`);
          assert.ok(events.length >= 3);
          assertNoSecret(events.map((e) => JSON.stringify(e)), piecesOf(token), `${what} events`);
        }
      });
    }
  });

  describe('with the emulator’s real tokens', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ port: 0 });
    });
    after(() => emu.close());

    it('a GraphQL error quoting the user token and a minted deploy token is scrubbed; events carry no token or variable', async () => {
      const events: RequestEvent[] = [];
      const client = new FlyClient({
        getToken: () => emu.demoToken,
        baseUrl: emu.url,
        retry: { baseDelayMs: 1 },
        onRequest: (e) => events.push(e),
      });
      const app = await client.getApp('demo-app');
      const created = await client.createDeployToken({ app, name: 'ci', expiry: '720h0m0s' });
      assert.deepEqual(emu.world.mintedHeaders(), [created.tokenHeader]);
      const secrets = [...piecesOf(emu.demoToken), ...piecesOf(created.tokenHeader)];

      emu.faults.next(1, { kind: 'graphql-error', message: `token ${emu.demoToken} and ${created.tokenHeader} are invalid` });
      const e = await client.viewer().catch((err: unknown) => err);
      assert.ok(e instanceof GraphQLError);
      assert.match(e.message, /token \[redacted\] and \[redacted\] are invalid/);
      assertNoSecret(errorTexts(e), secrets, 'graphql-error');

      // The deploy token as the credential, then every fault kind: no event or error shows either token.
      const deployClient = new FlyClient({
        getToken: () => created.tokenHeader,
        baseUrl: emu.url,
        timeoutMs: 200,
        retry: { baseDelayMs: 1 },
        onRequest: (ev) => events.push(ev),
      });
      const faults = [
        { status: 401 },
        { status: 403 },
        { status: 429, retryAfter: 30 },
        { status: 500 },
        { status: 502 },
        { kind: 'html' },
        { kind: 'malformed-json' },
        { kind: 'truncated' },
        { kind: 'reset' },
        { kind: 'hang' },
        { kind: 'graphql-error', message: `echo ${created.tokenHeader}` },
      ] as const;
      for (const fault of faults) {
        emu.faults.next(3, fault);
        const err = await deployClient.getApp('demo-app').catch((x: unknown) => x);
        assertNoSecret(errorTexts(err), secrets, JSON.stringify(fault).slice(0, 40));
        emu.faults.clear();
      }
      const outcomes = await deployClient.revokeTokens([created.id]);
      assert.equal(outcomes[0]?.ok, true);

      assert.ok(events.length > faults.length);
      for (const ev of events) {
        assert.deepEqual(Object.keys(ev).filter((k) => !ALLOWED_EVENT_KEYS.includes(k)), [], 'only the documented event fields');
        const text = JSON.stringify(ev);
        assertNoSecret([text], secrets, 'event');
        assert.ok(!text.includes('demo-app') && !text.includes(app.id), 'no variables in events');
      }
    });
  });

  describe('scrubSecrets', () => {
    const cases: [string, string][] = [
      ['Authorization: FlyV1 fm2_abc/+=,fm2_def', 'Authorization: [redacted]'],
      ['got Bearer fo1_xyz here', 'got [redacted] here'],
      ['bearer  sometoken.', '[redacted]'],
      ['fm1r_a and fm1a_b and fo1_c', '[redacted] and [redacted] and [redacted]'],
      ['"fm2_abc","x"', '"[redacted]","x"'],
      ['Could not find App', 'Could not find App'],
      ['HTTP 502 Bad Gateway', 'HTTP 502 Bad Gateway'],
      ['id 0ntzvzmvq24iuycb stays', 'id 0ntzvzmvq24iuycb stays'],
      [`hex ${'ab12'.repeat(12)} goes`, 'hex [redacted] goes'],
    ];
    for (const [input, output] of cases) {
      it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => assert.equal(scrubSecrets(input), output));
    }

    it('also removes known literal secrets', () => {
      assert.equal(scrubSecrets('legacy abc123 token', ['abc123']), 'legacy [redacted] token');
    });
  });
});
