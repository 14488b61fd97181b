// Identifiers and secrets that look like Fly's. Ids are deterministic (a counter per kind) so a reset world
// has the same ids; secrets are random so no test can depend on one.
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** An opaque, stable id such as "k3v9x0q2m7w1z5r8" derived from a kind and a sequence number. */
export function opaqueId(kind: string, n: number, length = 16): string {
  const digest = createHash('sha256').update(`${kind}:${n}`).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i] % ALPHABET.length];
  return out;
}

/** A user's auth token as `fly auth login` stores it: `fo1_` + random. */
export function userAuthToken(): string {
  return 'fo1_' + randomBytes(32).toString('base64url');
}

/** The value of LimitedAccessToken.token: an identifier of the macaroon's root, not a credential. */
export function macaroonRoot(): string {
  return randomBytes(16).toString('hex');
}
