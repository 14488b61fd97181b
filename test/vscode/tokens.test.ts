import * as assert from 'assert';
import * as vscode from 'vscode';
import { eventually, find, setUp, signIn, snapshot, type Harness } from './support/harness';

const creates = (h: Harness) => h.emu.graphqlRequests().filter((r) => /createLimitedAccessToken/.test(r.query ?? ''));
const revokes = (h: Harness) => h.emu.graphqlRequests().filter((r) => /deleteLimitedAccessToken/.test(r.query ?? ''));

async function appNode(h: Harness, name: string): Promise<unknown> {
  const roots = h.api.tree.getChildren() ?? [];
  const node = roots.find((n) => (n as vscode.TreeItem).label === name);
  assert.ok(node, `no app row ${name}`);
  return node;
}

async function tokenNodes(h: Harness, app: string): Promise<vscode.TreeItem[]> {
  return h.api.tree.getChildren((await appNode(h, app)) as never) ?? [];
}

describe('create and revoke deploy tokens', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    h.emu.clearRequests();
  });
  afterEach(() => h.prompter.assertDone());

  it('creates from the palette: app pick, two steps, one request, token only in the clipboard', async () => {
    await vscode.env.clipboard.writeText('sentinel');
    h.prompter
      .answer('create.app', (labels: string[]) => {
        assert.deepStrictEqual([...labels].sort(), ['acme-api', 'acme-web', 'demo-app']);
        return 'demo-app';
      })
      .answer('create.name', 'ci token A')
      .answer('create.expiry', (labels: string[]) => {
        assert.deepStrictEqual(labels, ['7 days', '30 days', '90 days', '1 year', '20 years', 'Custom…']);
        return '30 days';
      });
    await vscode.commands.executeCommand('flyTokens.createDeployToken');

    const [nameStep, expiryStep] = h.prompter.asked.filter((a) => a.id === 'create.name' || a.id === 'create.expiry');
    assert.deepStrictEqual([nameStep.step, nameStep.totalSteps, expiryStep.step, expiryStep.totalSteps], [1, 2, 2, 2]);
    assert.match(nameStep.value ?? '', /^demo-app-deploy-\d{4}-\d{2}-\d{2}$/, 'default name names the app and the date');

    const minted = h.emu.world.tokens().find((t) => t.name === 'ci token A');
    assert.ok(minted, 'the emulator has the token');
    assert.strictEqual(await vscode.env.clipboard.readText(), minted.header);
    assert.strictEqual(creates(h).length, 1);
    assert.strictEqual(h.emu.graphqlRequests().length, 1, 'the tree knew the app: one request in all');
    const vars = creates(h)[0].variables as { input?: Record<string, unknown> } & Record<string, unknown>;
    const input = vars.input ?? vars;
    assert.strictEqual(input.expiry, '720h0m0s');
    assert.strictEqual(input.profile, 'deploy');
    assert.deepStrictEqual(input.profileParams, { app_id: h.emu.world.app('demo-app')!.id });
    assert.strictEqual(minted.expiresAt.getTime() - minted.createdAt.getTime(), 30 * 86_400_000);

    const note = await h.prompter.waitForNotification(/copied to the clipboard/);
    assert.ok(!note.message.includes(minted.header.slice(6, 30)), 'the notification never shows the token');
    const row = find(find(await snapshot(h.api), 'demo-app').children!, 'ci token A');
    assert.strictEqual(row.contextValue, 'token;active');
    assert.strictEqual(row.description, 'next mo.');
  });

  it('creates from an app row with a custom lifetime validated as typed, and Copy Again copies again', async () => {
    h.prompter.validateWith.set('create.customExpiry', ['0', '-1h', 'garbage', '100000000h', '45d']);
    h.prompter.onNotify(/copied to the clipboard/, 'Copy Again');
    h.prompter.answer('create.name', 'from the row').answer('create.expiry', 'Custom…').answer('create.customExpiry', '45d');
    await vscode.env.clipboard.writeText('sentinel');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', await appNode(h, 'acme-web'));
    assert.ok(!h.prompter.asked.some((a) => a.id === 'create.app'), 'no app question from an app row');
    const v = h.prompter.asked.find((a) => a.id === 'create.customExpiry')!.validation!;
    assert.match(v['0']!, /more than zero/);
    assert.match(v['-1h']!, /negative/);
    assert.match(v['garbage']!, /not a duration/);
    assert.match(v['100000000h']!, /too long/);
    assert.strictEqual(v['45d'], undefined);
    const minted = h.emu.world.tokens().find((t) => t.name === 'from the row')!;
    assert.strictEqual(minted.app, 'acme-web');
    assert.strictEqual(minted.expiresAt.getTime() - minted.createdAt.getTime(), 45 * 86_400_000);
    assert.strictEqual(h.prompter.notifications.filter((n) => /copied to the clipboard/.test(n.message)).length, 2, 'shown again after Copy Again');
    assert.strictEqual(await vscode.env.clipboard.readText(), minted.header);
  });

  it('a second click while a create is running makes no second token', async () => {
    h.emu.faults.latency(400);
    h.prompter.answer('create.name', 'only once').answer('create.expiry', '7 days');
    const first = vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    await eventually(() => creates(h).length === 1, { what: 'the first create to reach the emulator' });
    const second = vscode.commands.executeCommand('flyTokens.createDeployToken', 'demo-app');
    await Promise.all([first, second]);
    h.emu.faults.latency(0);
    assert.strictEqual(creates(h).length, 1);
    assert.strictEqual(h.emu.world.tokens().filter((t) => t.name === 'only once').length, 1);
    await h.prompter.waitForNotification(/already being created/);
  });

  it('types the app name when the app is not in the workspace: checked by the API (2 requests)', async () => {
    h.emu.world.addApp({ name: 'elsewhere', org: 'acme' });
    h.prompter.answer('create.name', 'cold').answer('create.expiry', '1 year');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'elsewhere');
    assert.strictEqual(h.emu.graphqlRequests().length, 2);
    assert.strictEqual(h.emu.world.tokens().find((t) => t.name === 'cold')?.app, 'elsewhere');

    h.prompter.answer('create.name', 'nowhere').answer('create.expiry', '1 year');
    await vscode.commands.executeCommand('flyTokens.createDeployToken', 'no-such-app');
    const err = await h.prompter.waitForNotification(/no-such-app/);
    assert.strictEqual(err.kind, 'error');
    assert.strictEqual(creates(h).length, 1, 'no create for an unknown app');
  });

  it('revokes several selected tokens in one request, after a modal naming them, the app and the organization', async () => {
    const rows = await tokenNodes(h, 'acme-web');
    assert.deepStrictEqual(rows.map((r) => r.label).sort(), ['github actions', 'staging deploy']);
    h.prompter.answer('revoke.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeToken', rows[0], rows);
    const confirm = h.prompter.asked.find((a) => a.id === 'revoke.confirm')!;
    assert.strictEqual(confirm.message, 'Revoke 2 deploy tokens?');
    assert.match(confirm.detail!, /• github actions — app acme-web, organization acme/);
    assert.match(confirm.detail!, /• staging deploy — app acme-web, organization acme/);
    assert.strictEqual(h.emu.graphqlRequests().length, 1, 'one request, no refresh');
    assert.strictEqual(revokes(h).length, 1);
    await h.prompter.waitForNotification(/^Revoked 2 tokens\.$/);
    const inEmulator = h.emu.world.tokens().filter((t) => t.app === 'acme-web');
    assert.ok(inEmulator.every((t) => t.revokedAt), 'both revoked on the server');
    const shown = await tokenNodes(h, 'acme-web');
    assert.deepStrictEqual(shown.map((r) => r.label), ['No active tokens (2 revoked hidden)']);
  });

  it('declining the confirmation revokes nothing', async () => {
    const rows = await tokenNodes(h, 'demo-app');
    h.prompter.answer('revoke.confirm', false);
    await vscode.commands.executeCommand('flyTokens.revokeToken', rows[0]);
    assert.strictEqual(revokes(h).length, 0);
  });

  it('revokes from the palette with a multi-pick of the active tokens', async () => {
    h.prompter
      .answer('revoke.pick', (labels: string[]) => {
        assert.ok(labels.includes('staging deploy'));
        return ['staging deploy'];
      })
      .answer('revoke.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeToken');
    await h.prompter.waitForNotification(/^Revoked "staging deploy"\.$/);
    assert.ok(h.emu.world.tokens().find((t) => t.name === 'staging deploy')!.revokedAt);
  });
});

