// Which tokens deserve a second look, and why (no `vscode`): the findings of "Review Token Hygiene" and of the
// view's badge. Each reason is one sentence a person can act on; revoked tokens and flyctl's own short-lived
// housekeeping tokens are never findings. Reasons are ranked by danger: a token that still works and reaches too
// far, for too long, or for someone who left comes before one that only clutters a list (an expired token can no
// longer be used, whatever it was).
import { classifyToken, tokenAppId } from '../fly/tokenKinds';
import type { AppRef, Organization, TokenInfo } from '../fly/types';
import type { TokenRecord } from './listing';
import { tokenState } from './tokenState';

export type HygieneReason = 'expiredNotRevoked' | 'departedCreator' | 'longLived' | 'defaultName' | 'orgTokenForOneApp';

/** In the order the report shows them: live risks first (most dangerous first), then tidying. */
export const HYGIENE_REASONS: readonly HygieneReason[] = ['departedCreator', 'longLived', 'orgTokenForOneApp', 'defaultName', 'expiredNotRevoked'];

/** `risk`: the token still works and could do harm; `tidying`: it clutters lists or hides its purpose, nothing worse. */
export type HygieneTier = 'risk' | 'tidying';

export function reasonTier(reason: HygieneReason): HygieneTier {
  switch (reason) {
    case 'departedCreator':
    case 'longLived':
    case 'orgTokenForOneApp':
      return 'risk';
    case 'defaultName':
    case 'expiredNotRevoked':
      return 'tidying';
  }
}

/** A finding is a live risk when any of its reasons is. */
export function findingTier(f: Pick<Finding, 'reasons'>): HygieneTier {
  return f.reasons.some((r) => reasonTier(r) === 'risk') ? 'risk' : 'tidying';
}

/** flyctl's default names (`tokens create deploy` / `tokens create org`): they say nothing about where a token is used. */
export const FLYCTL_DEFAULT_NAMES: readonly string[] = ['flyctl deploy token', 'Org deploy token'];

/** Lifetimes above this are "over one year" (a `1y` token lives 365 days; a day of slack for leap years). */
export const LONG_LIVED_MS = 366 * 86_400_000;

export interface Finding {
  readonly record: TokenRecord;
  readonly reasons: readonly HygieneReason[];
  /** revoking applies to every finding (none is revoked); rotating to active deploy tokens of a workspace app */
  readonly canRotate: boolean;
}

export interface HygieneContext {
  now: number;
  /** members' emails per organization slug; null or absent: not known (the departed-creator reason is not judged) */
  members: ReadonlyMap<string, readonly string[] | null>;
  /** how many of the workspace's apps each organization (slug) has */
  workspaceApps: ReadonlyMap<string, number>;
}

function reasonsFor(r: TokenRecord, ctx: HygieneContext): HygieneReason[] {
  const t = r.token;
  // A token Fly could not fully send (its `revokedAt` timed out) may be revoked already: no finding either way.
  if (r.state === 'revoked' || r.state === 'unknown' || t.stateUnknown) return [];
  const kind = classifyToken(t);
  if (kind.housekeeping) return [];
  if (r.state === 'expired') return ['expiredNotRevoked'];
  const reasons: HygieneReason[] = [];
  const slug = (r.owner.organization ?? r.owner.app?.organization)?.slug;
  const members = slug !== undefined ? ctx.members.get(slug) : undefined;
  if (members && t.createdBy !== '') {
    const emails = new Set(members.map((m) => m.toLowerCase()));
    if (!emails.has(t.createdBy.toLowerCase())) reasons.push('departedCreator');
  }
  const lifetime = Date.parse(t.expiresAt) - Date.parse(t.createdAt);
  if (Number.isFinite(lifetime) && lifetime > LONG_LIVED_MS) reasons.push('longLived');
  if (FLYCTL_DEFAULT_NAMES.some((n) => n.toLowerCase() === t.name.trim().toLowerCase())) reasons.push('defaultName');
  if (kind.kind === 'orgDeploy' && slug !== undefined && ctx.workspaceApps.get(slug) === 1) reasons.push('orgTokenForOneApp');
  return reasons;
}

/** The findings among `records`, once per token, in the records' order. */
export function hygieneFindings(records: readonly TokenRecord[], ctx: HygieneContext): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const record of records) {
    if (seen.has(record.token.id)) continue;
    seen.add(record.token.id);
    const reasons = reasonsFor(record, ctx);
    if (reasons.length === 0) continue;
    const canRotate = !!record.owner.app && tokenAppId(record.token.profileParams) !== null && (record.state === 'active' || record.state === 'expiring');
    out.push(Object.freeze({ record, reasons, canRotate }));
  }
  return out;
}

/** Findings per reason (a token with two reasons is under both), in HYGIENE_REASONS order, empty reasons included. */
export function byReason(findings: readonly Finding[]): [HygieneReason, Finding[]][] {
  return HYGIENE_REASONS.map((reason) => [reason, findings.filter((f) => f.reasons.includes(reason))]);
}

/** How many findings are live risks and how many only need tidying (each finding counted once). */
export function countByTier(findings: readonly Finding[]): Record<HygieneTier, number> {
  const counts: Record<HygieneTier, number> = { risk: 0, tidying: 0 };
  for (const f of findings) counts[findingTier(f)]++;
  return counts;
}

/** An organization's tokens as records, each owned by its workspace app when the token is bound to one. */
export function orgRecords(
  organization: Organization,
  tokens: readonly TokenInfo[],
  apps: readonly AppRef[],
  now: number,
  warningDays: number,
): TokenRecord[] {
  return tokens.map((token) => {
    const appId = tokenAppId(token.profileParams);
    const app = appId !== null ? apps.find((a) => a.id === appId) : undefined;
    const owner = app ? { organization, app } : { organization };
    return Object.freeze({ token: Object.freeze({ ...token }), owner, state: tokenState(token, now, warningDays), stale: false });
  });
}
