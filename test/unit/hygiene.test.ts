import * as assert from 'node:assert/strict';
import type { AppRef, Organization, TokenInfo } from '../../src/fly/types';
import { byReason, countByTier, findingTier, hygieneFindings, HYGIENE_REASONS, orgRecords, reasonTier, type HygieneContext } from '../../src/model/hygiene';

const DAY = 86_400_000;
const now = Date.parse('2026-11-30T12:00:00Z');
const acme: Organization = { id: 'org-acme', slug: 'acme', name: 'Acme' };
const web: AppRef = { id: 'app-web', name: 'acme-web', organization: acme };

let n = 0;
function token(over: Partial<TokenInfo> & { days?: [number, number] }): TokenInfo {
  const [created, expires] = over.days ?? [-10, 80];
  return {
    id: `t${++n}`,
    name: 'ci',
    profile: 'deploy',
    profileParams: { app_id: web.id },
    createdAt: new Date(now + created * DAY).toISOString(),
    expiresAt: new Date(now + expires * DAY).toISOString(),
    revokedAt: null,
    revokedBy: null,
    createdBy: 'demo@example.com',
    ...over,
  };
}

const ctx = (over: Partial<HygieneContext> = {}): HygieneContext => ({
  now,
  members: new Map([['acme', ['Demo@example.com', 'alex@example.com']]]),
  workspaceApps: new Map([['acme', 1]]),
  ...over,
});

