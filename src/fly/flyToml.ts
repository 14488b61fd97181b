// fly.toml → the app name, as flyctl reads it (top-level string key `app`).
import { TomlError, parse } from 'smol-toml';

export type FlyTomlResult = { ok: true; app: string } | { ok: false; message: string; line?: number; column?: number };

const NO_APP = 'no app name (add `app = "name"` to this file)';

export function parseFlyToml(text: string): FlyTomlResult {
  // Line numbers are reported for CRLF files too; smol-toml counts either ending as one line.
  const source = text.replace(/^\uFEFF/, '');
  let doc: Record<string, unknown>;
  try {
    doc = parse(source);
  } catch (err) {
    if (err instanceof TomlError) {
      const message = `line ${err.line}, column ${err.column}: ${shortReason(err.message)}`;
    return { ok: false, message, line: err.line, column: err.column };
    }
    return { ok: false, message: `not readable as TOML: ${err instanceof Error ? shortReason(err.message) : String(err)}` };
  }
  const app = doc.app;
  if (app === undefined) return { ok: false, message: NO_APP };
  if (typeof app !== 'string') return { ok: false, message: '`app` must be a string' };
  if (app.trim() === '') return { ok: false, message: NO_APP };
  return { ok: true, app };
}

/** smol-toml's message carries a code excerpt after the reason; only the reason fits in a one-line diagnostic. */
function shortReason(message: string): string {
  const first = message.split(/\r?\n/)[0] ?? message;
  return first.replace(/^Invalid TOML document:\s*/, '').trim() || 'invalid TOML';
}

/** `fly.toml` and `fly.<anything>.toml` (e.g. fly.staging.toml), with or without a directory in front. */
export function isFlyTomlName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return /^fly\.(?:.+\.)?toml$/.test(base);
}
