// `npm run test:live` never rots: the same contract runs here against the emulator serving Fly's full schema.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN_NAME_PREFIX, runLive } from '../live/contract';
import { startEmulator, type Emulator } from '../emulator';
import { FLY_SCHEMA_PATH } from '../support/flyApi';

const ROOT = join(__dirname, '..', '..');

describe('npm run test:live (the contract with the real API), against the emulator with Fly’s full schema', function () {
  this.timeout(30_000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0, schemaPath: FLY_SCHEMA_PATH });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  const env = (): NodeJS.ProcessEnv => ({ FLY_LIVE_TOKEN: emu.demoToken, FLY_LIVE_APP: 'demo-app', FLY_API_BASE_URL: emu.url });
  const liveTokens = () => emu.world.tokens().filter((t) => t.name.startsWith(TOKEN_NAME_PREFIX));

  it('passes: viewer, lists, creates a 1-hour token, sees it, revokes it, sees it revoked', async () => {
    const result = await runLive({ env: env() });
    assert.equal(result.kind, 'passed', result.kind === 'failed' ? result.failure : '');
    const o = result.observations;
    assert.deepEqual(o.steps, [
      'viewer', 'app', 'app tokens', 'organization tokens', 'created', 'listed', 'revoked', 'seen revoked', 'leak probed', 'leak revoked and refused',
    ]);
    assert.deepEqual(o.batchedRevoke, { tokens: 2, requests: 1, outcomes: ['ok', 'ok'] }, 'two revocations in one request');
    assert.deepEqual(o.nodes, { accepted: true, asked: 2, resolved: 2, revoked: 2, errors: [] });
    assert.deepEqual(o.leak, { probe: 'macaroon, acts for the viewer: true', apps: '1 app(s), demo-app among them', logOut: 'ok', refusedAfter: 'refused' });
    const metrics = o.housekeeping?.find((t) => t.name === 'flyctl-metrics');
    assert.ok(metrics, `the org's housekeeping tokens are recorded: ${JSON.stringify(o.housekeeping)}`);
    assert.deepEqual([metrics.profile, metrics.state], ['identity', 'active']);
    assert.equal(typeof metrics.lifetimeMinutes, 'number');
    assert.equal(o.created?.expiresInMinutes, 60);
    assert.equal(o.created?.tokenHeaderPrefix, 'FlyV1');
    assert.deepEqual(o.tokenFields?.expiresAt, [{ type: 'string', format: 'rfc3339-Z' }]);
    assert.ok(o.profiles?.deploy);
    assert.ok(o.errors.some((e) => e.what === 'unknown app' && e.kind === 'notFound'));
    const unknownToken = o.errors.find((e) => e.what === 'unknown token');
    assert.equal(unknownToken?.status, 200);
    const made = liveTokens();
    assert.equal(made.length, 3, 'the token it lists, its batch partner, the leak drill');
    assert.ok(made.every((t) => t.revokedAt), 'every token it made is revoked');
    assert.match(made[0].name, /^fly-deploy-tokens-live-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    assert.ok(!JSON.stringify(o).includes(emu.demoToken), 'no token in the observations');
    for (const t of made) assert.ok(!JSON.stringify(o).includes(t.header.slice(10, 40)), 'no minted token in the observations');
  });

  it('fails, and says so, when Fly still accepts a token after LogOut answered ok; what it made is revoked', async () => {
    emu.modes.logOutKeepsToken = true;
    const result = await runLive({ env: env() });
    assert.equal(result.kind, 'failed');
    assert.match(result.kind === 'failed' ? result.failure : '', /after LogOut answered ok, Fly still accepts the token/);
    assert.equal(result.observations.leak?.refusedAfter, 'accepted');
    assert.ok(liveTokens().every((t) => t.revokedAt), 'cleaned up by id');
  });

  it('records a probe that is refused `apps` as "not answered", and still drills the leak', async () => {
    emu.modes.macaroonApps = 'refused';
    const result = await runLive({ env: env() });
    assert.equal(result.kind, 'passed', result.kind === 'failed' ? result.failure : '');
    assert.equal(result.observations.leak?.apps, 'not answered');
  });

  it('revokes what it created when a later step fails', async () => {
    const result = await runLive({
      env: env(),
      onStep: (step) => {
        if (step === 'created') emu.faults.next(3, { status: 500 }, { operation: 'query' });
      },
    });
    assert.equal(result.kind, 'failed');
    assert.equal(liveTokens().length, 1);
    assert.ok(liveTokens()[0]?.revokedAt, 'cleaned up');
    assert.equal(result.observations.cleanup, 'revoked the token this run created');
  });

  it('the CLI skips in one line with exit 0 without credentials, and writes observations when it runs', () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const bare = { PATH: process.env.PATH ?? '' };
    const skipped = spawnSync(tsx, ['test/live/main.ts'], { cwd: ROOT, env: bare, encoding: 'utf8' });
    assert.equal(skipped.status, 0);
    assert.equal(skipped.stdout, 'test:live skipped: FLY_LIVE_TOKEN and FLY_LIVE_APP are not set (set both to check the real Fly.io API; see README)\n');
    const out = join(ROOT, 'test-results', 'live-observations.json');
    rmSync(out, { force: true });
    const bad = spawnSync(tsx, ['test/live/main.ts'], {
      cwd: ROOT,
      env: { ...bare, FLY_LIVE_TOKEN: 'fo1_x', FLY_LIVE_APP: 'demo-app', FLY_API_BASE_URL: 'http://example.com' },
      encoding: 'utf8',
    });
    assert.equal(bad.status, 1, 'a token never travels in clear to a non-loopback host');
    assert.match(bad.stderr, /FLY_API_BASE_URL must be https/);
    assert.ok(existsSync(out));
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).result, 'failed');
  });

  it('the CLI passes against the emulator and writes test-results/live-observations.json', async () => {
    const out = join(ROOT, 'test-results', 'live-observations.json');
    rmSync(out, { force: true });
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['test/live/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env() },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stdout);
    assert.match(stdout, /test:live passed against http:\/\/127\.0\.0\.1:\d+; observations: /);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { result: string; steps: string[] };
    assert.equal(written.result, 'passed');
    assert.equal(written.steps.at(-1), 'leak revoked and refused');
    assert.ok(!readFileSync(out, 'utf8').includes(emu.demoToken));
  });
});
