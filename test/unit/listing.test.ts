// The tokens model's data, in plain Node: records, scope, and changes that replace instead of mutating.
import * as assert from 'assert';
import {
  appTokens,
  emptyListing,
  frozenTokens,
  knownApp,
  orgTokens,
  scopeTokens,
  withCreated,
  withRevoked,
  workspaceApps,
  type Listing,
} from '../../src/model/listing';
import type { AppRef, Organization, TokenInfo } from '../../src/fly/types';
import type { FlyFile } from '../../src/workspace/flyFiles';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');
const iso = (days: number) => new Date(NOW + days * DAY).toISOString();

const acme: Organization = { id: 'org1', slug: 'acme', name: 'Acme' };
const web: AppRef = { id: 'app-web', name: 'acme-web', organization: acme };
const api: AppRef = { id: 'app-api', name: 'acme-api', organization: acme };

function token(id: string, expiresInDays: number, params: unknown = { app_id: web.id }): TokenInfo {
  return {
    id,
    name: `token ${id}`,
    profile: 'deploy',
    profileParams: params,
    createdAt: iso(-10),
    expiresAt: iso(expiresInDays),
    revokedAt: null,
    revokedBy: null,
    createdBy: 'demo@example.com',
  };
}

function file(relativePath: string, result: FlyFile['result']): FlyFile {
  // only relativePath and result are read by the listing
  return { uri: {} as FlyFile['uri'], folder: {} as FlyFile['folder'], relativePath, result };
}

function listing(): Listing {
  const l = emptyListing('app');
  return {
    ...l,
    status: 'ready',
    files: [
      file('web/fly.toml', { ok: true, app: 'acme-web' }),
      file('web/fly.staging.toml', { ok: true, app: 'acme-web' }),
      file('api/fly.toml', { ok: true, app: 'acme-api' }),
      file('broken/fly.toml', { ok: false, message: 'line 1' }),
    ],
    apps: new Map([
      ['acme-web', { name: 'acme-web', ok: true as const, app: web, tokens: frozenTokens([token('a', 100), token('b', 3)]) }],
      ['acme-api', { name: 'acme-api', ok: true as const, app: api, tokens: frozenTokens([token('c', -2, { app_id: api.id })]) }],
    ]),
    orgs: new Map([
      ['acme', { organization: acme, tokens: frozenTokens([token('a', 100), token('o', 50, '{"app_id":"app-api"}'), token('x', 50, { app_id: 42 })]), error: undefined }],
    ]),
  };
}

describe('the tokens listing (model data)', () => {
  it('names each workspace app once, with every file that names it', () => {
    const apps = workspaceApps(listing());
    assert.deepStrictEqual(
      apps.map((a) => [a.name, a.files.map((f) => f.relativePath)]),
      [
        ['acme-web', ['web/fly.toml', 'web/fly.staging.toml']],
        ['acme-api', ['api/fly.toml']],
      ],
    );
    assert.strictEqual(knownApp(listing(), 'acme-web')?.id, 'app-web');
    assert.strictEqual(knownApp(listing(), 'ghost'), undefined);
  });

  it('gives records with state and owner, in row order', () => {
    const records = appTokens(listing(), 'acme-web', NOW, 14);
    assert.deepStrictEqual(
      records.map((r) => [r.token.id, r.state, r.owner.app?.name]),
      [
        ['b', 'expiring', 'acme-web'],
        ['a', 'active', 'acme-web'],
      ],
    );
    assert.deepStrictEqual(
      scopeTokens(listing(), NOW, 14).map((r) => r.token.id),
      ['b', 'a', 'c'],
      'app scope: every app',
    );
    assert.deepStrictEqual(
      scopeTokens({ ...listing(), scope: 'org' }, NOW, 14).map((r) => r.token.id),
      ['o', 'x', 'a'],
      'organization scope: every organization',
    );
  });

  it('finds the app of an organization token by its app_id, as text, in an object or JSON text', () => {
    const byId = new Map(orgTokens(listing(), 'acme', NOW, 14).map((r) => [r.token.id, r.owner]));
    assert.strictEqual(byId.get('a')?.app?.name, 'acme-web');
    assert.strictEqual(byId.get('a')?.organization?.slug, 'acme');
    assert.strictEqual(byId.get('x')?.app, undefined, 'an unknown app id');
    assert.strictEqual(byId.get('o')?.app?.name, 'acme-api', 'profileParams as JSON text');
  });

  it('adds a created token to its app and organization as a new listing; the old one is unchanged', () => {
    const before = listing();
    const after = withCreated(before, web, { id: 'new', name: 'ci', createdAt: iso(0), expiresAt: iso(30), tokenHeader: 'not kept' }, 'me@example.com');
    assert.notStrictEqual(after, before);
    assert.deepStrictEqual(appTokens(before, 'acme-web', NOW, 14).map((r) => r.token.id), ['b', 'a']);
    const added = appTokens(after, 'acme-web', NOW, 14).find((r) => r.token.id === 'new');
    assert.ok(added);
    assert.deepStrictEqual([added.token.createdBy, added.token.profile, added.state], ['me@example.com', 'deploy', 'active']);
    assert.ok(!JSON.stringify(added).includes('not kept'), 'the token header is never kept');
    assert.ok(orgTokens({ ...after, scope: 'org' }, 'acme', NOW, 14).some((r) => r.token.id === 'new'));
  });

  it('marks revoked tokens in every list that holds them, without touching the old listing', () => {
    const before = listing();
    const after = withRevoked(before, ['a'], 'me@example.com', iso(0));
    assert.strictEqual(appTokens(before, 'acme-web', NOW, 14).find((r) => r.token.id === 'a')?.state, 'active');
    const web = appTokens(after, 'acme-web', NOW, 14).find((r) => r.token.id === 'a');
    assert.deepStrictEqual([web?.state, web?.token.revokedBy], ['revoked', 'me@example.com']);
    assert.strictEqual(orgTokens(after, 'acme', NOW, 14).find((r) => r.token.id === 'a')?.state, 'revoked');
    const again = withRevoked(after, ['a'], 'other@example.com', iso(1));
    assert.strictEqual(appTokens(again, 'acme-web', NOW, 14).find((r) => r.token.id === 'a')?.token.revokedBy, 'me@example.com', 'first revocation stands');
  });

  it('hands out frozen records: a reader cannot change the model', () => {
    const [r] = appTokens(listing(), 'acme-web', NOW, 14);
    assert.throws(() => {
      (r.token as TokenInfo).revokedAt = 'now';
    }, TypeError);
    assert.throws(() => {
      (r as { state: string }).state = 'revoked';
    }, TypeError);
  });
});
