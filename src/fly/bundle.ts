// What of a credential is worth sending: fly-go's rules for a bundle of macaroons and user tokens, applied before
// every request (superfly/fly-go 22d6e51 `tokens/tokens.go`, `pruneBadMacaroons`, run by `Tokens.Update`).
import { tokenParts } from './authHeader';
import { Location, MacaroonFormatError, caveatsOfType, expiration, isMacaroonPart, parseMacaroonPart, type Macaroon } from './macaroon';

/** fly-go drops an authentication discharge this long before it expires (`advancePrune`, default 1 minute). */
export const DISCHARGE_ADVANCE_PRUNE_MS = 60_000;

export interface PrunedCredential {
  /** the parts to send, in their original order */
  parts: string[];
  /** how many macaroon parts were left out (expired, unreadable, or discharges no permission token needs) */
  dropped: number;
}

function expiredAt(m: Macaroon, nowMs: number, advanceMs = 0): boolean {
  const end = expiration(m);
  // Go: time.Now().After(time.Unix(NotAfter, 0)), i.e. strictly after the last valid second.
  return end !== null && nowMs + advanceMs > end * 1000;
}

/**
 * The parts of `token` fly-go would still send: user tokens as they are; macaroons that decode and have not
 * expired; of those, the ones located elsewhere than Fly's permission location (discharges) only while a kept
 * permission macaroon has a third-party caveat whose ticket is their key id, and an authentication discharge only
 * while it has more than a minute left. Nothing is decided by a part's position or name.
 */
export function pruneCredential(token: string, nowMs = Date.now()): PrunedCredential {
  const parts = tokenParts(token);
  const decoded = new Map<string, Macaroon>();
  const tickets = new Set<string>();
  for (const part of parts) {
    if (!isMacaroonPart(part)) continue;
    let m: Macaroon;
    try {
      m = parseMacaroonPart(part);
    } catch (err) {
      if (err instanceof MacaroonFormatError) continue;
      throw err;
    }
    if (expiredAt(m, nowMs)) continue;
    decoded.set(part, m);
    if (m.location !== Location.Permission) continue;
    for (const tp of caveatsOfType(m.caveats, 'ThirdParty')) {
      if (tp.ticket) tickets.add(Buffer.from(tp.ticket).toString('hex'));
    }
  }
  const kept = parts.filter((part) => {
    if (!isMacaroonPart(part)) return true;
    const m = decoded.get(part);
    if (!m) return false;
    if (m.location === Location.Permission) return true;
    if (!tickets.has(Buffer.from(m.nonce.kid).toString('hex'))) return false;
    const authentication = m.location === Location.Authentication || m.location === Location.NewAuthentication;
    return !(authentication && expiredAt(m, nowMs, DISCHARGE_ADVANCE_PRUNE_MS));
  });
  return { parts: kept, dropped: parts.length - kept.length };
}
