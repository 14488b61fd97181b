// Issue 10: where Fly's real API may answer differently from our emulator's default, the client survives every
// plausible answer. Each test runs the emulator in the mode that gives one of those answers (test/emulator/modes.ts).
import * as assert from 'node:assert/strict';
import { parse } from 'graphql';
import { APPS_PER_REQUEST, BatchMemory, FlyClient } from '../../src/fly/client';
import { appTokensDocument, revokeTokensDocument } from '../../src/fly/documents';
import { UnauthorizedError } from '../../src/fly/errors';
import { isTokenOfApp } from '../../src/fly/tokenKinds';
import { startEmulator, type Emulator } from '../emulator';
import { documentComplexity } from '../emulator/modes';
import { TEAMMATE_EMAIL } from '../emulator/seed';

describe('FlyClient against the answers Fly might give (issue 10)', function () {
  this.timeout(20_000);
  let emu: Emulator;
  let memory: BatchMemory;

  const clientWith = (token: string = emu.demoToken): FlyClient =>
    new FlyClient({
      getToken: () => token,
      baseUrl: emu.url,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      batchMemory: memory,
    });
  const gql = () => emu.graphqlRequests();
  const complexityOf = (text: string) => documentComplexity(parse(text), null);

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.reset();
    memory = new BatchMemory();
  });

  describe('1. partial answers keep their data', () => {
    it('a token whose creator Fly cannot load is left out; the app keeps the rest and says so', async () => {
      emu.modes.partialErrors = ['tokenUser'];
      const results = await clientWith().listAppTokens(['acme-web', 'acme-api', 'demo-app']);
      const [web, api, demo] = results;
      assert.ok(web?.ok && api?.ok && demo?.ok, JSON.stringify(results.map((r) => (r.ok ? 'ok' : r.error.message))));
      assert.deepEqual(web.tokens.map((t) => t.name), ['github actions']);
      assert.deepEqual(web.warning, { omitted: 1, reasons: ['Could not load the user who created this token'] });
      assert.deepEqual(api.tokens.map((t) => t.name), ['github actions']);
      assert.equal(api.warning?.omitted, 1);
      assert.equal(demo.warning, undefined, 'an app without errors has no warning');
      const errorPaths = gql().length;
      assert.equal(errorPaths, 1);
    });

    it('an error at the app itself still fails only that app', async () => {
      emu.modes.partialErrors = ['tokenUser'];
      const [missing, demo] = await clientWith().listAppTokens(['no-such-app', 'demo-app']);
      assert.ok(missing && !missing.ok);
      assert.equal(missing.error.kind, 'notFound');
      assert.ok(demo?.ok);
    });

    it('organization tokens: the unreadable ones are left out with a warning', async () => {
      emu.modes.partialErrors = ['tokenUser'];
      const org = await clientWith().listOrgTokens('acme');
      assert.ok(!org.tokens.some((t) => t.createdBy === TEAMMATE_EMAIL));
      assert.ok(org.tokens.some((t) => t.name === 'Org deploy token'));
      assert.deepEqual(org.warning, { omitted: 2, reasons: ['Could not load the user who created this token'] });
    });

    it('organizations list: an organization Fly cannot read is left out; the others list', async () => {
      emu.modes.partialErrors = ['orgName'];
      const list = await clientWith().listOrganizationsWithWarning();
      assert.deepEqual(list.organizations.map((o) => o.slug), ['personal']);
      assert.deepEqual(list.warning, { omitted: 1, reasons: ['Could not load the organization name'] });
      assert.deepEqual((await clientWith().listOrganizations()).map((o) => o.slug), ['personal']);
    });
  });

  describe('2. batches the server refuses are split, never lost', () => {
    const five = ['acme-web', 'acme-api', 'demo-app', 'acme-jobs', 'side'];
    beforeEach(() => {
      emu.world.addApp({ name: 'acme-jobs', org: 'acme' });
      emu.world.addApp({ name: 'side', org: 'personal' });
    });

    it('a complexity refusal halves the batch down to what works, and the size is remembered', async () => {
      emu.modes.maxComplexity = complexityOf(appTokensDocument(2));
      const results = await clientWith().listAppTokens(five);
      assert.deepEqual(results.map((r) => r.ok), [true, true, true, true, true]);
      assert.deepEqual(results.map((r) => (r.ok ? r.tokens.length : -1)), [2, 2, 3, 0, 0]);
      const sizes = () => gql().map((r) => Object.keys(r.variables ?? {}).length / 2);
      assert.deepEqual(sizes(), [5, 3, 2, 2, 1], 'refused 5 and 3, then pairs');
      emu.clearRequests();
      await clientWith().listAppTokens(five);
      assert.deepEqual(sizes(), [2, 2, 1], 'the next listing starts at the size that worked');
    });

    it('an HTTP 413 from a proxy splits the batch too', async () => {
      emu.faults.next(1, { status: 413 });
      const results = await clientWith().listAppTokens(five);
      assert.ok(results.every((r) => r.ok));
      assert.deepEqual(gql().map((r) => Object.keys(r.variables ?? {}).length / 2), [5, 3, 2]);
    });

    it('a refusal of a single app is that app’s failure, not a loop', async () => {
      emu.modes.maxComplexity = 3;
      await assert.rejects(clientWith().listAppTokens(['demo-app']), /complexity/);
      assert.equal(gql().length, 1);
    });

    it('a refusal that goes on down to one app was not about size: nothing is remembered', async () => {
      emu.faults.next(3, { kind: 'graphql-error', message: 'something broke' });
      await assert.rejects(clientWith().listAppTokens(['acme-web', 'acme-api', 'demo-app']), /something broke/);
      assert.deepEqual(gql().map((r) => Object.keys(r.variables ?? {}).length / 2), [3, 2, 1]);
      assert.equal(memory.appsPerRequest, APPS_PER_REQUEST);
    });

    it('a revoke refused as a whole (nothing ran) is sent again in halves', async () => {
      const ids = ['a', 'b', 'c', 'd'].map((name) => emu.world.addToken({ app: 'demo-app', name }).id);
      emu.modes.maxComplexity = complexityOf(revokeTokensDocument(2));
      const outcomes = await clientWith().revokeTokens(ids);
      assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true, true]);
      assert.deepEqual(gql().map((r) => Object.keys(r.variables ?? {}).length), [4, 2, 2]);
      assert.ok(ids.every((id) => emu.world.tokenById(id)?.revokedAt));
    });
  });

  describe('4. token kinds: profileParams as object or JSON text', () => {
    it('JSON text is read like an object, and app_id compares as text', async () => {
      emu.modes.profileParamsAsText = true;
      const [web] = await clientWith().listAppTokens(['acme-web']);
      assert.ok(web?.ok);
      const token = web.tokens.find((t) => t.name === 'github actions');
      assert.equal(typeof token?.profileParams, 'string', 'the mode is on');
      assert.ok(token && isTokenOfApp(token, web.app.id));
    });
  });

  describe('5. credentials as flyctl leaves them (fly-go tokens.go pruneBadMacaroons)', () => {
    const shapes = () => gql().map((r) => r.authShape.join(','));

    it('a bundle with an expired macaroon: pruned before sending, one request, the user token speaks', async () => {
      const bundle = emu.world.expiredBundle('demo@example.com');
      const viewer = await clientWith(bundle).viewer();
      assert.equal(viewer.email, 'demo@example.com');
      assert.deepEqual(shapes(), ['fo1'], 'the expired macaroon and its discharge were not sent');
      assert.deepEqual(gql().map((r) => r.authorization), ['Bearer <redacted>']);
    });

    it('expired macaroons are dropped, live ones are sent with the user token, in one request', async () => {
      const bundle = emu.world.bundle('demo@example.com', { expired: ['personal'], live: ['acme'] });
      const org = await clientWith(bundle).listOrgTokens('acme');
      assert.ok(org.tokens.length > 0);
      assert.deepEqual(shapes(), ['fm2,fm2,fo1'], 'five parts held, three sent');
    });

    it('a mutation with such a bundle is sent once, pruned', async () => {
      const bundle = emu.world.bundle('demo@example.com', { expired: ['personal'], live: ['personal'] });
      const app = await clientWith().getApp('demo-app');
      emu.clearRequests();
      const before = emu.world.mintedHeaders().length;
      const created = await clientWith(bundle).createDeployToken({ app, name: 'from a bundle', expiry: '1h0m0s' });
      assert.match(created.tokenHeader, /^FlyV1 fm2_/);
      assert.equal(emu.world.mintedHeaders().length, before + 1, 'exactly one token');
      assert.deepEqual(shapes(), ['fm2,fm2,fo1']);
    });

    it('a pruned bundle Fly still refuses is a refusal: no second try with the user token alone', async () => {
      const bundle = emu.world.bundle('demo@example.com', { live: ['personal'] });
      emu.world.revoke(emu.world.tokens().at(-1)!, 'demo@example.com');
      await assert.rejects(clientWith(bundle).viewer(), UnauthorizedError);
      assert.deepEqual(shapes(), ['fm2,fm2,fo1'], 'one request, the whole pruned bundle');
    });

    it('a bundle whose user token is bad is refused once', async () => {
      const bundle = emu.world.expiredBundle('demo@example.com').replace(emu.demoToken, 'fo1_not-valid');
      await assert.rejects(clientWith(bundle).viewer(), UnauthorizedError);
      assert.equal(gql().length, 1);
    });

    it('when pruning leaves nothing, nothing is sent and the user is asked to sign in again', async () => {
      const expired = emu.world.addToken({ org: 'personal', name: 'flyctl', createdAt: new Date(Date.now() - 3_600_000), expiresAt: new Date(Date.now() - 60_000) });
      await assert.rejects(clientWith(expired.header).viewer(), UnauthorizedError);
      await assert.rejects(clientWith('FlyV1 fm2_bm90IGEgbWFjYXJvb24=').viewer(), UnauthorizedError);
      assert.equal(gql().length, 0);
    });

    it('an SSO organization is reached through its macaroon, never through the user token alone', async () => {
      emu.modes.ssoOrgs = ['acme'];
      const bundle = emu.world.bundle('demo@example.com', { expired: ['personal'], live: ['acme'] });
      const org = await clientWith(bundle).listOrgTokens('acme');
      assert.ok(org.tokens.some((t) => t.name === 'Org deploy token'));
      await assert.rejects(clientWith(emu.demoToken).listOrgTokens('acme'), 'the user token alone cannot reach it');
      assert.deepEqual(shapes(), ['fm2,fm2,fo1', 'fo1']);
    });

    it('LogOut with a bundle is sent once with the whole (pruned) bundle and ends all of it', async () => {
      const bundle = emu.world.bundle('demo@example.com', { expired: ['personal'], live: ['acme'] });
      const live = emu.world.tokens().at(-1)!;
      assert.deepEqual(await clientWith(bundle).logOut(), { ok: true });
      assert.deepEqual(shapes(), ['fm2,fm2,fo1']);
      assert.ok(emu.world.tokenById(live.id)?.revokedAt, 'the live macaroon is revoked');
      await assert.rejects(clientWith(emu.demoToken).viewer(), UnauthorizedError, 'the user token is ended too');
    });
  });

  describe('6. unauthorized, whatever its shape', () => {
    for (const shape of ['graphql', 'http401'] as const) {
      it(`${shape}: every call says "sign in again"`, async () => {
        emu.modes.unauthorized = shape;
        const client = clientWith('fo1_revoked-or-unknown');
        await assert.rejects(client.viewer(), UnauthorizedError);
        await assert.rejects(client.listAppTokens(['demo-app', 'acme-web']), UnauthorizedError);
        await assert.rejects(client.listOrgTokens('acme'), UnauthorizedError);
        await assert.rejects(client.listOrganizations(), UnauthorizedError);
        const [revoke] = await client.revokeTokens(['x']);
        assert.ok(revoke && !revoke.ok && revoke.error instanceof UnauthorizedError);
      });
    }
  });

  describe('7. a create that returned a token succeeded', () => {
    it('errors beside a token header come back as warnings with the token', async () => {
      const app = await clientWith().getApp('demo-app');
      emu.faults.next(1, { kind: 'extra-error', message: 'Audit log unavailable', path: ['createLimitedAccessToken'] }, { operation: 'mutation' });
      const created = await clientWith().createDeployToken({ app, name: 'with warning', expiry: '1h0m0s' });
      assert.match(created.tokenHeader, /^FlyV1 fm2_/);
      assert.deepEqual(created.warnings, ['Audit log unavailable']);
      assert.ok(created.id && created.expiresAt);
    });

    it('an error without a token is still a failure', async () => {
      const app = await clientWith().getApp('demo-app');
      emu.faults.next(1, { kind: 'graphql-error', message: 'Something broke' }, { operation: 'mutation' });
      await assert.rejects(clientWith().createDeployToken({ app, name: 'x', expiry: '1h0m0s' }), /Something broke/);
    });
  });
});
