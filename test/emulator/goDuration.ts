// The emulator's own reading of a token's `expiry`: the grammar of Go's time.ParseDuration, written here from Go's
// documented rules and kept apart from the extension's parser (src/fly/duration.ts), so that a lifetime text the
// extension sends and Fly would reject fails a test instead of being judged by the code under test.
// Grammar: [-+]? ( digits? ( '.' digits? )? unit )+ , or "0" alone; units ns us µs μs ms s m h; int64 nanoseconds.
// That Fly's server reads `expiry` this way is a guess beyond the texts flyctl is seen to send (NOTES §7).

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // micro sign
  ['\u03bcs', 1_000n], // Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const LIMIT = 1n << 63n;

export type GoDurationResult = { ok: true; ns: bigint } | { ok: false; error: string };

const quote = (s: string) => JSON.stringify(s);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Go's time.ParseDuration, with Go's error texts ("time: invalid duration …", "time: missing unit …", …). */
export function goParseDuration(text: string): GoDurationResult {
  const invalid: GoDurationResult = { ok: false, error: `time: invalid duration ${quote(text)}` };
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0n };
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      if (whole > LIMIT / 10n) return invalid;
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > LIMIT) return invalid;
      i++;
    }
    const hasWhole = i > 0;
    let hasFraction = false;
    let fraction = 0n;
    let scale = 1n;
    if (s[i] === '.') {
      i++;
      let overflowed = false;
      while (isDigit(s[i])) {
        hasFraction = true;
        // Digits past what an int64 holds are read and dropped, as Go does.
        if (!overflowed) {
          const next = fraction > LIMIT / 10n ? LIMIT + 1n : fraction * 10n + BigInt(s.charCodeAt(i) - 48);
          if (next > LIMIT) overflowed = true;
          else {
            fraction = next;
            scale *= 10n;
          }
        }
        i++;
      }
    }
    if (!hasWhole && !hasFraction) return invalid;
    s = s.slice(i);
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) return { ok: false, error: `time: missing unit in duration ${quote(text)}` };
    const unitText = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS.get(unitText);
    if (unit === undefined) return { ok: false, error: `time: unknown unit ${quote(unitText)} in duration ${quote(text)}` };
    if (whole > LIMIT / unit) return invalid;
    let value = whole * unit;
    if (fraction > 0n) {
      // Go adds float64(f) * (float64(unit) / scale), truncated.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / Number(scale))));
      if (value > LIMIT) return invalid;
    }
    total += value;
    if (total > LIMIT) return invalid;
  }
  if (negative) return { ok: true, ns: -total };
  if (total > LIMIT - 1n) return invalid;
  return { ok: true, ns: total };
}
