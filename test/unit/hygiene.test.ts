import * as assert from 'node:assert/strict';
import type { AppRef, Organization, TokenInfo } from '../../src/fly/types';
import { byReason, hygieneFindings, orgRecords, type HygieneContext } from '../../src/model/hygiene';

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
