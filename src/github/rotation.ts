// Pure helpers for rotating a deploy token: the new name and the old lifetime.

const HOUR_MS = 3_600_000;

function isoDate(now: Date): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** The old name with its date (YYYY-MM-DD) replaced by today's, or today's date appended. */
export function rotatedName(oldName: string, now = new Date()): string {
  const today = isoDate(now);
  const name = oldName.trim();
  if (/\d{4}-\d{2}-\d{2}/.test(name)) return name.replace(/\d{4}-\d{2}-\d{2}(?!.*\d{4}-\d{2}-\d{2})/, today);
  return name ? `${name}-${today}` : `deploy-${today}`;
}

/** The old token's lifetime in whole hours (at least one), or undefined when its dates can't be read. */
export function lifetimeHours(createdAt: string, expiresAt: string): number | undefined {
  const from = Date.parse(createdAt);
  const to = Date.parse(expiresAt);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return undefined;
  return Math.max(1, Math.round((to - from) / HOUR_MS));
}

/** "90 days", "1 year", "36 hours" for a lifetime in hours. */
export function describeHours(hours: number): string {
  if (hours % (24 * 365) === 0) return hours === 24 * 365 ? '1 year' : `${hours / (24 * 365)} years`;
  if (hours % 24 === 0) return hours === 24 ? '1 day' : `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
