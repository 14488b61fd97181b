// Token lifetimes: what people type ("90d", "1y", "1h30m") and what Fly's API takes (Go's time.Duration text).

const NS = { ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n } as const;
const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const DAY = 24n * HOUR;
const UNIT_NS: Record<string, bigint> = {
  ...NS,
  m: MINUTE,
  h: HOUR,
};
/** Units people use for token lifetimes that Go does not know. A year is 365 days, as Fly's dashboard counts. */
const HUMAN_UNIT_NS: Record<string, bigint> = {
  ...UNIT_NS,
  d: DAY,
  w: 7n * DAY,
  y: 365n * DAY,
};
const HUMAN_ALIASES: Record<string, string> = {
  sec: 's', secs: 's', second: 's', seconds: 's',
  min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  day: 'd', days: 'd', week: 'w', weeks: 'w', wk: 'w', wks: 'w',
  year: 'y', years: 'y', yr: 'y', yrs: 'y',
};

/** Go's time.Duration is an int64 of nanoseconds. */
export const MAX_DURATION_NS = 9_223_372_036_854_775_807n;

export const ACCEPTED_DURATIONS =
  'Use a positive duration such as 30d, 2w, 1y, 720h or 1h30m (units: y, w, d, h, m, s), at most about 292 years.';

export type DurationResult =
  | { ok: true; ns: bigint; go: string }
  | { ok: false; message: string };

function parseWith(input: string, units: Record<string, bigint>, aliases: Record<string, string>): bigint | string {
  let s = input.trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') return 'empty';
  let sign = 1n;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  // Go allows a negative duration down to -2^63 ns, one more than the positive maximum.
  const limit = sign < 0n ? MAX_DURATION_NS + 1n : MAX_DURATION_NS;
  let total = 0n;
  let rest = s;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return 'syntax';
    const unitName = aliases[m[3]] ?? m[3];
    const unit = units[unitName];
    if (unit === undefined) return 'unit';
    const whole = BigInt(m[1] || '0');
    let value = whole * unit;
    const frac = m[2] ?? '';
    if (frac.length > 0) value += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += value;
    if (total > limit) return 'overflow';
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Parses Go's duration syntax exactly as time.ParseDuration accepts it (units ns, us, µs, ms, s, m, h). */
export function parseGoDuration(input: string): bigint | null {
  if (/\s/.test(input) || input !== input.toLowerCase()) return null;
  const r = parseWith(input, UNIT_NS, {});
  return typeof r === 'bigint' ? r : null;
}

/** Formats nanoseconds the way Go's Duration.String() does: "2160h0m0s", "1h30m0s", "30s", "1.5s", "0s". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < SECOND) {
    const [unit, size] = u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = fixed(u, size) + unit;
  } else {
    const h = u / HOUR;
    u -= h * HOUR;
    const m = u / MINUTE;
    u -= m * MINUTE;
    const secs = fixed(u, SECOND) + 's';
    out = h > 0n ? `${h}h${m}m${secs}` : m > 0n ? `${m}m${secs}` : secs;
  }
  return neg ? '-' + out : out;
}

function fixed(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const frac = value % unit;
  if (frac === 0n) return whole.toString();
  const digits = unit.toString().length - 1;
  return `${whole}.${frac.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/**
 * Reads a token lifetime as a person types it ("90d", "2 weeks", "1y2d", "720h", "1h30m") and gives Go's canonical
 * form for Fly's API ("2160h0m0s"). Zero, negative, unknown units and more than Go can hold are refused.
 */
export function parseExpiry(input: string): DurationResult {
  const r = parseWith(input, HUMAN_UNIT_NS, HUMAN_ALIASES);
  if (r === 'empty') return { ok: false, message: `Enter a token lifetime. ${ACCEPTED_DURATIONS}` };
  if (r === 'overflow') return { ok: false, message: `"${input.trim()}" is too long for Fly (at most about 292 years). ${ACCEPTED_DURATIONS}` };
  if (typeof r === 'string') return { ok: false, message: `"${input.trim()}" is not a duration. ${ACCEPTED_DURATIONS}` };
  if (r === 0n) return { ok: false, message: `A token lifetime must be more than zero. ${ACCEPTED_DURATIONS}` };
  if (r < 0n) return { ok: false, message: `A token lifetime cannot be negative. ${ACCEPTED_DURATIONS}` };
  if (r < SECOND) return { ok: false, message: `A token lifetime must be at least one second. ${ACCEPTED_DURATIONS}` };
  return { ok: true, ns: r, go: formatGoDuration(r) };
}
