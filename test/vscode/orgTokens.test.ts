// Issue 13 in a real VS Code against the emulator: organization deploy tokens, revoking a leaked token by pasting
// it (every outcome), and the Token Hygiene report.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { startFakeGitHub, type FakeGitHub } from '../github/fakeGitHub';
import { setUp, signIn, type Harness } from './support/harness';
import { recordSecret } from './support/secrets';
import type { InputOptions } from '../../src/ui/prompter';

const ops = (h: Harness) => h.emu.graphqlRequests().map((r) => r.operationName);
const tokenNamed = (h: Harness, name: string) => {
  const t = h.emu.world.tokens().find((x) => x.name === name);
  assert.ok(t, name);
  return t;
};

/** Nothing the user sees or the prompter was given holds a piece of the pasted value. */
function assertNotShown(h: Harness, secret: string): void {
  const seen = JSON.stringify([h.prompter.asked, h.prompter.notifications]);
  for (const part of secret.replace(/^FlyV1 |^Bearer /, '').split(',')) assert.ok(!seen.includes(part.slice(4, 30)), 'the pasted token is never shown');
}

describe('organization deploy tokens', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    h.emu.clearRequests();
  });
  afterEach(() => h.prompter.assertDone());

  it('creates one from the palette: workspace organizations first, flyctl’s name, a plain confirmation, one request', async () => {
    await vscode.env.clipboard.writeText('sentinel');
    h.prompter
      .answer('createOrg.org', (labels: string[]) => {
        assert.deepStrictEqual(labels.slice(0, 2).sort(), ['acme', 'personal']);
        assert.strictEqual(labels[labels.length - 1], 'Other organization…');
        return 'acme';
      })
      .answer('createOrg.name', (o: InputOptions) => {
        assert.strictEqual(o.value, 'Org deploy token');
        return 'acme ci (all apps)';
      })
      .answer('createOrg.expiry', '1 year')
      .answer('createOrg.destination', 'Copy to the clipboard')
      .answer('createOrg.confirm', true);
    await vscode.commands.executeCommand('flyTokens.createOrgDeployToken');
    const confirm = h.prompter.asked.find((a) => a.id === 'createOrg.confirm')!;
    assert.match(confirm.message!, /every app in acme/);
    assert.match(confirm.detail!, /acme-web, acme-api|acme-api, acme-web/);
    assert.match(confirm.detail!, /app deploy token .* is safer/);
    const minted = tokenNamed(h, 'acme ci (all apps)');
    assert.deepStrictEqual([minted.profile, minted.app, minted.org], ['deploy_organization', null, 'acme']);
    assert.strictEqual(await vscode.env.clipboard.readText(), minted.header);
    assert.deepStrictEqual(ops(h), ['CreateLimitedAccessToken'], 'one request (flyctl: two)');
    const note = await h.prompter.waitForNotification(/Organization deploy token "acme ci \(all apps\)" for acme copied/);
    assert.ok(!note.message.includes(minted.header.slice(6, 30)));
  });

  it('from an organization row asks no organization; declining the confirmation makes nothing', async () => {
    const acme = h.emu.world.org('acme')!;
    h.prompter.answer('createOrg.name', 'x').answer('createOrg.expiry', '30 days').answer('createOrg.destination', 'Copy to the clipboard').answer('createOrg.confirm', false);
    await vscode.commands.executeCommand('flyTokens.createOrgDeployToken', { id: acme.id, slug: 'acme', name: 'Acme Corp' });
    assert.ok(!h.prompter.asked.some((a) => a.id === 'createOrg.org'));
    assert.deepStrictEqual(ops(h), []);
    assert.strictEqual(h.emu.world.mintedHeaders().length, 0);
  });

  it('"Other organization…" lists them from Fly', async () => {
    h.emu.world.addOrg({ slug: 'side', name: 'Side Project', members: ['demo@example.com'] });
    h.prompter
      .answer('createOrg.org', 'Other organization…')
      .answer('createOrg.allOrgs', (labels: string[]) => {
        assert.ok(labels.includes('side'));
        return 'side';
      })
      .answer('createOrg.name', 'side ci')
      .answer('createOrg.expiry', '7 days')
      .answer('createOrg.destination', 'Copy to the clipboard')
      .answer('createOrg.confirm', true);
    await vscode.commands.executeCommand('flyTokens.createOrgDeployToken');
    assert.strictEqual(tokenNamed(h, 'side ci').org, 'side');
    assert.deepStrictEqual(ops(h), ['Organizations', 'CreateLimitedAccessToken']);
  });
});

