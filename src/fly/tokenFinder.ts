// Finds Fly.io credentials in text (a file, a document's changed lines). Pure: no I/O, no vscode.
//
// Shapes (flyctl ad0172f internal/config/tokens.go, superfly/macaroon 8578343 flyio/tokens.go): a macaroon part is
// `fm2_` (or the older `fm1r_` / `fm1a_`) + standard base64; a user's auth token is `fo1_` + base64url
// (`fly auth token`); a header value is `FlyV1 ` + parts joined by commas; flyctl's config keeps bundles (macaroons
// and a `fo1_` token joined by commas). A finding holds offsets, never the text: callers read the token from their
// own copy when (and only when) the user asks for something that needs it.
import { createHash } from 'crypto';

export type FoundKind =
  /** deploy / organization / other macaroon token(s) only */
  | 'macaroons'
  /** a user's login (`fo1_…`) */
  | 'authToken'
  /** macaroons and a login together (flyctl's config): the login makes it as strong as the auth token */
  | 'bundle';

export interface FoundToken {
  /** offset of the first character (the `FlyV1` scheme when present) */
  start: number;
  /** offset after the last character */
  end: number;
  kind: FoundKind;
  macaroons: number;
  authTokens: number;
}

// Real macaroon parts are hundreds of characters; 40 keeps `fm2_example` in prose and code from being flagged.
const MACAROON_PART = String.raw`(?:fm2|fm1r|fm1a)_[A-Za-z0-9+/]{40,}={0,2}`;
// A `fo1_` token is 43 base64url characters after the prefix; 20 leaves room for older or shorter forms.
const AUTH_PART = String.raw`fo1_[A-Za-z0-9_-]{20,}`;
const PART = `(?:${MACAROON_PART}|${AUTH_PART})`;
// Parts are joined by commas, sometimes with spaces (hand-edited files); never across a line break.
const TOKEN = new RegExp(String.raw`(?<![A-Za-z0-9_+/-])(?:(?:FlyV1|Bearer)[ \t]+)?${PART}(?:[ \t]*,[ \t]*${PART})*(?![A-Za-z0-9_+/=-])`, 'g');
const SCHEME = /^(?:FlyV1|Bearer)[ \t]+/;

/** Every Fly.io credential in `text`, in order. `offset` is added to each position (for a slice of a document). */
export function findTokens(text: string, offset = 0): FoundToken[] {
  const found: FoundToken[] = [];
  // A cheap test first: most files hold none of the prefixes, and the regex then never runs.
  if (!text.includes('fm2_') && !text.includes('fo1_') && !text.includes('fm1r_') && !text.includes('fm1a_')) return found;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const parts = tokenPartsOf(m[0]);
    const authTokens = parts.filter((p) => p.startsWith('fo1_')).length;
    const macaroons = parts.length - authTokens;
    const kind: FoundKind = authTokens === 0 ? 'macaroons' : macaroons === 0 ? 'authToken' : 'bundle';
    found.push({ start: offset + m.index, end: offset + m.index + m[0].length, kind, macaroons, authTokens });
  }
  return found;
}

/** The parts of a found token's text (scheme dropped, commas and spaces removed). */
export function tokenPartsOf(tokenText: string): string[] {
  return tokenText
    .replace(SCHEME, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** The credential as one comma-joined value, whatever spacing or scheme it was written with. */
export function credentialOfText(tokenText: string): string {
  return tokenPartsOf(tokenText).join(',');
}

/**
 * What may be shown of a token: its first part's prefix and its last 4 characters (24 bits of a signature or a
 * random value: enough to tell two findings apart, far too little to use). Never more.
 */
export function redacted(tokenText: string): string {
  const parts = tokenPartsOf(tokenText);
  const first = parts[0] ?? '';
  const prefix = first.slice(0, first.indexOf('_') + 1);
  const last = parts[parts.length - 1] ?? '';
  const more = parts.length > 1 ? ` (+${parts.length - 1})` : '';
  return `${prefix}…${last.slice(-4)}${more}`;
}

/**
 * A one-way fingerprint of the credential, to remember "ignore this one" without keeping the token: a SHA-256 over
 * the normalised value, salted with a per-use label so the stored value matches no other hash of the same token.
 */
export function fingerprint(tokenText: string): string {
  return createHash('sha256').update('fly-deploy-tokens/ignore\0').update(credentialOfText(tokenText)).digest('hex').slice(0, 32);
}

/** How a file looks before it is read as text: the scan skips binary files (a NUL in the first 8 KB, as git does). */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}
