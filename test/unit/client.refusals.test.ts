// A refusal with a path is that app's or organization's, not a sign-out; token lists that time out are split, and a
// token whose `revokedAt` timed out is read again or marked state unknown — FlyClient over real HTTP to the emulator.
import * as assert from 'node:assert/strict';
import { APPS_PER_REQUEST, BatchMemory, FlyClient } from '../../src/fly/client';
import { ForbiddenError, GraphQLError, UnauthorizedError, errorFromGraphQL, isSignedOutEntry } from '../../src/fly/errors';
import { hygieneFindings, orgRecords } from '../../src/model/hygiene';
import { tokenState } from '../../src/model/tokenState';
import { startEmulator, type Emulator } from '../emulator';

describe('FlyClient: refusals and timeouts (emulator)', () => {
  let emu: Emulator;
  let memory: BatchMemory;
  const client = () => new FlyClient({ getToken: () => emu.demoToken, baseUrl: emu.url, retry: { baseDelayMs: 5 }, batchMemory: memory });
  const gql = () => emu.graphqlRequests();
  const sizes = () => gql().map((r) => Object.keys(r.variables ?? {}).length / 2);

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => {
    emu.reset();
    memory = new BatchMemory();
  });

  describe('which refusals sign out', () => {
    it('only HTTP 401, a refusal of viewer, or a refusal without a path when no data came', () => {
      const refusal = { message: 'Not authorized', code: 'UNAUTHORIZED' };
      assert.equal(isSignedOutEntry({ ...refusal, path: ['a1'] }, false), false);
      assert.equal(isSignedOutEntry({ ...refusal, path: ['a1', 'limitedAccessTokens'] }, true), false);
      assert.equal(isSignedOutEntry({ ...refusal, path: ['viewer'] }, true), true);
      assert.equal(isSignedOutEntry(refusal, true), true);
      assert.equal(isSignedOutEntry(refusal, false), false);
      assert.equal(isSignedOutEntry({ message: 'You must be authenticated to view this.', path: ['t0'] }, false), false);
      assert.ok(errorFromGraphQL({ ...refusal, path: ['a1'] }, { appName: 'acme-api' }) instanceof ForbiddenError);
      assert.ok(errorFromGraphQL({ ...refusal, path: ['viewer'] }) instanceof UnauthorizedError);
    });
  });

  describe('one refused app or organization', () => {
    it('one refused app fails alone: the others list, nothing signs out, a later listing may succeed', async () => {
      emu.modes.forbidden = { apps: ['acme-api'], orgs: [] };
      const results = await client().listAppTokens(['demo-app', 'acme-api', 'acme-web']);
      assert.deepEqual(results.map((r) => [r.name, r.ok]), [['demo-app', true], ['acme-api', false], ['acme-web', true]]);
      const refused = results[1];
      assert.ok(!refused.ok && refused.error instanceof ForbiddenError, 'a refusal, not a sign-out');
      assert.equal(refused.error.kind, 'forbidden');
      assert.match(refused.error.message, /refused access to the app "acme-api"/);
      assert.equal(gql().length, 1);
      emu.modes.forbidden = { apps: [], orgs: [] };
      const later = await client().listAppTokens(['acme-api']);
      assert.ok(later[0]?.ok);
    });

    it('an organization refused with UNAUTHORIZED and a path is that organization’s ForbiddenError', async () => {
      emu.modes.forbidden = { apps: [], orgs: ['acme'] };
      await assert.rejects(client().listOrgTokens('acme'), ForbiddenError);
      const personal = await client().listOrgTokens('personal');
      assert.equal(personal.organization.slug, 'personal');
    });

    it('one forbidden organization does not fail the review: it is not reviewed, the rest are', async () => {
      emu.modes.forbidden = { apps: [], orgs: ['acme'] };
      const [acme, personal] = await client().reviewOrganizations(['acme', 'personal']);
      assert.ok(acme && !acme.ok && acme.error instanceof ForbiddenError);
      assert.ok(personal?.ok);
      assert.ok(personal.tokens.length > 0);
      assert.deepEqual(personal.members, ['demo@example.com']);
    });

    it('a refusal of viewer itself still signs out', async () => {
      emu.faults.next(1, { kind: 'extra-error', message: 'You must be authenticated to view this.', path: ['viewer'] });
      await assert.rejects(client().viewer(), UnauthorizedError);
    });
  });

  describe('listings that do not time out', () => {
    it('a 20-app listing takes 2 requests of 10 apps (it took 1 of 50 apps × 100 tokens)', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
      for (const name of names) emu.world.addApp({ name, org: 'acme' });
      const results = await client().listAppTokens(names);
      assert.ok(results.every((r) => r.ok));
      assert.equal(APPS_PER_REQUEST, 10);
      assert.deepEqual(sizes(), [10, 10]);
      for (const r of gql()) assert.doesNotMatch(r.query ?? '', /totalCount/);
    });

    it('an HTTP 504 on a listing splits the batch and every app is answered; the size that worked is kept', async () => {
      // demo-app has 3 tokens, acme-web 2, acme-api 2, acme-ops 3 (with fly launch's): more than 5 in one answer gets a 504
      emu.modes.gatewayTimeoutAboveTokens = 5;
      const names = ['demo-app', 'acme-web', 'acme-api', 'acme-ops'];
      const results = await client().listAppTokens(names);
      assert.deepEqual(results.map((r) => (r.ok ? r.tokens.length : -1)), [3, 2, 2, 3]);
      assert.deepEqual(sizes(), [4, 2, 2]);
      assert.deepEqual(gql().map((r) => r.status), [504, 200, 200]);
      assert.equal(memory.appsPerRequest, 2);
    });

    it('a 504 on a single app is its failure, once, not a loop', async () => {
      emu.modes.gatewayTimeoutAboveTokens = 1;
      await assert.rejects(client().listAppTokens(['demo-app']), /HTTP 504/);
      assert.equal(gql().length, 1);
    });

    it('a revokedAt that timed out in the list is read again by id: the token is what Fly says, in one more request', async () => {
      emu.modes.revokedAtTimeout = { token: 'leaked in a log', everywhere: false };
      const [demo] = await client().listAppTokens(['demo-app']);
      assert.ok(demo?.ok);
      const leaked = demo.tokens.find((t) => t.name === 'leaked in a log');
      assert.ok(leaked?.revokedAt, 'read back as revoked');
      assert.equal(leaked.stateUnknown, undefined);
      assert.deepEqual(gql().map((r) => r.operationName), ['AppTokens', 'TokensById']);
      assert.equal(demo.warning, undefined, 'nothing was left out in the end');
    });

    it('a revokedAt that times out again is "state unknown": never active, never a hygiene finding', async () => {
      emu.modes.revokedAtTimeout = { token: 'nightly backups', everywhere: true };
      const org = await client().listOrgTokens('acme');
      const backups = org.tokens.find((t) => t.name === 'nightly backups');
      assert.ok(backups);
      assert.equal(backups.stateUnknown, true);
      assert.equal(backups.revokedAt, null);
      assert.equal(tokenState(backups, Date.now(), 7), 'unknown');
      assert.ok(org.tokens.filter((t) => t !== backups).every((t) => !t.stateUnknown), 'the rest of the page is fine');

      const [acme] = await client().reviewOrganizations(['acme']);
      assert.ok(acme?.ok);
      const records = orgRecords(acme.organization, acme.tokens, [], Date.now(), 7);
      const findings = hygieneFindings(records, { now: Date.now(), members: new Map([['acme', acme.members]]), workspaceApps: new Map() });
      assert.ok(!findings.some((f) => f.record.token.name === 'nightly backups'), 'its departed creator is not a finding while its state is unknown');
      emu.modes.revokedAtTimeout = null;
      const [again] = await client().reviewOrganizations(['acme']);
      assert.ok(again?.ok);
      const later = hygieneFindings(orgRecords(again.organization, again.tokens, [], Date.now(), 7), {
        now: Date.now(),
        members: new Map([['acme', again.members]]),
        workspaceApps: new Map(),
      });
      assert.ok(later.some((f) => f.record.token.name === 'nightly backups'), 'a finding once Fly answers');
    });

    it('a timeout error on one field of an app is not taken for a refusal or a sign-out', () => {
      const e = errorFromGraphQL({ message: 'Timeout on LimitedAccessToken.revokedAt', path: ['a3', 'limitedAccessTokens', 'nodes', 3, 'revokedAt'] });
      assert.ok(e instanceof GraphQLError);
    });
  });
});