describe('organization deploy tokens: a lost answer, and straight into a GitHub Actions secret', () => {
  let h: Harness;
  let fake: FakeGitHub;
  const folder = (name: string) => vscode.workspace.workspaceFolders!.find((w) => w.name === name)!.uri.fsPath;
  const clean = async () => {
    for (const name of ['web', 'api']) await fs.rm(path.join(folder(name), '.git'), { recursive: true, force: true });
  };

  before(async () => {
    fake = await startFakeGitHub();
    await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', fake.url, vscode.ConfigurationTarget.Global);
    await clean();
    for (const [name, remote] of [
      ['web', 'git@github.com:acme/web.git'],
      ['api', 'https://github.com/acme/api.git'],
    ] as const) {
      await fs.mkdir(path.join(folder(name), '.git'), { recursive: true });
      await fs.writeFile(path.join(folder(name), '.git', 'config'), `[remote "origin"]\n\turl = ${remote}\n`);
    }
  });
  after(async () => {
    await clean();
    await vscode.workspace.getConfiguration('flyTokens').update('githubApiBaseUrl', undefined, vscode.ConfigurationTarget.Global);
    await h.api.context.secrets.delete('flyTokens.githubToken');
    await fake.close();
  });
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    fake.reset();
    fake.addRepo('acme/web');
    fake.addRepo('acme/api');
    await h.api.context.secrets.delete('flyTokens.githubToken');
    h.emu.clearRequests();
  });
  afterEach(() => h.prompter.assertDone());

  it('sealed into the secret, never on the clipboard', async () => {
    await vscode.env.clipboard.writeText('sentinel');
    h.prompter
      .answer('createOrg.org', 'acme')
      .answer('createOrg.name', 'acme org ci')
      .answer('createOrg.expiry', '90 days')
      .answer('createOrg.destination', 'Set as a GitHub Actions secret…')
      .answer('github.repo', 'acme/api')
      .answer('github.token', fake.token)
      .answer('github.secretName', 'FLY_API_TOKEN')
      .answer('createOrg.confirm', true);
    await vscode.commands.executeCommand('flyTokens.createOrgDeployToken');
    const minted = tokenNamed(h, 'acme org ci');
    assert.strictEqual(minted.profile, 'deploy_organization');
    assert.strictEqual(fake.secret('acme/api', 'FLY_API_TOKEN'), minted.header, 'GitHub holds exactly the minted token');
    assert.strictEqual(await vscode.env.clipboard.readText(), 'sentinel');
    await h.prompter.waitForNotification(/"acme org ci" is now the GitHub Actions secret acme\/api\/FLY_API_TOKEN/);
  });

  it('a create whose answer is lost is not retried and says the token may exist', async () => {
    h.emu.faults.next(1, { kind: 'reset' }, { operation: 'mutation' });
    h.prompter
      .answer('createOrg.org', 'acme')
      .answer('createOrg.name', 'lost')
      .answer('createOrg.expiry', '30 days')
      .answer('createOrg.destination', 'Copy to the clipboard')
      .answer('createOrg.confirm', true);
    await vscode.commands.executeCommand('flyTokens.createOrgDeployToken');
    await h.prompter.waitForNotification(/did not confirm the new token .* not retried/);
    assert.strictEqual(ops(h).filter((o) => o === 'CreateLimitedAccessToken').length, 1);
  });
});

