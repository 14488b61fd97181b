// Every secret the suite used or minted, kept so the last suite (leaks.test.ts) can prove that none of them reached
// a log, a setting or the state VS Code writes to disk. Each setUp() rebuilds the emulator's world with new random
// tokens, so secrets are recorded along the way rather than read at the end.
import type { Emulator } from '../../emulator';

const recorded = new Set<string>();

/** The credential parts of a token or header value: scheme dropped, split on commas. */
export function partsOf(value: string): string[] {
  return value
    .replace(/^\s*(?:(?:flyv1|bearer)\s+)+/i, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function recordSecret(...values: string[]): void {
  for (const v of values) for (const part of partsOf(v)) recorded.add(part);
}

/** The demo user's token, every user's token and every token header the emulator's world holds right now. */
export function recordWorld(emu: Emulator): void {
  recordSecret(emu.demoToken);
  for (const u of emu.world.users()) recordSecret(u.token);
  for (const t of emu.world.tokens()) recordSecret(t.header);
}

export function recordedSecrets(): string[] {
  return [...recorded];
}

/** Long enough that random base64 never matches by chance; short enough to catch a cut or wrapped token. */
export const WINDOW = 24;

/** Every WINDOW-long piece of the secrets' bodies (prefix such as `fm2_` dropped), each with the secret it came from. */
export function windowsOf(secrets: readonly string[]): Map<string, number> {
  const windows = new Map<string, number>();
  secrets.forEach((secret, index) => {
    const body = secret.replace(/^[a-z0-9]+_/, '');
    for (let i = 0; i + WINDOW <= body.length; i++) windows.set(body.slice(i, i + WINDOW), index);
  });
  return windows;
}

const TOKEN_CHARS = new RegExp(`[A-Za-z0-9+/=_-]{${WINDOW},}`, 'g');

/**
 * Where `text` holds a piece of a secret: the offset and the secret's index, or undefined. Only runs of token
 * characters are looked at, so a large file costs one regex pass plus the runs it finds.
 */
export function findLeak(text: string, windows: ReadonlyMap<string, number>): { offset: number; secret: number } | undefined {
  for (const m of text.matchAll(TOKEN_CHARS)) {
    const run = m[0];
    for (let i = 0; i + WINDOW <= run.length; i++) {
      const secret = windows.get(run.slice(i, i + WINDOW));
      if (secret !== undefined) return { offset: (m.index ?? 0) + i, secret };
    }
  }
  return undefined;
}

/** How a secret may be named in a failure message: its kind and length, never its text. */
export function describeSecret(secret: string): string {
  const prefix = /^[a-z0-9]+_/.exec(secret)?.[0] ?? '';
  return `${prefix || 'a token'}… (${secret.length} chars)`;
}
