// Fly refusing one app or organization is not a sign-out, and token lists that time out are split or say plainly
// that a token's state is unknown — inside VS Code, against the emulator's refusal, timeout and 504 modes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, find, setUp, signIn, snapshot, type Harness, type Row } from './support/harness';

const WORKSPACE_APPS = ['demo-app', 'acme-web', 'acme-api'];

function appTokenQueries(h: Harness) {
  return h.emu.graphqlRequests().filter((r) => r.operationName === 'AppTokens');
}

function errorRows(rows: Row[]): Row[] {
  return rows.filter((r) => r.contextValue === 'error');
}

describe('refusals and timeouts inside VS Code', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  it('one refused app keeps the session and the other apps’ rows, and says "no access" on its own row', async () => {
    h.emu.modes.forbidden = { apps: ['acme-api'], orgs: [] };
    await h.api.model.refresh();
    assert.strictEqual(h.api.model.listing.status, 'ready', 'not signed out');
    assert.strictEqual((await h.api.auth.account())?.email, 'demo@example.com', 'the session stays');
    const rows = await snapshot(h.api);
    assert.deepStrictEqual(errorRows(rows), [], 'no "refresh failed" row: the refresh worked');
    const refused = find(rows, 'acme-api');
    assert.strictEqual(refused.contextValue, 'app;error');
    assert.match(refused.description ?? '', /^no access · /, 'short, for a narrow sidebar');
    assert.match(refused.tooltip ?? '', /refused access to the app "acme-api"/);
    assert.match(refused.tooltip ?? '', /sign-in still works/);
    assert.ok(find(rows, 'demo-app').children?.some((r) => r.label === 'github actions'), 'demo-app lists');
    assert.ok(find(rows, 'acme-web').children?.some((r) => r.label === 'staging deploy'), 'acme-web lists');

    h.emu.modes.forbidden = { apps: [], orgs: [] };
    await h.api.model.refresh();
    const later = find(await snapshot(h.api), 'acme-api');
    assert.strictEqual(later.contextValue, 'app;ok', 'a later refresh succeeds');
    assert.ok(later.children?.some((r) => r.label === 'github actions'));
  });

  it('one refused organization in the hygiene review leaves the others reviewed, and the session stays', async () => {
    h.emu.modes.forbidden = { apps: [], orgs: ['acme'] };
    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    const html = h.api.hygiene.html();
    assert.ok(html, 'the report was shown');
    assert.match(html, /acme: not reviewed, Fly\.io refused access to it/);
    assert.ok(html.includes('old laptop'), 'personal was reviewed: its expired token is a finding');
    assert.ok(!html.includes('nightly backups'), 'nothing of acme is judged');
    assert.strictEqual((await h.api.auth.account())?.email, 'demo@example.com', 'the session stays');
    assert.strictEqual(h.api.model.listing.status, 'ready');
  });

  it('a revokedAt that keeps timing out shows "state unknown", never active, and the review does not count it', async () => {
    h.emu.modes.revokedAtTimeout = { token: 'staging deploy', everywhere: true };
    await h.api.model.refresh();
    const rows = await snapshot(h.api);
    assert.deepStrictEqual(errorRows(rows), []);
    const web = find(rows, 'acme-web').children!;
    const staging = find(web, 'staging deploy');
    assert.strictEqual(staging.contextValue, 'token;unknown');
    assert.match(staging.description ?? '', /state unknown/);
    assert.strictEqual(staging.icon, 'question');
    assert.match(staging.tooltip ?? '', /could not say whether this token is revoked/);
    assert.strictEqual(find(web, 'github actions').contextValue, 'token;active', 'the rest of the page is fine');

    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    const html = h.api.hygiene.html()!;
    const id = h.emu.world.tokens().find((t) => t.name === 'staging deploy')!.id;
    assert.ok(!html.includes(id), 'its 20-year lifetime is not a finding while its state is unknown');
    assert.match(html, /1 token is not judged: Fly\.io could not say whether it is revoked/);
  });

  it('a revokedAt that timed out in the list is read again: a revoked token shows revoked, not active', async () => {
    const staging = h.emu.world.tokens().find((t) => t.name === 'staging deploy')!;
    h.emu.world.revoke(staging, 'demo@example.com');
    h.emu.modes.revokedAtTimeout = { token: 'staging deploy', everywhere: false };
    await vscode.workspace.getConfiguration('flyTokens').update('showRevoked', true, vscode.ConfigurationTarget.Global);
    try {
      h.emu.clearRequests();
      await h.api.model.refresh();
      await eventually(async () => {
        const web = find(await snapshot(h.api), 'acme-web').children!;
        assert.strictEqual(find(web, 'staging deploy').contextValue, 'token;revoked');
      });
      assert.ok(h.emu.graphqlRequests().some((r) => r.operationName === 'TokensById'), 'read again by id');
    } finally {
      await vscode.workspace.getConfiguration('flyTokens').update('showRevoked', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a listing answered with HTTP 504 is split and every app lists', async () => {
    const count = (app: string) => h.emu.world.tokens().filter((t) => t.app === app).length;
    const [demo, web, api] = WORKSPACE_APPS.map(count);
    // all three together are too many; the halves (two apps, then one) are not
    const limit = Math.max(demo + web, api);
    assert.ok(demo + web + api > limit);
    h.emu.modes.gatewayTimeoutAboveTokens = limit;
    h.emu.clearRequests();
    await h.api.model.refresh();
    const rows = await snapshot(h.api);
    assert.deepStrictEqual(errorRows(rows), [], 'no "refresh failed" row');
    for (const app of WORKSPACE_APPS) assert.strictEqual(find(rows, app).contextValue, 'app;ok', app);
    assert.deepStrictEqual(
      appTokenQueries(h).map((r) => [r.status, Object.keys(r.variables ?? {}).length / 2]),
      [
        [504, 3],
        [200, 2],
        [200, 1],
      ],
    );
  });
});
