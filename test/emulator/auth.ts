// Who is calling: the Authorization header read the way flyctl builds it (NOTES.md §2) and matched against the world.
import type { AppRecord, OrgRecord, TokenRecord, UserRecord, World } from './world';

/** `parts`: every credential the request carried (LogOut ends all of them). */
export type Principal =
  | { kind: 'user'; user: UserRecord; parts?: readonly string[] }
  | { kind: 'macaroon'; token: TokenRecord; user: UserRecord; parts?: readonly string[] };

export type AuthResult = { kind: 'none' } | { kind: 'invalid' } | { kind: 'ok'; principal: Principal };

const SCHEME = /^\s*(flyv1|bearer)(\s+|$)/i;
const MACAROON_PREFIXES = new Set(['fm1r', 'fm1a', 'fm2']);

/** The token parts of a header: schemes stripped (repeatedly, any case), split on commas, trimmed, empties dropped. */
export function tokenParts(header: string | undefined): string[] {
  let rest = header ?? '';
  while (SCHEME.test(rest)) rest = rest.replace(SCHEME, '');
  return rest
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function isMacaroon(part: string): boolean {
  return MACAROON_PREFIXES.has(part.split('_', 1)[0]);
}

/** What the request log keeps of the header: the scheme only. */
export function redactAuthorization(header: string | undefined): string {
  if (header === undefined) return '';
  const scheme = /^\s*(flyv1|bearer)\b/i.exec(header);
  const hasToken = tokenParts(header).length > 0;
  if (!scheme) return hasToken ? '<redacted>' : '';
  return hasToken ? `${scheme[1]} <redacted>` : scheme[1];
}

/**
 * Every part must be known and usable: an unknown, revoked or expired part makes the whole header invalid,
 * as a service that verifies each macaroon would. A user token among the parts makes the caller that user.
 */
export function authenticate(world: World, header: string | undefined, now = Date.now(), lenientBundles = false): AuthResult {
  const parts = tokenParts(header);
  if (parts.length === 0) return { kind: 'none' };
  let user: UserRecord | undefined;
  let macaroon: TokenRecord | undefined;
  for (const part of parts) {
    if (isMacaroon(part)) {
      const token = world.tokenByPart(part);
      if (!token || token.revokedAt || token.expiresAt.getTime() <= now) {
        // Lenient mode: a bad macaroon next to a user token is ignored (the user token decides below).
        if (lenientBundles && parts.some((p) => !isMacaroon(p))) continue;
        return { kind: 'invalid' };
      }
      macaroon ??= token;
    } else {
      const found = world.userByToken(part);
      if (!found) return { kind: 'invalid' };
      user ??= found;
    }
  }
  if (user) return { kind: 'ok', principal: { kind: 'user', user, parts } };
  if (!macaroon) return { kind: 'invalid' };
  const creator = world.user(macaroon.user);
  if (!creator) return { kind: 'invalid' };
  return { kind: 'ok', principal: { kind: 'macaroon', token: macaroon, user: creator, parts } };
}

/** An app-scoped macaroon (deploy token) sees its own app only; org-wide ones see their organization. */
export function canSeeOrg(p: Principal, org: OrgRecord): boolean {
  if (p.kind === 'user') return org.members.has(p.user.email);
  return p.token.org === org.slug;
}

export function canSeeApp(p: Principal, app: AppRecord): boolean {
  if (p.kind === 'user') return app.org.members.has(p.user.email);
  if (p.token.app !== null) return p.token.app === app.name;
  return p.token.org === app.org.slug;
}

export function isAppScoped(p: Principal): boolean {
  return p.kind === 'macaroon' && p.token.app !== null;
}

export function roleIn(p: Principal, org: OrgRecord): 'admin' | 'member' {
  if (p.kind === 'user') return org.members.get(p.user.email) ?? 'member';
  return 'member';
}