describe('revoke a leaked token', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
    h.emu.clearRequests();
  });
  afterEach(() => h.prompter.assertDone());

  const paste = (value: string) => {
    recordSecret(value);
    h.prompter.answer('leaked.token', (o: InputOptions) => {
      assert.strictEqual(o.password, true, 'the input is masked');
      return value;
    });
  };

  it('a deploy token: says what it is (app, creator, list entry), then LogOut with the token itself; the view refreshes', async () => {
    const leaked = tokenNamed(h, 'staging deploy').header;
    paste(leaked);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const confirm = h.prompter.asked.find((a) => a.id === 'leaked.confirm')!;
    assert.match(confirm.detail!, /deploy one app: acme-web \(organization acme\)/);
    assert.match(confirm.detail!, /Created by alex@example\.com/);
    assert.match(confirm.detail!, /most likely "staging deploy"/);
    assert.ok(tokenNamed(h, 'staging deploy').revokedAt, 'revoked on Fly');
    await h.prompter.waitForNotification(/The token was revoked: Fly\.io now refuses it/);
    assert.match(confirm.detail!, new RegExp(`sent to ${new URL(h.emu.url).host.replace(/\./g, '\\.')} to revoke it`), 'names the API host');
    assert.deepStrictEqual(ops(h).slice(0, 4), ['TokenProbe', 'TokenApps', 'LogOut', 'TokenProbe'], 'viewer alone, then the apps; after LogOut, one check');
    const logOut = h.emu.graphqlRequests().find((r) => r.operationName === 'LogOut')!;
    assert.strictEqual(logOut.authorization, 'FlyV1 <redacted>', 'authenticated by the pasted token');
    assert.ok(ops(h).includes('AppTokens'), 'the view refreshed: the token was listed');
    assert.ok(h.api.model.tokens().some((r) => r.token.name === 'staging deploy' && r.state === 'revoked'));
    assert.strictEqual(h.api.auth.isInvalid, false, 'our own session is untouched');
    assertNotShown(h, leaked);
  });

  it('a bare fm2_ bundle of an organization token names all its apps', async () => {
    paste(tokenNamed(h, 'Org deploy token').header.replace(/^FlyV1 /, ''));
    h.prompter.answer('leaked.confirm', false);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    assert.match(h.prompter.asked.find((a) => a.id === 'leaked.confirm')!.detail!, /organization token: it can deploy all \d+ apps of acme/);
    assert.strictEqual(tokenNamed(h, 'Org deploy token').revokedAt, null, 'declined: nothing revoked');
    assert.deepStrictEqual(ops(h), ['TokenProbe', 'TokenApps']);
  });

  it('a malformed paste is refused as typed, with a reason, and nothing is sent', async () => {
    h.prompter.validateWith.set('leaked.token', ['', 'ghp_0123456789abcdef', 'fm2_abc def', 'FlyV1 fm2_ok']);
    h.prompter.answer('leaked.token', undefined);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const v = h.prompter.asked.find((a) => a.id === 'leaked.token')!.validation!;
    assert.match(v['']!, /starts with FlyV1, fm2_ or fo1_/);
    assert.match(v['ghp_0123456789abcdef']!, /not a Fly\.io token/);
    assert.match(v['fm2_abc def']!, /spaces or line breaks/);
    assert.strictEqual(v['FlyV1 fm2_ok'], undefined);
    assert.deepStrictEqual(ops(h), []);
  });

  it('one already revoked: Fly does not accept it, there is nothing to revoke, our session stays', async () => {
    paste(tokenNamed(h, 'leaked in a log').header);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    await h.prompter.waitForNotification(/already revoked, it expired, or it was never valid/);
    assert.deepStrictEqual(ops(h), ['TokenProbe'], 'a refused viewer ends it: the apps are not asked');
    assert.strictEqual(h.api.auth.isInvalid, false);
  });

  it('Fly answering ok: false is reported and the token stays', async () => {
    h.emu.world.refuseLogOut = true;
    paste(tokenNamed(h, 'github actions').header);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    await h.prompter.waitForNotification(/did not accept the revocation.*dashboard/);
    assert.strictEqual(tokenNamed(h, 'github actions').revokedAt, null);
  });

  it('a lost answer is not retried and says the outcome is unknown', async () => {
    paste(tokenNamed(h, 'staging deploy').header);
    h.prompter.answer('leaked.confirm', true);
    h.emu.faults.next(1, { kind: 'reset' }, { operation: 'mutation' });
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    await h.prompter.waitForNotification(/not known whether the token was revoked/);
    assert.strictEqual(ops(h).filter((o) => o === 'LogOut').length, 1);
  });

  it('works signed out: Fly is asked with the pasted token only', async () => {
    await vscode.commands.executeCommand('flyTokens.signOut');
    h.emu.clearRequests();
    paste(tokenNamed(h, 'github actions').header);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    assert.match(h.prompter.asked.find((a) => a.id === 'leaked.confirm')!.detail!, /deploy one app: demo-app/);
    await h.prompter.waitForNotification(/The token was revoked/);
    assert.ok(tokenNamed(h, 'github actions').revokedAt);
    assert.deepStrictEqual(ops(h), ['TokenProbe', 'TokenApps', 'LogOut', 'TokenProbe']);
  });

  it('Fly unreachable while checking: nothing is revoked, and the session is not blamed', async () => {
    paste(tokenNamed(h, 'staging deploy').header);
    h.emu.faults.next(3, { kind: 'reset' });
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    await h.prompter.waitForNotification(/Could not reach Fly\.io to check the token .*Nothing was revoked/);
    assert.strictEqual(tokenNamed(h, 'staging deploy').revokedAt, null);
    assert.strictEqual(h.api.auth.isInvalid, false);
  });

  it("an auth token of another user is said to be that user's login", async () => {
    paste(h.emu.world.user('alex@example.com')!.token);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    assert.match(h.prompter.asked.find((a) => a.id === 'leaked.confirm')!.detail!, /an auth token .*login of alex@example\.com/s);
    await h.prompter.waitForNotification(/The token was revoked/);
    assert.strictEqual(await h.api.auth.account().then((a) => a?.email), 'demo@example.com', 'still signed in here');
  });

  it("the user's own auth token: says it signs them out everywhere, then the extension's session ends", async () => {
    const own = h.emu.demoToken;
    paste(own);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const confirm = h.prompter.asked.find((a) => a.id === 'leaked.confirm')!;
    assert.match(confirm.message!, /sign out everywhere/);
    assert.match(confirm.detail!, /your own Fly\.io login \(demo@example\.com\)/);
    assert.deepStrictEqual(ops(h), ['LogOut', 'TokenProbe'], 'recognised without asking Fly; after LogOut, one check');
    await h.prompter.waitForNotification(/you are signed out of Fly\.io everywhere/);
    assert.strictEqual(await h.api.auth.account(), undefined, 'signed out here');
    assert.notStrictEqual(h.emu.world.user('demo@example.com')!.token, own, 'the token no longer works on Fly');
    assertNotShown(h, own);
  });
  it('a live deploy token refused `apps` (viewer answers) is revoked, not called dead', async () => {
    h.emu.modes.macaroonApps = 'refused';
    const leaked = tokenNamed(h, 'staging deploy').header;
    paste(leaked);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const confirm = h.prompter.asked.find((a) => a.id === 'leaked.confirm');
    assert.ok(confirm, 'asked to confirm: the token is alive');
    assert.match(confirm.detail!, /did not say which apps it reaches/);
    assert.match(confirm.detail!, /Created by alex@example\.com/);
    await h.prompter.waitForNotification(/The token was revoked: Fly\.io now refuses it/);
    assert.ok(tokenNamed(h, 'staging deploy').revokedAt, 'revoked on Fly');
    assert.ok(!h.prompter.notifications.some((n) => /already revoked/.test(n.message)));
    assertNotShown(h, leaked);
  });

  it('LogOut answers ok but Fly still accepts the token: it is not called revoked', async () => {
    h.emu.modes.logOutKeepsToken = true;
    paste(tokenNamed(h, 'staging deploy').header);
    h.prompter.answer('leaked.confirm', true);
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const note = await h.prompter.waitForNotification(/answered that the token was revoked, but it still accepts it/);
    assert.strictEqual(note.kind, 'warning');
    assert.ok(!h.prompter.notifications.some((n) => /The token was revoked/.test(n.message)));
    assert.deepStrictEqual(ops(h).slice(0, 4), ['TokenProbe', 'TokenApps', 'LogOut', 'TokenProbe']);
  });

  it('LogOut answers ok but the check cannot reach Fly: says what is known, and LogOut is not sent again', async () => {
    paste(tokenNamed(h, 'staging deploy').header);
    h.prompter.answer('leaked.confirm', () => {
      h.emu.faults.next(3, { kind: 'reset' }, { operation: 'query' });
      return true;
    });
    await vscode.commands.executeCommand('flyTokens.revokeLeakedToken');
    const note = await h.prompter.waitForNotification(/answered that the token was revoked/);
    assert.match(note.message, /could not be asked afterwards.*run this command again/);
    assert.ok(!h.prompter.notifications.some((n) => /Fly\.io now refuses it/.test(n.message)));
    assert.ok(tokenNamed(h, 'staging deploy').revokedAt, 'revoked on Fly all the same');
    assert.strictEqual(ops(h).filter((o) => o === 'LogOut').length, 1);
  });
});

