// `npm run emulator`: one line on stdout, 127.0.0.1 only, options honoured, stops cleanly on SIGTERM/SIGINT.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GET_CURRENT_USER } from '../emulator/flyctlDocuments';
import { postGraphql } from '../emulator/testRequests';
import { FLY_SCHEMA_PATH } from '../support/flyApi';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Running {
  child: ChildProcessWithoutNullStreams;
  line: string;
  url: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

const started: ChildProcessWithoutNullStreams[] = [];

/** Kills a CLI that is still running, with tsx's own node child (same process group), so mocha can always exit. */
function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function run(args: string[]): Promise<Running> {
  const child = spawn(TSX, [join(ROOT, 'test', 'emulator', 'cli.ts'), ...args], { cwd: ROOT, detached: true });
  started.push(child);
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stderr: ${err}`)), 15_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Fly API emulator on (http:\/\/127\.0\.0\.1:\d+) {2}sign-in token: (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, line: out.split('\n')[0], url: m[1], stdout: () => out, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
}

describe('emulator: CLI', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
  });
  afterEach(() => {
    for (const child of started.splice(0)) killGroup(child);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line with the URL and the token, serves it, logs to --log, and stops on SIGTERM', async () => {
    const log = join(dir, 'log.jsonl');
    const token = 'fo1_cli-test-token-abcdefghijklmnop';
    const emu = await run(['--port', '0', '--token', token, '--log', log, '--latency', '5']);
    // Compared without printing: failure output must not carry a token.
    assert.ok(emu.line === `Fly API emulator on ${emu.url}  sign-in token: ${token}`, 'banner line');
    const r = await postGraphql(emu.url, `Bearer ${token}`, GET_CURRENT_USER);
    assert.equal((r.json.data?.viewer as { email: string }).email, 'demo@example.com');
    emu.child.kill('SIGTERM');
    assert.equal(await emu.exit, 0);
    assert.equal(emu.stdout().split('\n').filter(Boolean).length, 1);
    const logged = readFileSync(log, 'utf8');
    assert.equal(logged.trim().split('\n').length, 1);
    assert.ok(!logged.includes(token));
  });

  it('--schema serves Fly\'s full schema; --legacy-login answers without PKCE; SIGINT stops it', async () => {
    const emu = await run(['--port', '0', '--schema', FLY_SCHEMA_PATH, '--legacy-login']);
    const token = emu.line.split('sign-in token: ')[1];
    assert.ok(/^fo1_\S+$/.test(token), 'random fo1_ token');
    const r = await postGraphql(emu.url, `Bearer ${token}`, 'query { viewer { ... on User { email } } }');
    assert.equal((r.json.data?.viewer as { email: string }).email, 'demo@example.com');
    const session = await fetch(`${emu.url}/api/v1/cli_sessions`, { method: 'POST', body: JSON.stringify({ code_challenge: 'abc', state: 's' }) });
    assert.equal(((await session.json()) as { pkce: boolean }).pkce, false);
    emu.child.kill('SIGINT');
    assert.equal(await emu.exit, 0);
  });

  it('answers each way Fly might: --unauthorized-401 --max-complexity --partial-errors --profile-params-text --sso-orgs', async () => {
    const emu = await run([
      '--port', '0', '--unauthorized-401', '--max-complexity', '30', '--partial-errors', 'tokenUser', '--profile-params-text', '--sso-orgs', 'personal',
    ]);
    const token = emu.line.split('sign-in token: ')[1];
    const auth = `Bearer ${token}`;
    assert.equal((await postGraphql(emu.url, 'Bearer fo1_wrong', GET_CURRENT_USER)).status, 401);
    const tokens = await postGraphql(
      emu.url,
      auth,
      'query { app(name: "acme-web") { limitedAccessTokens { nodes { name profileParams user { email } } } } }',
    );
    type Nodes = { limitedAccessTokens: { nodes: ({ profileParams: unknown } | null)[] } };
    const nodes = (tokens.json.data?.app as Nodes).limitedAccessTokens.nodes;
    assert.ok(nodes.includes(null), 'the teammate’s token is null');
    assert.deepEqual(tokens.json.errors?.map((e) => e.path?.slice(0, 3)), [['app', 'limitedAccessTokens', 'nodes']]);
    assert.equal(typeof nodes.find((n) => n !== null)?.profileParams, 'string');
    const tooBig = await postGraphql(emu.url, auth, `query { ${Array.from({ length: 31 }, (_, i) => `v${i}: viewer { __typename }`).join(' ')} }`);
    assert.equal(tooBig.json.data, undefined);
    assert.match(tooBig.json.errors?.[0].message ?? '', /^Query has complexity of \d+, which exceeds max complexity of 30$/);
    assert.equal((await postGraphql(emu.url, `FlyV1 fm2_unknownmacaroon,${token}`, GET_CURRENT_USER)).status, 401, 'a part that is no macaroon');
    const sso = await postGraphql(emu.url, auth, 'query { organization(slug: "personal") { slug } }');
    assert.equal(sso.json.data?.organization ?? null, null, 'sso: the user token alone does not reach the organization');
  });

  it('answers the new ways: --forbid-app --forbid-org --revoked-at-timeout --gateway-timeout-above --refusals-not-found', async () => {
    const emu = await run([
      '--port', '0', '--forbid-app', 'acme-api', '--forbid-org', 'personal', '--revoked-at-timeout', 'old laptop', '--gateway-timeout-above', '5',
    ]);
    const auth = `Bearer ${emu.line.split('sign-in token: ')[1]}`;
    const refused = await postGraphql(emu.url, auth, 'query { a: app(name: "acme-web") { name } b: app(name: "acme-api") { name } o: organization(slug: "personal") { slug } }');
    assert.deepEqual(refused.json.data, { a: { name: 'acme-web' }, b: null, o: null });
    assert.deepEqual(refused.json.errors?.map((e) => e.path), [['b'], ['o']]);
    const timeout = await postGraphql(emu.url, auth, 'query { app(name: "demo-app") { limitedAccessTokens { nodes { name revokedAt } } } }');
    assert.deepEqual(timeout.json.errors?.map((e) => e.message), ['Timeout on LimitedAccessToken.revokedAt']);
    const big = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ query: 'query { organization(slug: "acme") { limitedAccessTokens { nodes { id } } } }' }),
    });
    assert.equal(big.status, 504);
    assert.equal(await big.text(), 'upstream request timeout');
    emu.child.kill('SIGINT');
    assert.equal(await emu.exit, 0);
    const hidden = await run(['--port', '0', '--forbid-app', 'acme-api', '--refusals-not-found']);
    const missing = await postGraphql(hidden.url, `Bearer ${hidden.line.split('sign-in token: ')[1]}`, 'query { app(name: "acme-api") { name } }');
    assert.equal(missing.json.errors?.[0].message, 'Could not find App');
    hidden.child.kill('SIGINT');
    assert.equal(await hidden.exit, 0);
  });

  it('refuses a bad --partial-errors value', async () => {
    await assert.rejects(run(['--port', '0', '--partial-errors', 'everything']), /--partial-errors takes tokenUser and\/or orgName/);
  });

  it('refuses unknown options with a usage line and exit status 2', async () => {
    await assert.rejects(run(['--port', '0', '--bogus']), /exited 2: unknown option --bogus\nusage: npm run emulator/);
  });
});