describe('view options: organization scope and revoked tokens', () => {
  let h: Harness;
  before(async () => {
    h = await setUp();
    await signIn(h);
  });
  after(async () => {
    await vscode.commands.executeCommand('flyTokens.showAppTokens');
    await vscode.workspace.getConfiguration('flyTokens').update('showRevoked', undefined, vscode.ConfigurationTarget.Global);
  });
  afterEach(() => h.prompter.assertDone());

  it('shows revoked tokens when asked, last', async () => {
    await vscode.commands.executeCommand('flyTokens.showRevoked');
    const demo = find(await snapshot(h.api), 'demo-app').children!;
    assert.deepStrictEqual(demo.map((r) => [r.label, r.contextValue, r.description]), [
      ['github actions', 'token;active', demo[0].description],
      ['old laptop', 'token;expired', demo[1].description],
      ['leaked in a log', 'token;revoked', 'revoked'],
    ]);
    await vscode.commands.executeCommand('flyTokens.hideRevoked');
    const hidden = find(await snapshot(h.api), 'demo-app').children!;
    assert.ok(!hidden.some((r) => r.label === 'leaked in a log'));
  });

  it('lists the organizations of the workspace apps with their tokens, and another one on request', async () => {
    h.emu.clearRequests();
    await vscode.commands.executeCommand('flyTokens.showOrgTokens');
    const rows = await snapshot(h.api);
    assert.deepStrictEqual(rows.map((r) => [r.label, r.description]), [
      ['Acme Corp', 'acme'],
      ['Demo User', 'personal'],
      ['Choose another organization…', undefined],
    ]);
    const acme = find(rows, 'Acme Corp').children!.map((r) => r.label);
    assert.ok(acme.includes('Org deploy token'), 'org-wide tokens are listed');
    assert.ok(acme.includes('staging deploy'), 'app tokens of the org are listed');

    h.emu.world.addOrg({ slug: 'side-project', name: 'Side Project', members: ['demo@example.com'] });
    h.emu.world.addToken({ org: 'side-project', name: 'side org token' });
    h.prompter.answer('org.pick', 'Side Project');
    await vscode.commands.executeCommand('flyTokens.chooseOrganization');
    const after = await snapshot(h.api);
    assert.deepStrictEqual(find(after, 'Side Project').children!.map((r) => r.label), ['side org token']);
  });
});
