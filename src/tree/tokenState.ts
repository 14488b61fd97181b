// Pure helpers for token rows (no `vscode`): state, order, and "in 3 months" phrasing.
import type { TokenInfo } from '../fly/types';

export type TokenState = 'active' | 'expiring' | 'expired' | 'revoked';

const DAY_MS = 86_400_000;

export function tokenState(t: Pick<TokenInfo, 'expiresAt' | 'revokedAt'>, now: number, warningDays: number): TokenState {
  if (t.revokedAt) return 'revoked';
  const expires = Date.parse(t.expiresAt);
  if (!Number.isFinite(expires)) return 'active';
  if (expires <= now) return 'expired';
  return expires - now <= warningDays * DAY_MS ? 'expiring' : 'active';
}

const RANK: Record<TokenState, number> = { expiring: 0, active: 0, expired: 1, revoked: 2 };

/** Active first (soonest expiry first), then expired (most recent first), then revoked (most recent first). */
export function sortTokens<T extends TokenInfo>(tokens: readonly T[], now: number): T[] {
  const key = (t: T) => RANK[tokenState(t, now, 0)];
  return [...tokens].sort((a, b) => {
    const d = key(a) - key(b);
    if (d !== 0) return d;
    const rank = key(a);
    if (rank === 0) return Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.name.localeCompare(b.name);
    if (rank === 1) return Date.parse(b.expiresAt) - Date.parse(a.expiresAt) || a.name.localeCompare(b.name);
    return Date.parse(b.revokedAt ?? '') - Date.parse(a.revokedAt ?? '') || a.name.localeCompare(b.name);
  });
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "in 3 months", "2 days ago", "tomorrow" in the given locale. */
export function relativeTime(target: number, now: number, locale = 'en'): string {
  const rtf = cached(relativeFormats, locale, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' }));
  const diff = target - now;
  const abs = Math.abs(diff);
  // A token made for 30 days is looked at a few seconds later: still "next month", not "in 4 weeks".
  for (const [unit, ms] of UNITS) {
    if (abs >= ms * 0.99 || unit === 'second') {
      return rtf.format(Math.round(diff / ms), unit);
    }
  }
  return rtf.format(0, 'second');
}

/** Absolute local time for tooltips: "Mon, 3 Mar 2027, 14:05". */
export function absoluteTime(iso: string, locale = 'en'): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return cached(dateFormats, locale, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(t);
}

// Making a formatter costs far more than using one (a 1,000-row tree made 3,000 of them): one per locale.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, locale: string, make: (locale: string) => F): F {
  let f = cache.get(locale);
  if (!f) {
    try {
      f = make(locale);
    } catch {
      f = make('en'); // an unknown locale tag
    }
    cache.set(locale, f);
  }
  return f;
}
