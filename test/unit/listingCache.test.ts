// The last listing kept for the next window: metadata only, for the same account and API, checked on the way back.
import * as assert from 'assert';
import { emptyListing, frozenTokens, type Listing } from '../../src/model/listing';
import { fromCache, toCache } from '../../src/model/listingCache';
import type { AppRef, TokenInfo } from '../../src/fly/types';
import type { FlyFile } from '../../src/workspace/flyFiles';

const org = { id: 'o1', slug: 'acme', name: 'Acme' };
const app: AppRef = { id: 'a1', name: 'acme-web', organization: org };
const key = { account: 'me@example.com', api: 'https://api.fly.io' };

function token(id: string, extra: Record<string, unknown> = {}): TokenInfo {
  return {
    id,
    name: `n-${id}`,
    profile: 'deploy',
    profileParams: { app_id: 'a1' },
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2027-01-01T00:00:00Z',
    revokedAt: null,
    revokedBy: null,
    createdBy: 'me@example.com',
    ...extra,
  };
}

const file = (relativePath: string): FlyFile => ({ uri: { toString: () => `file:///w/${relativePath}` } as FlyFile['uri'], folder: {} as FlyFile['folder'], relativePath, result: { ok: true, app: 'acme-web' } });
const back = (uri: string, relativePath: string, result: FlyFile['result']): FlyFile => ({ uri: { toString: () => uri } as FlyFile['uri'], folder: {} as FlyFile['folder'], relativePath, result });

function listing(): Listing {
  return {
    ...emptyListing('app'),
    status: 'ready',
    files: [file('fly.toml')],
    apps: new Map([
      ['acme-web', { name: 'acme-web', ok: true as const, app, tokens: frozenTokens([token('t1', { tokenHeader: 'FlyV1 fm2_secret' })]) }],
      ['ghost', { name: 'ghost', ok: false as const, error: new Error('no app') as never }],
    ]),
  };
}

describe('the listing kept for the next window', () => {
  it('round-trips token metadata, marked stale; errors are not kept (they are asked again)', () => {
    const raw = JSON.parse(JSON.stringify(toCache(listing(), key)));
    const l = fromCache(raw, key, 'app', back);
    assert.ok(l);
    assert.strictEqual(l.stale, true);
    assert.deepStrictEqual([...l.apps.keys()], ['acme-web']);
    const r = l.apps.get('acme-web');
    assert.ok(r?.ok);
    assert.deepStrictEqual(r.tokens.map((t) => t.name), ['n-t1']);
    assert.deepStrictEqual(l.files.map((f) => [f.uri.toString(), f.relativePath]), [['file:///w/fly.toml', 'fly.toml']]);
  });

  it('writes no field it does not know, so nothing secret a token object may carry reaches the disk', () => {
    const text = JSON.stringify(toCache(listing(), key));
    assert.doesNotMatch(text, /tokenHeader|FlyV1|fm2_/);
  });

  it('is shown only to the same account, on the same API, in the same scope', () => {
    const raw = JSON.parse(JSON.stringify(toCache(listing(), key)));
    assert.strictEqual(fromCache(raw, { ...key, account: 'other@example.com' }, 'app', back), undefined);
    assert.strictEqual(fromCache(raw, { ...key, api: 'http://127.0.0.1:9' }, 'app', back), undefined);
    assert.strictEqual(fromCache(raw, key, 'org', back), undefined);
  });

  it('ignores damaged or foreign entries instead of trusting them', () => {
    const good = JSON.parse(JSON.stringify(toCache(listing(), key)));
    const damaged = [
      undefined,
      'text',
      { ...good, version: 99 },
      { ...good, apps: 'x' },
      { ...good, apps: [{ name: 'a', app: { id: 1 }, tokens: [] }] },
      { ...good, apps: [{ ...good.apps[0], tokens: [{ id: 't', name: 5 }] }] },
      { ...good, files: [{ uri: 'file:///x', relativePath: 'x', result: { ok: 'yes' } }] },
    ];
    for (const d of damaged) assert.strictEqual(fromCache(d, key, 'app', back), undefined, JSON.stringify(d)?.slice(0, 80));
  });

  it('drops files whose folder left the workspace', () => {
    const raw = JSON.parse(JSON.stringify(toCache(listing(), key)));
    const l = fromCache(raw, key, 'app', () => undefined);
    assert.deepStrictEqual(l?.files, []);
  });
});
