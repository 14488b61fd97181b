// Who is calling: the Authorization header read the way flyctl builds it (NOTES.md §2) and matched against the world.
import { Location, MacaroonFormatError, parseMacaroonPart, verifyMacaroon, type Caveat, type Macaroon } from '../../src/fly/macaroon';
import type { AppRecord, OrgRecord, TokenRecord, UserRecord, World } from './world';

/**
 * `parts`: every credential the request carried (LogOut ends all of them). `macaroons`: the tokens whose
 * permission macaroons verified, with the caveats verification returned (their own and their discharges').
 * `lockedOrgs`: SSO organizations a user token alone may not reach (no macaroon of theirs came with it).
 */
export type Principal =
  | { kind: 'user'; user: UserRecord; parts?: readonly string[]; macaroons?: readonly VerifiedMacaroon[]; lockedOrgs?: ReadonlySet<string> }
  | { kind: 'macaroon'; token: TokenRecord; user: UserRecord; parts?: readonly string[]; macaroons?: readonly VerifiedMacaroon[] };

export interface VerifiedMacaroon {
  token: TokenRecord;
  caveats: Caveat[];
}

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

/** Why a permission macaroon is refused, or the verified token. */
function checkPermission(world: World, part: string, m: Macaroon, discharges: Macaroon[], nowS: number): VerifiedMacaroon | null {
  const signer = world.signerOf(part);
  if (!signer) return null; // a key id Fly never issued
  const verified = verifyMacaroon(m, signer.key, discharges);
  if (!verified.ok) return null; // a caveat removed, reordered or altered, or a discharge missing
  if (signer.token.revokedAt) return null;
  for (const c of verified.caveats) {
    if (c.type === 'ValidityWindow' && (nowS < c.notBefore || nowS > c.notAfter)) return null;
  }
  return { token: signer.token, caveats: verified.caveats };
}

/**
 * The shape of a header for the request log: each part's prefix (`fm2`, `fm1r`, `fm1a`, `fo1`), `other` for
 * anything else. Tells how many macaroons and user tokens came, never what they were.
 */
export function authShape(header: string | undefined): string[] {
  return tokenParts(header).map((part) => {
    const prefix = part.split('_', 1)[0];
    return isMacaroon(part) || (prefix === 'fo1' && part.length > 4) ? prefix : 'other';
  });
}

/**
 * Every part must be usable, as a verifier that checks each macaroon would: a part that does not decode, a
 * permission macaroon whose signature chain does not verify with its key id's key (discharges included), whose
 * validity window excludes now, or whose token was revoked, makes the whole header invalid, as does an unknown
 * user token. Discharges nothing needs are ignored, as `Macaroon.Verify` ignores them (superfly/macaroon
 * macaroon.go). A user token among the parts makes the caller that user. `ssoOrgs`: organizations whose data a
 * user token alone may not reach.
 */
export function authenticate(world: World, header: string | undefined, now = Date.now(), ssoOrgs: readonly string[] = []): AuthResult {
  const parts = tokenParts(header);
  if (parts.length === 0) return { kind: 'none' };
  let user: UserRecord | undefined;
  const decoded: { part: string; m: Macaroon }[] = [];
  for (const part of parts) {
    if (isMacaroon(part)) {
      try {
        decoded.push({ part, m: parseMacaroonPart(part) });
      } catch (err) {
        if (err instanceof MacaroonFormatError) return { kind: 'invalid' };
        throw err;
      }
    } else {
      const found = world.userByToken(part);
      if (!found) return { kind: 'invalid' };
      user ??= found;
    }
  }
  const discharges = decoded.filter((d) => d.m.location !== Location.Permission).map((d) => d.m);
  const macaroons: VerifiedMacaroon[] = [];
  for (const { part, m } of decoded) {
    if (m.location !== Location.Permission) continue;
    const verified = checkPermission(world, part, m, discharges, Math.floor(now / 1000));
    if (!verified) return { kind: 'invalid' };
    macaroons.push(verified);
  }
  if (user) {
    const lockedOrgs = new Set(ssoOrgs.filter((slug) => !macaroons.some((v) => v.token.org === slug)));
    return { kind: 'ok', principal: { kind: 'user', user, parts, macaroons, lockedOrgs } };
  }
  const first = macaroons[0];
  if (!first) return { kind: 'invalid' };
  const creator = world.user(first.token.user);
  if (!creator) return { kind: 'invalid' };
  return { kind: 'ok', principal: { kind: 'macaroon', token: first.token, user: creator, parts, macaroons } };
}

/** An app-scoped macaroon (deploy token) sees its own app only; org-wide ones see their organization. */
export function canSeeOrg(p: Principal, org: OrgRecord): boolean {
  if (p.kind === 'user') return org.members.has(p.user.email) && !p.lockedOrgs?.has(org.slug);
  return p.token.org === org.slug;
}

export function canSeeApp(p: Principal, app: AppRecord): boolean {
  if (p.kind === 'user') return canSeeOrg(p, app.org);
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
