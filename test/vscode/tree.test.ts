import * as assert from 'assert';
import { find, setUp, signIn, snapshot, type Harness } from './support/harness';

describe('the Deploy Tokens tree in a multi-root workspace', () => {
  let h: Harness;
  before(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  it('shows one row per app with its file and organization, an error row for the broken file, and ignores node_modules', async () => {
    h.emu.clearRequests();
    await h.api.model.refresh({ rescan: true });
    const rows = await snapshot(h.api);
    assert.deepStrictEqual(
      rows.map((r) => [r.label, r.description, r.contextValue]),
      [
        ['acme-api', 'api/fly.toml · acme', 'app;ok'],
        ['acme-web', 'web/fly.staging.toml · acme', 'app;ok'],
        ['demo-app', 'web/fly.toml · personal', 'app;ok'],
        ['api/fly.broken.toml', rows[3].description, 'fileError'],
      ],
    );
    assert.strictEqual(rows[3].description, 'TOML error, line 3');
    assert.match(rows[3].tooltip ?? '', /line 3, column \d+: /);
    assert.strictEqual(h.emu.graphqlRequests().length, 1, 'all apps in one request');
  });

  it('orders tokens active (soonest expiry first), then expired; hides revoked by default', async () => {
    const rows = await snapshot(h.api);
    const demo = find(rows, 'demo-app').children!;
    assert.deepStrictEqual(
      demo.map((r) => [r.label, r.contextValue, r.icon]),
      [
        ['github actions', 'token;active', 'pass'],
        ['old laptop', 'token;expired', 'error'],
      ],
    );
    assert.match(demo[0].description!, /^in \d+ yr\.$/);
    assert.strictEqual(demo[1].description, 'expired');
    const api = find(rows, 'acme-api').children!;
    assert.deepStrictEqual(api.map((r) => r.label), ['flyctl deploy token', 'github actions']);
    assert.strictEqual(api[0].contextValue, 'token;active', 'expires in 25 days: beyond the 14-day warning');
  });

  it('flags a token expiring within the warning days', async () => {
    h.emu.world.addToken({ app: 'demo-app', name: 'short-lived', expiresAt: new Date(Date.now() + 3 * 86_400_000) });
    await h.api.model.refresh();
    const demo = find(await snapshot(h.api), 'demo-app').children!;
    const row = find(demo, 'short-lived');
    assert.deepStrictEqual([row.contextValue, row.icon, row.description], ['token;active;expiring', 'warning', 'in 3 days']);
    assert.strictEqual(demo[0].label, 'short-lived', 'soonest expiry first');
    assert.match(row.tooltip!, /\| ID \| `[^`]+` \|/);
    assert.match(row.tooltip!, /Created by \| demo@example\.com/);
  });
});
