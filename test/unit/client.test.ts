// FlyClient operations over real HTTP against the Fly API emulator on 127.0.0.1.
import * as assert from 'node:assert/strict';
import { APPS_PER_REQUEST, FlyClient } from '../../src/fly/client';
import { TOKEN_PAGE_SIZE } from '../../src/fly/documents';
import { parseExpiry } from '../../src/fly/duration';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../src/fly/errors';
import type { RequestEvent } from '../../src/fly/types';
import { startEmulator, type Emulator } from '../emulator';

describe('FlyClient operations (emulator)', function () {
  let emu: Emulator;
  let events: RequestEvent[];
  let client: FlyClient;

  const clientWith = (token: string | undefined): FlyClient =>
    new FlyClient({ getToken: () => token, baseUrl: emu.url, retry: { baseDelayMs: 5 }, onRequest: (e) => events.push(e) });
  const gql = () => emu.graphqlRequests();

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => {
    emu.reset();
    events = [];
    client = clientWith(emu.demoToken);
  });

  describe('viewer', () => {
    it('names the signed-in user in one request', async () => {
      const viewer = await client.viewer();
      assert.equal(viewer.kind, 'user');
      assert.equal(viewer.email, 'demo@example.com');
      assert.ok(viewer.id && viewer.id.length > 0);
      assert.equal(gql().length, 1);
      assert.equal(gql()[0]?.operationName, 'Viewer');
      assert.equal(gql()[0]?.authorization, 'Bearer <redacted>');
    });

    it('reports a deploy token as a macaroon acting for its creator, sent as FlyV1', async () => {
      const { header } = emu.world.addToken({ app: 'demo-app', name: 'ci' });
      const viewer = await clientWith(header).viewer();
      assert.deepEqual(viewer, { kind: 'macaroon', email: 'demo@example.com', id: null });
      assert.equal(gql()[0]?.authorization, 'FlyV1 <redacted>');
    });

    it('accepts a deploy token pasted without its scheme', async () => {
      const { header } = emu.world.addToken({ app: 'demo-app', name: 'ci' });
      const bare = header.replace(/^FlyV1\s+/, '');
      assert.equal((await clientWith(bare).viewer()).kind, 'macaroon');
    });

    it('an unknown token → UnauthorizedError; no token → UnauthorizedError without any request', async () => {
      await assert.rejects(clientWith('fo1_not-a-real-token').viewer(), UnauthorizedError);
      assert.equal(gql().length, 1);
      await assert.rejects(clientWith(undefined).viewer(), (e: unknown) => e instanceof UnauthorizedError && /not signed in/.test(e.message));
      await assert.rejects(clientWith('  ').viewer(), UnauthorizedError);
      assert.equal(gql().length, 1, 'no request without a token');
    });

    it('an expired or revoked deploy token → UnauthorizedError', async () => {
      const expired = emu.world.addToken({ app: 'demo-app', name: 'x', expiresAt: new Date(Date.now() - 1000) });
      const revoked = emu.world.addToken({ app: 'demo-app', name: 'y', revokedAt: new Date() });
      await assert.rejects(clientWith(expired.header).viewer(), UnauthorizedError);
      await assert.rejects(clientWith(revoked.header).viewer(), UnauthorizedError);
    });
  });

  describe('getApp', () => {
    it('returns the app with its organization; the name travels only as a variable', async () => {
      const app = await client.getApp('acme-web');
      assert.equal(app.name, 'acme-web');
      assert.deepEqual(
        { slug: app.organization.slug, name: app.organization.name },
        { slug: 'acme', name: 'Acme Corp' },
      );
      assert.ok(app.id && app.organization.id);
      const [req] = gql();
      assert.equal(gql().length, 1);
      assert.deepEqual(req?.variables, { name: 'acme-web' });
      assert.ok(!req?.query?.includes('acme-web'));
    });

    it('unknown app → NotFoundError carrying the name', async () => {
      await assert.rejects(client.getApp('no-such-app'), (e: unknown) => {
        assert.ok(e instanceof NotFoundError);
        assert.equal(e.appName, 'no-such-app');
        assert.equal(e.kind, 'notFound');
        assert.match(e.message, /no app named "no-such-app"/);
        return true;
      });
    });

    it('an app outside a deploy token’s scope is refused access to, not a sign-out', async () => {
      const { header } = emu.world.addToken({ app: 'demo-app', name: 'ci' });
      await assert.rejects(clientWith(header).getApp('acme-web'), (e: unknown) => e instanceof ForbiddenError && /refused access to the app "acme-web"/.test(e.message));
      emu.modes.refusals = 'notFound';
      await assert.rejects(clientWith(header).getApp('acme-web'), NotFoundError);
    });
  });

  describe('listAppTokens', () => {
    it('asks for at most APPS_PER_REQUEST apps per request: 120 apps of a monorepo in 12 requests, every one answered', async () => {
      const names = Array.from({ length: 120 }, (_, i) => `svc-${i}`);
      for (const name of names.slice(0, 110)) emu.world.addApp({ name, org: 'acme' });
      emu.world.addToken({ app: 'svc-109', name: 'last real app' });
      const results = await client.listAppTokens(names);
      assert.equal(APPS_PER_REQUEST, 10);
      assert.equal(gql().length, 12);
      assert.deepEqual(results.map((r) => r.name), names);
      assert.equal(results.filter((r) => r.ok).length, 110);
      assert.ok(results.slice(110).every((r) => !r.ok && r.error instanceof NotFoundError));
      const last = results[109];
      assert.ok(last.ok && last.tokens.some((t) => t.name === 'last real app'));
    });

    it('five apps → one request, results in the order asked', async () => {
      emu.world.addApp({ name: 'acme-jobs', org: 'acme' });
      emu.world.addApp({ name: 'side-project', org: 'personal' });
      emu.world.addToken({ app: 'side-project', name: 'only one' });
      const names = ['acme-web', 'side-project', 'demo-app', 'acme-jobs', 'acme-api'];
      const results = await client.listAppTokens(names);
      assert.equal(gql().length, 1);
      assert.equal(gql()[0]?.operationName, 'AppTokens');
      assert.deepEqual(results.map((r) => r.name), names);
      const counts = results.map((r) => (r.ok ? r.tokens.length : -1));
      assert.deepEqual(counts, [2, 1, 3, 0, 2]);
      for (const name of names) assert.ok(!gql()[0]?.query?.includes(name), `${name} is not interpolated`);
      assert.deepEqual(
        Object.keys(gql()[0]?.variables ?? {}).sort(),
        ['c0', 'c1', 'c2', 'c3', 'c4', 'n0', 'n1', 'n2', 'n3', 'n4'],
      );
    });

    it('maps every token field, revoked ones included', async () => {
      const [demo] = await client.listAppTokens(['demo-app']);
      assert.ok(demo?.ok);
      assert.equal(demo.app.organization.slug, 'personal');
      const byName = new Map(demo.tokens.map((t) => [t.name, t]));
      const leaked = byName.get('leaked in a log');
      assert.ok(leaked);
      assert.ok(leaked.revokedAt && !Number.isNaN(Date.parse(leaked.revokedAt)));
      assert.equal(leaked.revokedBy, 'demo@example.com');
      const active = byName.get('github actions');
      assert.ok(active);
      assert.equal(active.revokedAt, null);
      assert.equal(active.profile, 'deploy');
      assert.deepEqual(active.profileParams, { app_id: demo.app.id });
      assert.equal(active.createdBy, 'demo@example.com');
      assert.ok(Date.parse(active.expiresAt) > Date.now());
      assert.ok(Date.parse(byName.get('old laptop')?.expiresAt ?? '') < Date.now());
    });

    it('one unknown app among three → that entry fails, the others succeed, still one request', async () => {
      const results = await client.listAppTokens(['demo-app', 'ghost-app', 'acme-api']);
      assert.equal(gql().length, 1);
      assert.deepEqual(results.map((r) => [r.name, r.ok]), [['demo-app', true], ['ghost-app', false], ['acme-api', true]]);
      const ghost = results[1];
      assert.ok(ghost && !ghost.ok);
      assert.ok(ghost.error instanceof NotFoundError);
      assert.equal(ghost.error.appName, 'ghost-app');
    });

    it('dedupes names; no names → no request', async () => {
      const results = await client.listAppTokens(['acme-web', 'demo-app', 'acme-web']);
      assert.deepEqual(results.map((r) => r.name), ['acme-web', 'demo-app']);
      assert.deepEqual(Object.keys(gql()[0]?.variables ?? {}).sort(), ['c0', 'c1', 'n0', 'n1']);
      assert.deepEqual(await client.listAppTokens([]), []);
      assert.equal(gql().length, 1);
    });

    it('follows pages: 120 tokens of one app → ceil(n/TOKEN_PAGE_SIZE) = 3 requests, every token once', async () => {
      emu.world.addApp({ name: 'busy', org: 'personal' });
      for (let i = 0; i < 120; i++) emu.world.addToken({ app: 'busy', name: `t${i}` });
      const [busy] = await client.listAppTokens(['busy']);
      assert.ok(busy?.ok);
      assert.equal(busy.tokens.length, 120);
      assert.equal(new Set(busy.tokens.map((t) => t.id)).size, 120);
      assert.equal(gql().length, Math.ceil(120 / TOKEN_PAGE_SIZE));
      assert.equal(gql()[0]?.variables?.c0, null);
      assert.equal(typeof gql()[1]?.variables?.c0, 'string', 'the second request carries the cursor');
    });

    it('batches follow-up pages of several apps into one request per round', async () => {
      emu.world.addApp({ name: 'big', org: 'acme' });
      for (let i = 0; i < 250; i++) emu.world.addToken({ app: 'big', name: `b${i}` });
      for (let i = 0; i < 130; i++) emu.world.addToken({ app: 'acme-web', name: `w${i}` });
      const results = await client.listAppTokens(['acme-web', 'demo-app', 'big']);
      const counts = results.map((r) => (r.ok ? r.tokens.length : -1));
      assert.deepEqual(counts, [132, 3, 250]);
      // pages of 50: round 1 all three; rounds 2-3 acme-web + big; rounds 4-5 big only
      assert.equal(TOKEN_PAGE_SIZE, 50);
      assert.equal(gql().length, 5);
      assert.deepEqual(gql().map((r) => Object.keys(r.variables ?? {}).length / 2), [3, 2, 2, 1, 1]);
      assert.deepEqual(gql()[1]?.variables?.n0, 'acme-web');
      assert.deepEqual(gql()[3]?.variables?.n0, 'big');
    });
  });

  describe('listOrgTokens', () => {
    it('returns the organization and its tokens in one request', async () => {
      const org = await client.listOrgTokens('acme');
      assert.equal(org.organization.slug, 'acme');
      assert.equal(org.organization.name, 'Acme Corp');
      assert.ok(org.tokens.some((t) => t.name === 'Org deploy token' && t.profile === 'deploy_organization'));
      assert.equal(gql().length, 1);
      assert.deepEqual(gql()[0]?.variables, { slug: 'acme', cursor: null });
    });

    it('follows pages (ceil(n/TOKEN_PAGE_SIZE) requests)', async () => {
      for (let i = 0; i < 205; i++) emu.world.addToken({ org: 'acme', name: `o${i}` });
      const org = await client.listOrgTokens('acme');
      assert.ok(org.tokens.length >= 206);
      assert.equal(new Set(org.tokens.map((t) => t.id)).size, org.tokens.length);
      assert.equal(gql().length, Math.ceil(org.tokens.length / TOKEN_PAGE_SIZE));
    });

    it('unknown organization → NotFoundError', async () => {
      await assert.rejects(client.listOrgTokens('nope'), (e: unknown) => e instanceof NotFoundError && /organization/.test(e.message));
    });
  });

  describe('listOrganizations', () => {
    it('lists the viewer’s organizations in one request', async () => {
      const orgs = await client.listOrganizations();
      assert.deepEqual(orgs.map((o) => o.slug).sort(), ['acme', 'personal']);
      assert.ok(orgs.every((o) => o.id && o.name));
      assert.equal(gql().length, 1);
    });
  });

  describe('createDeployToken', () => {
    it('mints a deploy token with flyctl’s variables in one mutation, and it appears in the list', async () => {
      const app = await client.getApp('demo-app');
      emu.clearRequests();
      const expiry = parseExpiry('90d');
      assert.ok(expiry.ok);
      const created = await client.createDeployToken({ app, name: 'github actions (prod)', expiry: expiry.go });
      assert.match(created.tokenHeader, /^FlyV1 fm2_/);
      assert.equal(created.name, 'github actions (prod)');
      const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
      assert.ok(days > 89 && days <= 90, `expires in ${days} days`);

      assert.equal(gql().length, 1);
      const [req] = gql();
      assert.equal(req?.operationName, 'CreateLimitedAccessToken');
      assert.match(req?.query ?? '', /^mutation CreateLimitedAccessToken\(/);
      assert.deepEqual(req?.variables, {
        name: 'github actions (prod)',
        organizationId: app.organization.id,
        profile: 'deploy',
        profileParams: { app_id: app.id },
        expiry: '2160h0m0s',
      });

      const [listed] = await client.listAppTokens(['demo-app']);
      assert.ok(listed?.ok);
      assert.ok(listed.tokens.some((t) => t.id === created.id && t.revokedAt === null));
      // the new token works as a credential for its app
      assert.equal((await clientWith(created.tokenHeader).getApp('demo-app')).id, app.id);
    });

    it('refuses a bad name or expiry before sending anything', async () => {
      const app = await client.getApp('demo-app');
      emu.clearRequests();
      await assert.rejects(client.createDeployToken({ app, name: '  ', expiry: '720h0m0s' }), RangeError);
      await assert.rejects(client.createDeployToken({ app, name: 'x', expiry: '90d' }), RangeError);
      await assert.rejects(client.createDeployToken({ app, name: 'x', expiry: '0s' }), RangeError);
      assert.equal(gql().length, 0);
    });
  });

  describe('revokeTokens', () => {
    it('revokes several in one mutation; an unknown id fails alone', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      const b = emu.world.addToken({ app: 'acme-web', name: 'b' });
      const outcomes = await client.revokeTokens([a.id, 'tok_does_not_exist', b.id]);
      assert.equal(gql().length, 1);
      assert.equal(gql()[0]?.operationName, 'RevokeTokens');
      assert.deepEqual(gql()[0]?.variables, { i0: { id: a.id }, i1: { id: 'tok_does_not_exist' }, i2: { id: b.id } });
      assert.deepEqual(outcomes.map((o) => [o.id, o.ok]), [[a.id, true], ['tok_does_not_exist', false], [b.id, true]]);
      const failed = outcomes[1];
      assert.ok(failed && !failed.ok);
      assert.ok(failed.error instanceof NotFoundError);
      assert.match(failed.error.message, /could not find that token/);
      const revoked = new Map(emu.world.tokens().map((t) => [t.id, t.revokedAt]));
      assert.ok(revoked.get(a.id) && revoked.get(b.id));
    });

    it('a whole-request failure fails every id with that error', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      const outcomes = await clientWith('fo1_wrong').revokeTokens([a.id, 'other']);
      assert.equal(outcomes.length, 2);
      for (const o of outcomes) {
        assert.ok(!o.ok);
        assert.ok(o.error instanceof UnauthorizedError);
      }
      assert.equal(gql().length, 1);
    });

    it('dedupes ids; none → no request', async () => {
      const a = emu.world.addToken({ app: 'demo-app', name: 'a' });
      const outcomes = await client.revokeTokens([a.id, a.id]);
      assert.deepEqual(outcomes, [{ id: a.id, ok: true }]);
      assert.deepEqual(await client.revokeTokens([]), []);
      assert.equal(gql().length, 1);
    });
  });

  it('onRequest: one event per HTTP request, with operation, status, duration and attempt', async () => {
    await client.viewer();
    await client.listAppTokens(['demo-app', 'ghost']);
    assert.equal(events.length, 2);
    const [viewer, tokens] = events;
    assert.deepEqual({ ...viewer, durationMs: 0 }, {
      operation: 'Viewer',
      method: 'POST',
      path: '/graphql',
      status: 200,
      durationMs: 0,
      attempt: 1,
      outcome: 'ok',
    });
    assert.ok((viewer?.durationMs ?? -1) >= 0);
    assert.equal(tokens?.operation, 'AppTokens');
    assert.equal(tokens?.outcome, 'error');
    assert.equal(tokens?.errorKind, 'notFound');
  });
});
