// What a listed token is for: a pure classifier over profile, profileParams and flyctl's default names.
import * as assert from 'node:assert/strict';
import { classifyToken, isTokenOfApp, profileParamsOf, tokenAppId, type TokenKind } from '../../src/fly/tokenKinds';
import { hasUserToken, isBundle } from '../../src/fly/authHeader';

const NOW = Date.parse('2026-11-30T08:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const YEARS_20 = 20 * 365 * 24 * 60;

function kind(profile: string, name: string, lifetimeMinutes = YEARS_20): { kind: TokenKind; housekeeping: boolean; fromName: boolean } {
  const info = classifyToken({ profile, name, createdAt: at(0), expiresAt: at(lifetimeMinutes) });
  return { kind: info.kind, housekeeping: info.housekeeping, fromName: info.fromName };
}

describe('token kinds', () => {
  it('tells every kind flyctl mints apart (internal/command/tokens/create.go)', () => {
    assert.deepEqual(kind('deploy', 'github actions'), { kind: 'deploy', housekeeping: false, fromName: false });
    assert.deepEqual(kind('deploy', 'flyctl ssh token'), { kind: 'ssh', housekeeping: false, fromName: true });
    assert.deepEqual(kind('deploy', 'flyctl machine-exec token'), { kind: 'machineExec', housekeeping: false, fromName: true });
    assert.deepEqual(kind('deploy_organization', 'Org deploy token'), { kind: 'orgDeploy', housekeeping: false, fromName: false });
    assert.deepEqual(kind('deploy_organization', 'Read-only org token'), { kind: 'orgReadOnly', housekeeping: false, fromName: true });
    assert.deepEqual(kind('deploy_organization', 'WireGuard token'), { kind: 'wireGuard', housekeeping: false, fromName: true });
    assert.deepEqual(kind('litefs_cloud', 'LiteFS Cloud token'), { kind: 'liteFsCloud', housekeeping: false, fromName: false });
    assert.deepEqual(kind('registry_token', 'x'), { kind: 'registry', housekeeping: false, fromName: false });
    assert.deepEqual(kind('something_new', 'x'), { kind: 'other', housekeeping: false, fromName: false });
  });

  it('finds flyctl’s housekeeping tokens: its metrics token and its 10-minute org tokens', () => {
    assert.deepEqual(kind('identity', 'flyctl-metrics'), { kind: 'flyctlMetrics', housekeeping: true, fromName: true });
    assert.deepEqual(kind('deploy_organization', 'flyctl', 10), { kind: 'flyctlSession', housekeeping: true, fromName: true });
    assert.equal(kind('deploy_organization', 'flyctl', YEARS_20).housekeeping, false, 'a long-lived token someone named "flyctl" is kept in view');
    assert.equal(kind('identity', 'my identity').housekeeping, false);
  });

  it('reads profileParams as an object or as JSON text', () => {
    assert.deepEqual(profileParamsOf({ app_id: 'a1' }), { app_id: 'a1' });
    assert.deepEqual(profileParamsOf('{"app_id":"a1"}'), { app_id: 'a1' });
    for (const junk of [null, undefined, '', 'not json', '[1]', 42, ['a']]) assert.deepEqual(profileParamsOf(junk), {});
  });

  it('compares app_id as text, whether Fly sends a string or a number', () => {
    assert.equal(tokenAppId({ app_id: 123 }), '123');
    assert.equal(tokenAppId('{"app_id":123}'), '123');
    assert.ok(isTokenOfApp({ profileParams: { app_id: 123 } }, '123'));
    assert.ok(isTokenOfApp({ profileParams: '{"app_id":"abc"}' }, 'abc'));
    assert.ok(!isTokenOfApp({ profileParams: { app_id: 'abc' } }, 'abd'));
    assert.ok(!isTokenOfApp({ profileParams: {} }, ''));
  });
});

describe('credential bundles (flyctl’s config)', () => {
  it('a bundle with a user token is a full login', () => {
    assert.ok(hasUserToken('FlyV1 fm2_aaa,fm2_bbb,fo1_user'));
    assert.ok(isBundle('FlyV1 fm2_aaa,fo1_user'));
    assert.ok(!isBundle('FlyV1 fm2_aaa,fm2_bbb'));
    assert.ok(!hasUserToken('FlyV1 fm2_aaa,fm2_bbb'), 'a deploy token is limited');
    assert.ok(hasUserToken('fo1_user') && !isBundle('fo1_user'));
  });
});
