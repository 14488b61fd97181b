import * as assert from 'assert';
import { sortTokens, tokenState } from '../../src/model/tokenState';
import { absoluteTime, localDay, relativeTime } from '../../src/ui/dates';
import type { TokenInfo } from '../../src/fly/types';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');
const iso = (offsetDays: number) => new Date(NOW + offsetDays * DAY).toISOString();

function token(name: string, expiresInDays: number, revokedDaysAgo?: number): TokenInfo {
  return {
    id: name,
    name,
    profile: 'deploy',
    profileParams: null,
    createdAt: iso(-100),
    expiresAt: iso(expiresInDays),
    revokedAt: revokedDaysAgo === undefined ? null : iso(-revokedDaysAgo),
    revokedBy: null,
    createdBy: 'demo@example.com',
  };
}

describe('token rows: state, order, wording', () => {
  it('tells active, expiring (within the warning days), expired and revoked apart', () => {
    assert.strictEqual(tokenState(token('a', 30), NOW, 14), 'active');
    assert.strictEqual(tokenState(token('b', 14), NOW, 14), 'expiring');
    assert.strictEqual(tokenState(token('c', 3), NOW, 14), 'expiring');
    assert.strictEqual(tokenState(token('d', 3), NOW, 0), 'active');
    assert.strictEqual(tokenState(token('e', -1), NOW, 14), 'expired');
    assert.strictEqual(tokenState(token('f', 300, 2), NOW, 14), 'revoked', 'revoked wins over active');
    assert.strictEqual(tokenState(token('g', -5, 2), NOW, 14), 'revoked', 'revoked wins over expired');
  });

  it('orders active by soonest expiry, then expired (latest first), then revoked (latest first)', () => {
    const sorted = sortTokens(
      [token('revoked-old', 10, 30), token('long', 7000), token('expired-long-ago', -300), token('soon', 2), token('revoked-new', 10, 1), token('expired-recently', -1), token('mid', 90)],
      NOW,
    );
    assert.deepStrictEqual(sorted.map((t) => t.name), ['soon', 'mid', 'long', 'expired-recently', 'expired-long-ago', 'revoked-new', 'revoked-old']);
  });

  it('says when, in words', () => {
    const table: [number, string][] = [
      [90 * DAY, 'in 3 months'],
      [-2 * DAY, '2 days ago'],
      [1 * DAY, 'tomorrow'],
      [20 * 365 * DAY, 'in 20 years'],
      [3 * 3_600_000, 'in 3 hours'],
      [-45 * 60_000, '45 minutes ago'],
      [14 * DAY, 'in 2 weeks'],
      [30 * DAY - 5_000, 'next month'],
      [7 * DAY - 5_000, 'next week'],
      [365 * DAY - 60_000, 'next year'],
    ];
    for (const [offset, words] of table) assert.strictEqual(relativeTime(NOW + offset, NOW, 'en'), words, `offset ${offset}`);
    assert.strictEqual(relativeTime(NOW + 2 * DAY, NOW, 'de'), 'übermorgen');
    assert.strictEqual(relativeTime(NOW + 2 * DAY, NOW, 'not a locale!'), 'in 2 days', 'falls back to English');
  });

  it('gives an absolute time for tooltips, and the raw text when it is not a date', () => {
    assert.match(absoluteTime('2026-11-28T12:00:00Z', 'en'), /Nov 28, 2026/);
    assert.strictEqual(absoluteTime('not a date', 'en'), 'not a date');
  });
});

describe('localDay', () => {
  it('is the local calendar day, zero-padded', () => {
    assert.strictEqual(localDay(new Date(2027, 2, 3, 23, 59)), '2027-03-03');
    assert.strictEqual(localDay(new Date(2027, 11, 31, 0, 0)), '2027-12-31');
  });
});