describe('token hygiene report', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await setUp();
    await signIn(h);
  });
  afterEach(() => h.prompter.assertDone());

  it('groups findings by reason with counts, escapes names, and revokes from a row', async () => {
    h.emu.world.addToken({ app: 'acme-web', name: '<img src=x onerror=alert(1)>', expiresAt: new Date(Date.now() - 86_400_000) });
    await h.api.model.refresh();
    h.emu.clearRequests();
    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    assert.deepStrictEqual(ops(h), ['OrgReview'], 'one request for every organization');
    const html = h.api.hygiene.html()!;
    assert.ok(html.includes("default-src 'none'"), 'strict CSP');
    assert.ok(!html.includes('<img src=x'), 'a token name never becomes markup');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    for (const title of ['Expired but not revoked', 'Created by someone who left the organization', 'Lifetime over one year', 'flyctl&#39;s default name']) {
      assert.ok(html.includes(title), title);
    }
    const departed = html.slice(html.indexOf('id="departedCreator"'), html.indexOf('</section>', html.indexOf('id="departedCreator"')));
    assert.ok(departed.includes('nightly backups') && departed.includes('sam@example.com'), 'the departed member’s token');
    assert.match(html, /<span class="count">\d+<\/span><span>Expired but not revoked/);

    const expired = tokenNamed(h, 'old laptop');
    h.prompter.answer('revoke.confirm', true);
    await h.api.hygiene.receive({ action: 'revoke', id: expired.id });
    assert.ok(tokenNamed(h, 'old laptop').revokedAt, 'revoked from the report');
    assert.ok(!h.api.hygiene.html()!.includes(expired.id), 'the report was reviewed again');
    await h.api.hygiene.receive({ action: 'rotate', id: tokenNamed(h, 'nightly backups').id });
    await h.api.hygiene.receive({ action: 'run', id: 'x' });
    await h.api.hygiene.receive('nonsense');
  });

  it('Rotate from a row replaces a 20-year deploy token with a shorter one and the report follows', async () => {
    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    const old = h.emu.world.tokens().find((t) => t.app === 'acme-web' && t.name === 'github actions')!;
    assert.ok(h.api.hygiene.html()!.includes(`data-action="rotate" data-id="${old.id}"`), 'Rotate is offered for it');
    h.prompter.answer('rotate.expiry', '90 days').answer('rotate.github', 'Copy to clipboard instead').answer('rotate.revokeOld', true);
    await h.api.hygiene.receive({ action: 'rotate', id: old.id });
    assert.ok(h.emu.world.tokens().find((t) => t.id === old.id)!.revokedAt, 'the old token was revoked');
    const fresh = h.emu.world.tokens().filter((t) => t.app === 'acme-web' && !t.revokedAt && t.createdAt.getTime() > Date.now() - 60_000);
    assert.strictEqual(fresh.length, 1, 'one new token');
    assert.strictEqual(fresh[0].expiresAt.getTime() - fresh[0].createdAt.getTime(), 90 * 86_400_000);
    const html = h.api.hygiene.html()!;
    assert.ok(!html.includes(old.id) && !html.includes(fresh[0].id), 'neither the old nor the new token is a finding');
  });

  it('signed in with an organization token: members cannot be read, and the report says so', async () => {
    h.prompter
      .answer('signIn.method', 'Paste an auth token')
      .answer('signIn.token', tokenNamed(h, 'Org deploy token').header)
      .answer('signIn.limitedToken', true);
    await vscode.commands.executeCommand('flyTokens.signIn');
    await h.prompter.waitForNotification(/Signed in to Fly\.io as/);
    await h.api.model.refresh();
    await vscode.commands.executeCommand('flyTokens.reviewTokenHygiene');
    const html = h.api.hygiene.html()!;
    assert.match(html, /acme: its members could not be read/);
    assert.ok(!html.includes('id="departedCreator"'), 'nobody is called departed when membership is unknown');
  });

  it('the badge counts chosen hygiene reasons only when asked', async () => {
    await h.api.warnings.check();
    const before = h.api.view.badge?.value ?? 0;
    await vscode.workspace.getConfiguration('flyTokens').update('badgeReasons', ['expiredNotRevoked', 'defaultName'], vscode.ConfigurationTarget.Global);
    try {
      await h.api.warnings.check();
      // demo-app "old laptop" (expired) and acme-api "flyctl deploy token" (default name)
      assert.strictEqual(h.api.view.badge?.value, before + 2);
      assert.match(h.api.view.badge.tooltip, /need attention/);
    } finally {
      await vscode.workspace.getConfiguration('flyTokens').update('badgeReasons', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
