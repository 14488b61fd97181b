// A token's state and the order rows show tokens in (no `vscode`).
import type { TokenInfo } from '../fly/types';

/** `unknown`: Fly could not say whether it is revoked (TokenInfo.stateUnknown); never treated as active. */
export type TokenState = 'active' | 'expiring' | 'expired' | 'revoked' | 'unknown';

const DAY_MS = 86_400_000;

export function tokenState(t: Pick<TokenInfo, 'expiresAt' | 'revokedAt' | 'stateUnknown'>, now: number, warningDays: number): TokenState {
  if (t.revokedAt) return 'revoked';
  if (t.stateUnknown) return 'unknown';
  const expires = Date.parse(t.expiresAt);
  if (!Number.isFinite(expires)) return 'active';
  if (expires <= now) return 'expired';
  return expires - now <= warningDays * DAY_MS ? 'expiring' : 'active';
}

const RANK: Record<TokenState, number> = { expiring: 0, active: 0, unknown: 1, expired: 1, revoked: 2 };

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
