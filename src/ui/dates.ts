// Every date the extension shows or names: "in 3 months", "Mon, 3 Mar 2027, 14:05", "2027-03-03" (no `vscode`).
const DAY_MS = 86_400_000;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "in 3 months", "2 days ago", "tomorrow" in the given locale; `short`: "in 3 mo.", for a narrow sidebar. */
export function relativeTime(target: number, now: number, locale = 'en', style: 'long' | 'short' = 'long'): string {
  const rtf = cached(style === 'short' ? shortRelativeFormats : relativeFormats, locale, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto', style }));
  const diff = target - now;
  const abs = Math.abs(diff);
  // A token made for 30 days is looked at a few seconds later: still "next month", not "in 4 weeks".
  for (const [unit, ms] of UNITS) {
    if (abs >= ms * 0.99 || unit === 'second') {
      return rtf.format(Math.round(diff / ms), unit);
    }
  }
  return rtf.format(0, 'second');
}

/** Absolute local time for tooltips: "Mon, 3 Mar 2027, 14:05". */
export function absoluteTime(iso: string, locale = 'en'): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return cached(dateFormats, locale, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(t);
}

// Making a formatter costs far more than using one (a 1,000-row tree made 3,000 of them): one per locale.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const shortRelativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, locale: string, make: (locale: string) => F): F {
  let f = cache.get(locale);
  if (!f) {
    try {
      f = make(locale);
    } catch {
      f = make('en'); // an unknown locale tag
    }
    cache.set(locale, f);
  }
  return f;
}

/** The local calendar day, "2027-03-03": default token names and once-a-day notifications. */
export function localDay(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
