// What a listed token is for: a pure classifier over profile, profileParams and flyctl's default names.
import * as assert from 'node:assert/strict';
import { classifyToken, HOUSEKEEPING_TOLERANCE_MS, isTokenOfApp, profileParamsOf, tokenAppId, type TokenKind } from '../../src/fly/tokenKinds';
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

  // flyctl ad0172f: the name, profile and expiry each of its own mints passes to CreateLimitedAccessToken.
  const OWN: [TokenKind, string, string, number][] = [
    ['flyctlSession', 'deploy_organization', 'flyctl', 10],
    ['flyctlSynthetics', 'flynthetics_read', 'Flynthetics read-only token', 60],
    ['flyctlStaticsPush', 'deploy_organization', 'Flyctl statics push token', 60],
    ['flyctlKubernetes', 'deploy_organization', 'FKS org deploy token', 60],
    ['flyctlImageScan', 'registry_token', 'ScantronToken', 5],
    ['flyctlLiteFs', 'litefs_cloud', 'flyctl-lfsc', 1],
  ];

  it('finds every short-lived token flyctl and its agent mint for themselves, by profile and lifetime together', () => {
    for (const [expected, profile, name, minutes] of OWN) {
      assert.deepEqual(kind(profile, name, minutes), { kind: expected, housekeeping: true, fromName: true }, name);
      const loose = kind(profile.toUpperCase(), ` ${name} `, minutes);
      assert.equal(loose.housekeeping, true, `${name}: the profile's case and stray spaces do not matter`);
    }
  });

  it('a token that only borrows one of those names is the user’s and stays in view', () => {
    for (const [, profile, name, minutes] of OWN) {
      assert.equal(kind(profile, name, 365 * 24 * 60).housekeeping, false, `${name} living a year`);
      assert.equal(kind(profile, name, YEARS_20).housekeeping, false, `${name} living flyctl's default 20 years`);
      const otherProfile = profile === 'deploy' ? 'deploy_organization' : 'deploy';
      assert.equal(kind(otherProfile, name, minutes).housekeeping, false, `${name} with another profile`);
    }
    assert.deepEqual(kind('deploy_organization', 'Flyctl statics push token', 365 * 24 * 60), { kind: 'orgDeploy', housekeeping: false, fromName: false });
    assert.equal(kind('deploy_organization', 'ci for statics', 60).housekeeping, false, 'a user’s own 1-hour org token is theirs');
    assert.equal(kind('flynthetics_read', 'my dashboard', 60).housekeeping, false);
    assert.equal(kind('deploy_organization', 'Flynthetics read-only token', 60).housekeeping, false, 'the agent’s name on an org deploy token');
  });

  it('lifetimes within five minutes of flyctl’s expiry, and no further', () => {
    const TOL = HOUSEKEEPING_TOLERANCE_MS / 60_000;
    assert.equal(TOL, 5);
    const hidden = (profile: string, name: string, ms: number) =>
      classifyToken({ profile, name, createdAt: at(0), expiresAt: new Date(NOW + ms).toISOString() }).housekeeping;
    const HOUR = 3_600_000;
    const TOL_MS = HOUSEKEEPING_TOLERANCE_MS;
    assert.ok(hidden('deploy_organization', 'FKS org deploy token', HOUR + TOL_MS));
    assert.ok(!hidden('deploy_organization', 'FKS org deploy token', HOUR + TOL_MS + 1000));
    assert.ok(hidden('deploy_organization', 'FKS org deploy token', HOUR - TOL_MS));
    assert.ok(!hidden('deploy_organization', 'FKS org deploy token', HOUR - TOL_MS - 1000));
    assert.ok(hidden('flynthetics_read', 'Flynthetics read-only token', HOUR - 1000), 'dates rendered to the second');
    assert.ok(hidden('deploy_organization', 'flyctl', 15 * 60_000), 'flyctl’s 10-minute org tokens: up to 15 minutes, as before');
    assert.ok(!hidden('deploy_organization', 'flyctl', 15 * 60_000 + 1000));
    assert.ok(hidden('litefs_cloud', 'flyctl-lfsc', 1000), 'a 1-minute token has no lower bound but zero');
    assert.ok(!hidden('litefs_cloud', 'flyctl-lfsc', 0));
    assert.ok(!hidden('litefs_cloud', 'flyctl-lfsc', -60_000), 'expiring before it was made is nobody’s lifetime');
    assert.ok(!classifyToken({ profile: 'registry_token', name: 'ScantronToken', createdAt: at(0), expiresAt: 'soon' }).housekeeping, 'an unreadable expiry is not short');
    assert.ok(!classifyToken({ profile: 'registry_token', name: 'ScantronToken', createdAt: '', expiresAt: at(5) }).housekeeping);
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