describe('token hygiene findings', () => {
  const find = (tokens: TokenInfo[], c = ctx()) => hygieneFindings(orgRecords(acme, tokens, [web], now, 14), c);
  const reasons = (t: TokenInfo, c = ctx()) => find([t], c)[0]?.reasons ?? [];

  it('a well-kept token is no finding', () => {
    assert.deepEqual(find([token({})]), []);
  });

  it('lifetimes over one year, not a 1y token', () => {
    assert.deepEqual(reasons(token({ days: [-10, 20 * 365] })), ['longLived']);
    assert.deepEqual(reasons(token({ days: [0, 365] })), []);
    assert.deepEqual(reasons(token({ days: [0, 367] })), ['longLived']);
  });

  it("flyctl's default names, whatever the case or spaces", () => {
    assert.deepEqual(reasons(token({ name: 'flyctl deploy token' })), ['defaultName']);
    const orgToken = token({ name: ' org deploy token ', profile: 'deploy_organization', profileParams: {} });
    assert.deepEqual(reasons(orgToken), ['defaultName', 'orgTokenForOneApp']);
    assert.deepEqual(reasons(token({ name: 'flyctl deploy token for ci' })), []);
  });

  it('created by someone no longer a member — only where membership is known', () => {
    const sams = token({ createdBy: 'sam@example.com' });
    assert.deepEqual(reasons(sams), ['departedCreator']);
    assert.deepEqual(reasons(token({ createdBy: 'DEMO@example.com' })), [], 'emails compare without case');
    assert.deepEqual(reasons(sams, ctx({ members: new Map([['acme', null]]) })), [], 'members unknown: not judged');
    assert.deepEqual(reasons(sams, ctx({ members: new Map() })), []);
    assert.deepEqual(reasons(token({ createdBy: '' })), [], 'an unknown creator is not called departed');
  });

  it('expired but not revoked is the only reason an expired token gets; revoked tokens are never findings', () => {
    assert.deepEqual(reasons(token({ name: 'flyctl deploy token', days: [-400, -3], createdBy: 'sam@example.com' })), ['expiredNotRevoked']);
    assert.deepEqual(find([token({ days: [-400, -3], revokedAt: new Date(now - DAY).toISOString() })]), []);
  });

  it('an org deploy token where the organization has one app in the workspace (not read-only or housekeeping ones)', () => {
    const org = (over: Parameters<typeof token>[0] = {}) => token({ profile: 'deploy_organization', profileParams: {}, name: 'shared ci', ...over });
    assert.deepEqual(reasons(org()), ['orgTokenForOneApp']);
    assert.deepEqual(reasons(org(), ctx({ workspaceApps: new Map([['acme', 2]]) })), []);
    assert.deepEqual(reasons(org({ name: 'Read-only org token' })), []);
    const housekeeping = org({ name: 'flyctl', days: [-1, -1 + 10 / 1440] });
    assert.deepEqual(find([housekeeping]), [], "flyctl's 10-minute tokens are housekeeping");
  });

  it('ranks danger before clutter: live risks first, expired tokens (no longer usable) last', () => {
    assert.deepEqual(HYGIENE_REASONS, ['departedCreator', 'longLived', 'orgTokenForOneApp', 'defaultName', 'expiredNotRevoked']);
    assert.deepEqual(
      HYGIENE_REASONS.map(reasonTier),
      ['risk', 'risk', 'risk', 'tidying', 'tidying'],
      'every risk before every tidying reason',
    );
    const expired = token({ name: 'old laptop', days: [-400, -3] });
    const launched = token({ name: 'acme-web', days: [-2, 999_999 / 24 - 2] });
    const named = token({ name: 'flyctl deploy token' });
    const departed = token({ name: 'nightly', createdBy: 'sam@example.com' });
    const found = find([expired, named, launched, departed]);
    assert.deepEqual(
      byReason(found).filter(([, fs]) => fs.length > 0).map(([r, fs]) => [r, fs.map((f) => f.record.token.name)]),
      [
        ['departedCreator', ['nightly']],
        ['longLived', ['acme-web']],
        ['defaultName', ['flyctl deploy token']],
        ['expiredNotRevoked', ['old laptop']],
      ],
    );
    assert.deepEqual(found.map((f) => [f.record.token.name, findingTier(f)]), [
      ['old laptop', 'tidying'],
      ['flyctl deploy token', 'tidying'],
      ['acme-web', 'risk'],
      ['nightly', 'risk'],
    ]);
    assert.deepEqual(countByTier(found), { risk: 2, tidying: 2 });
    const both = find([token({ name: 'flyctl deploy token', days: [-1, 7000] })]);
    assert.deepEqual(countByTier(both), { risk: 1, tidying: 0 }, 'a long-lived token with a default name is a risk, counted once');
  });

  it("`fly launch`'s 999,999-hour app token is the user's and a long-lifetime finding; flyctl's own tokens are none", () => {
    const launched = token({ name: 'acme-web', days: [-30, 999_999 / 24 - 30] });
    assert.deepEqual(reasons(launched), ['longLived']);
    const HOUR_DAYS = 1 / 24;
    const own = [
      token({ name: 'Flynthetics read-only token', profile: 'flynthetics_read', profileParams: {}, days: [-3, -3 + HOUR_DAYS] }),
      token({ name: 'Flynthetics read-only token', profile: 'flynthetics_read', profileParams: {}, days: [-0.01, -0.01 + HOUR_DAYS] }),
      token({ name: 'Flyctl statics push token', profile: 'deploy_organization', profileParams: {}, days: [-5, -5 + HOUR_DAYS] }),
      token({ name: 'FKS org deploy token', profile: 'deploy_organization', profileParams: {}, days: [-0.01, -0.01 + HOUR_DAYS] }),
      token({ name: 'ScantronToken', profile: 'registry_token', profileParams: {}, days: [-1, -1 + 5 / 1440] }),
      token({ name: 'flyctl-lfsc', profile: 'litefs_cloud', profileParams: { cluster: 'c' }, days: [-1, -1 + 1 / 1440] }),
    ];
    assert.deepEqual(find(own, ctx({ members: new Map([['acme', []]]) })), [], 'not even when their creator left: housekeeping is never a finding');
    const impostor = token({ name: 'Flyctl statics push token', profile: 'deploy_organization', profileParams: {}, days: [-10, 355] });
    assert.deepEqual(reasons(impostor), ['orgTokenForOneApp'], 'a year-long token under flyctl’s name is judged like any other');
  });

  it('rotate applies to active deploy tokens of a workspace app; grouping puts a token under each of its reasons', () => {
    const other = token({ profileParams: { app_id: 'app-elsewhere' }, name: 'flyctl deploy token' });
    const mine = token({ name: 'flyctl deploy token', days: [-1, 7000] });
    const expired = token({ days: [-100, -1] });
    const found = find([other, mine, expired, mine]);
    assert.deepEqual(found.map((f) => [f.record.token.id, f.canRotate]), [[other.id, false], [mine.id, true], [expired.id, false]]);
    assert.equal(found[0].record.owner.app, undefined, 'a token of an app outside the workspace has no app owner');
    const groups = Object.fromEntries(byReason(found).map(([r, fs]) => [r, fs.map((f) => f.record.token.id)]));
    assert.deepEqual(groups, {
      expiredNotRevoked: [expired.id],
      departedCreator: [],
      longLived: [mine.id],
      defaultName: [other.id, mine.id],
      orgTokenForOneApp: [],
    });
  });
});
