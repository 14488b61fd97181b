// The Authorization header Fly's GraphQL API expects, built from whatever token text the user has (flyctl's rules).

const MACAROON_PREFIXES = new Set(['fm1r', 'fm1a', 'fm2']);
const SCHEME = /^(?:flyv1|bearer)(?:\s+|$)/i;

/** Removes leading `FlyV1` / `Bearer` schemes, however many and in any case: people paste whole header values. */
function stripSchemes(token: string): string {
  let rest = token.trim();
  for (let m = SCHEME.exec(rest); m; m = SCHEME.exec(rest)) rest = rest.slice(m[0].length).trimStart();
  return rest;
}

/** The comma-separated parts of a token (a deploy token is a permission macaroon plus discharges). */
export function tokenParts(token: string): string[] {
  return stripSchemes(token)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function isMacaroonPart(part: string): boolean {
  const underscore = part.indexOf('_');
  return underscore > 0 && MACAROON_PREFIXES.has(part.slice(0, underscore));
}

/** True when the token (scheme or not) carries at least one macaroon (`fm1r_`, `fm1a_`, `fm2_`), e.g. a deploy token. */
export function isMacaroonToken(token: string): boolean {
  return tokenParts(token).some(isMacaroonPart);
}

/**
 * `FlyV1 <macaroons>,<other tokens>` when there is any macaroon, else `Bearer <tokens>`; parts joined by commas.
 * Empty parts are dropped rather than sent.
 */
export function authorizationHeader(token: string): string {
  const parts = tokenParts(token);
  const macaroons = parts.filter(isMacaroonPart);
  if (macaroons.length === 0) return `Bearer ${parts.join(',')}`;
  const others = parts.filter((part) => !isMacaroonPart(part));
  return `FlyV1 ${[...macaroons, ...others].join(',')}`;
}

/**
 * A bundle as flyctl's config keeps it: macaroons plus a user token (`fo1_…`). Its user token alone is a full
 * login, so such a bundle is never a "limited token".
 */
export function hasUserToken(token: string): boolean {
  return tokenParts(token).some((part) => !isMacaroonPart(part));
}

/** Macaroons and a user token together (flyctl's config after `fly auth login` and housekeeping). */
export function isBundle(token: string): boolean {
  const parts = tokenParts(token);
  return parts.some(isMacaroonPart) && parts.some((part) => !isMacaroonPart(part));
}
