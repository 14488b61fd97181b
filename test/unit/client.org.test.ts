// Organization deploy tokens, LogOut with a pasted token, what a token is, and the hygiene review's reading —
// FlyClient over real HTTP against the emulator.
import * as assert from 'node:assert/strict';
import { TOKEN_PAGE_SIZE } from '../../src/fly/documents';
import { FlyClient } from '../../src/fly/client';
import { UnauthorizedError } from '../../src/fly/errors';
import { startEmulator, type Emulator } from '../emulator';
import { DEPARTED_EMAIL } from '../emulator/seed';

describe('FlyClient: org tokens, LogOut, probe, review (emulator)', () => {
  let emu: Emulator;
  const clientWith = (token: string) => new FlyClient({ getToken: () => token, baseUrl: emu.url, retry: { baseDelayMs: 5 } });
  const gql = () => emu.graphqlRequests();
  const header = (name: string) => emu.world.tokens().find((t) => t.name === name)!.header;

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it("creates an organization deploy token in one request with flyctl's variables", async () => {
    const acme = emu.world.org('acme')!;
    const created = await clientWith(emu.demoToken).createOrgDeployToken({
      organization: { id: acme.id, slug: 'acme', name: 'Acme Corp' },
      name: ' Org deploy token ',
      expiry: '8760h0m0s',
    });
    assert.equal(gql().length, 1);
    const vars = gql()[0].variables as Record<string, unknown>;
    assert.deepEqual(vars, { name: 'Org deploy token', organizationId: acme.id, profile: 'deploy_organization', profileParams: {}, expiry: '8760h0m0s' });
    const minted = emu.world.tokens().find((t) => t.id === created.id)!;
    assert.equal(minted.profile, 'deploy_organization');
    assert.equal(minted.app, null);
    assert.equal(created.tokenHeader, minted.header);
  });

  it('refuses an empty name or a bad lifetime before any request', async () => {
    const org = { id: 'x', slug: 'acme', name: 'Acme' };
    await assert.rejects(clientWith(emu.demoToken).createOrgDeployToken({ organization: org, name: ' ', expiry: '1h' }), RangeError);
    await assert.rejects(clientWith(emu.demoToken).createOrgDeployToken({ organization: org, name: 'n', expiry: '0s' }), RangeError);
    assert.equal(gql().length, 0);
  });

  it('LogOut with a deploy token revokes it (one request, its own credential, never retried)', async () => {
    const leaked = header('staging deploy');
    assert.deepEqual(await clientWith(leaked).logOut(), { ok: true });
    assert.equal(gql().length, 1);
    assert.equal(gql()[0].operationName, 'LogOut');
    assert.equal(gql()[0].authorization, 'FlyV1 <redacted>');
    assert.ok(emu.world.tokens().find((t) => t.name === 'staging deploy')!.revokedAt);
  });

  it('LogOut of an already revoked token is UnauthorizedError; ok: false comes back as such', async () => {
    await assert.rejects(clientWith(header('leaked in a log')).logOut(), UnauthorizedError);
    emu.modes.unauthorized = 'http401';
    await assert.rejects(clientWith(header('leaked in a log')).logOut(), UnauthorizedError);
    emu.world.refuseLogOut = true;
    assert.deepEqual(await clientWith(header('github actions')).logOut(), { ok: false });
  });

  it('LogOut is sent once even when the answer is lost', async () => {
    emu.faults.next(3, { status: 503 });
    const err = await clientWith(header('staging deploy')).logOut().catch((e: unknown) => e);
    assert.ok(err instanceof Error && 'mayHaveSucceeded' in err);
    assert.equal(gql().length, 1);
  });

  it('probes a deploy token (its creator and its one app), an org token (every app) and an auth token', async () => {
    const deploy = await clientWith(header('staging deploy')).probeToken('macaroon');
    assert.deepEqual(deploy, { principal: 'macaroon', email: 'alex@example.com', apps: { totalCount: 1, apps: [{ name: 'acme-web', organization: deploy.apps!.apps[0].organization }] } });
    assert.equal(deploy.apps.apps[0].organization.slug, 'acme');
    const org = await clientWith(header('Org deploy token')).probeToken('macaroon');
    assert.equal(org.apps!.totalCount, emu.world.org('acme')!.apps.length);
    const user = await clientWith(emu.demoToken).probeToken('user');
    assert.deepEqual(user, { principal: 'user', email: 'demo@example.com', apps: null });
    await assert.rejects(clientWith(header('old laptop')).probeToken('macaroon'), UnauthorizedError);
    assert.ok(emu.world.tokens().every((t) => t.name !== 'staging deploy' || t.revokedAt === null), 'probing changes nothing');
  });

  it('probes with viewer alone first: a live token refused `apps` is alive, apps unknown; only a refused viewer is dead', async () => {
    emu.modes.macaroonApps = 'refused';
    const probe = await clientWith(header('staging deploy')).probeToken('macaroon');
    assert.deepEqual(probe, { principal: 'macaroon', email: 'alex@example.com', apps: null });
    assert.deepEqual(gql().map((r) => r.operationName), ['TokenProbe', 'TokenApps']);
    assert.equal(await clientWith(header('staging deploy')).tokenAccepted(), 'accepted');
    assert.equal(await clientWith(header('old laptop')).tokenAccepted(), 'refused');
    emu.modes.unauthorized = 'http401';
    assert.equal(await clientWith(header('leaked in a log')).tokenAccepted(), 'refused');
  });

  it('reviews organizations in one request: every token, the members now, an unknown slug apart', async () => {
    const [acme, personal, ghost] = await clientWith(emu.demoToken).reviewOrganizations(['acme', 'personal', 'ghost-org']);
    assert.equal(gql().length, 1);
    assert.equal(gql()[0].operationName, 'OrgReview');
    assert.ok(acme?.ok && personal?.ok);
    assert.deepEqual(acme.members, ['demo@example.com', 'alex@example.com']);
    assert.ok(acme.tokens.some((t) => t.createdBy === DEPARTED_EMAIL && t.name === 'nightly backups'));
    assert.ok(acme.tokens.some((t) => t.profile === 'deploy_organization'));
    assert.deepEqual(personal.members, ['demo@example.com']);
    assert.equal(ghost?.ok, false);
  });

  it('pages tokens and members independently, one request per round', async () => {
    for (let i = 0; i < 230; i++) emu.world.addToken({ app: 'acme-web', name: `bulk ${i}` });
    for (let i = 0; i < 120; i++) {
      emu.world.addUser({ email: `m${i}@example.com` });
      emu.world.addMember('acme', `m${i}@example.com`);
    }
    const [acme, personal] = await clientWith(emu.demoToken).reviewOrganizations(['acme', 'personal']);
    assert.ok(acme?.ok && personal?.ok);
    assert.equal(acme.tokens.length, emu.world.org('acme')!.tokens.length);
    assert.equal(acme.members!.length, 122);
    const tokenPages = Math.ceil(acme.tokens.length / TOKEN_PAGE_SIZE);
    assert.equal(tokenPages, 5);
    assert.equal(gql().length, tokenPages, 'round 1: both; round 2: acme tokens + members; rounds 3-5: acme tokens');
  });

  it('an organization token may not read members: tokens are kept, members are null with the reason', async () => {
    const [acme] = await clientWith(header('Org deploy token')).reviewOrganizations(['acme']);
    assert.ok(acme?.ok);
    assert.ok(acme.tokens.length > 0);
    assert.equal(acme.members, null);
    assert.match(acme.membersError?.message ?? '', /not allowed/);
    const [personal] = await clientWith(header('github actions')).reviewOrganizations(['personal']);
    assert.equal(personal?.ok, false);
  });
});
