// Reading a token someone pasted (a leaked one, to revoke): what it is, without sending it anywhere. Pure: no I/O.
//
// Forms accepted (flyctl's rules, NOTES §2): `FlyV1 fm2_…,fm2_…` as `fly tokens create` prints it, the same without
// its scheme, a single macaroon (`fm2_`, `fm1r_`, `fm1a_`), an auth token `fo1_…` (`fly auth token`), with or without
// `Bearer`, an old hex auth token, and a bundle of macaroons and an auth token (flyctl's config.yml). People paste
// whole lines, so a leading `Authorization:`, `NAME=` / `export NAME=` and surrounding quotes are dropped too.
import { tokenParts } from './authHeader';

/** 'macaroons': deploy or organization token(s); 'authToken': a user's login; 'bundle': both (a login included). */
export type PastedKind = 'macaroons' | 'authToken' | 'bundle';

export type PastedProblem =
  /** nothing but whitespace, quotes or a scheme */
  | 'empty'
  /** spaces or line breaks inside a token (a wrapped line) */
  | 'broken'
  /** not shaped like any Fly.io token */
  | 'notFly'
  /** longer than any Fly.io token */
  | 'tooLong';

export type PastedToken =
  | { ok: true; kind: PastedKind; macaroons: number; authTokens: number; /** the parts, normalised */ parts: readonly string[] }
  | { ok: false; problem: PastedProblem };

const MAX_LENGTH = 64 * 1024;
const MACAROON = /^(?:fm2|fm1r|fm1a)_[A-Za-z0-9+/=_-]+$/;
const AUTH_TOKEN = /^fo1_[A-Za-z0-9_-]+$/;
const OLD_AUTH_TOKEN = /^[0-9a-f]{32,128}$/;

/** Drops what surrounds a token when a whole line was copied: quotes, `Authorization:`, `export NAME=`. */
function unwrap(text: string): string {
  let rest = text.trim();
  for (let i = 0; i < 4; i++) {
    const before = rest;
    rest = rest.replace(/^authorization\s*:\s*/i, '');
    rest = rest.replace(/^(?:export\s+)?[A-Z_][A-Z0-9_]*\s*[=:]\s*/, '');
    const quoted = /^(["'`])([\s\S]*)\1;?$/.exec(rest);
    if (quoted) rest = quoted[2];
    rest = rest.trim();
    if (rest === before) break;
  }
  return rest;
}

export function parsePastedToken(text: string): PastedToken {
  if (text.length > MAX_LENGTH) return { ok: false, problem: 'tooLong' };
  const parts = tokenParts(unwrap(text));
  if (parts.length === 0) return { ok: false, problem: 'empty' };
  const spaced = parts.filter((p) => /\s/.test(p));
  if (spaced.length > 0) return { ok: false, problem: spaced.every((p) => /^(?:fm2|fm1r|fm1a|fo1)_/.test(p)) ? 'broken' : 'notFly' };
  let macaroons = 0;
  let authTokens = 0;
  for (const part of parts) {
    if (MACAROON.test(part)) macaroons++;
    else if (AUTH_TOKEN.test(part) || OLD_AUTH_TOKEN.test(part)) authTokens++;
    else return { ok: false, problem: 'notFly' };
  }
  const kind: PastedKind = authTokens === 0 ? 'macaroons' : macaroons === 0 ? 'authToken' : 'bundle';
  return { ok: true, kind, macaroons, authTokens, parts };
}

/** The credential to authenticate with (the Authorization header is built from it by flyctl's rules). */
export function credentialOf(token: Extract<PastedToken, { ok: true }>): string {
  return token.parts.join(',');
}

/** True when the pasted token holds any part of `session` (the extension's own sign-in). */
export function sharesPartWith(token: Extract<PastedToken, { ok: true }>, session: string | undefined): boolean {
  if (!session) return false;
  const own = new Set(tokenParts(session));
  return token.parts.some((p) => own.has(p));
}
