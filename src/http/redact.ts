// Keeping credentials out of text: every message, log line and error detail goes through scrubSecrets.

const REDACTED = '[redacted]';
const SECRET_PATTERNS: RegExp[] = [
  // A whole header value, scheme included: everything up to the next space is credentials.
  /\b(?:FlyV1|Bearer)\s+[^\s"'<>]+/gi,
  /\b(?:fm1r|fm1a|fm2|fo1)_[A-Za-z0-9+/=_\-.]*/g,
  // Long opaque runs (old hex tokens, bare base64) are never useful in a message and may be secrets.
  /[A-Za-z0-9+/=_-]{40,}/g,
];

/**
 * Removes anything token-like from text the server (or a proxy) sent before it reaches a message.
 * `secrets` are literal strings to remove as well, e.g. the parts of the token in use.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Server text shortened to something that fits in one sentence. */
export function summarise(text: string, max = 160): string {
  const flat = scrubSecrets(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
