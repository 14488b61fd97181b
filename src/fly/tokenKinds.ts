// What a listed token is for, read from its `profile`, `profileParams` and name. Pure: no I/O, no vscode.
//
// Facts (flyctl ad0172f): internal/command/tokens/create.go mints `deploy` (+{app_id}) for deploy, SSH and
// machine-exec tokens (the latter two attenuated locally, so the server only sees their default names),
// `deploy_organization` (+{}) for org deploy, read-only org and WireGuard tokens, `litefs_cloud` (+{cluster}).
// Names are user-chosen except for housekeeping tokens, so a kind read from a name is marked `fromName`.
// Housekeeping (flyctl making tokens for itself) is told by name, profile and lifetime together, see FLYCTL_OWN_MINTS;
// internal/metrics/token.go's `identity` token "flyctl-metrics" asks for Fly's default lifetime, so its name and
// profile are all there is to tell it by (an identity token deploys nothing).
import { isRecord } from '../http/json';
import type { TokenInfo } from './types';

export type TokenKind =
  | 'deploy'
  | 'ssh'
  | 'machineExec'
  | 'orgDeploy'
  | 'orgReadOnly'
  | 'wireGuard'
  | 'liteFsCloud'
  | 'flyctlMetrics'
  | 'flyctlSession'
  | 'flyctlSynthetics'
  | 'flyctlStaticsPush'
  | 'flyctlKubernetes'
  | 'flyctlImageScan'
  | 'flyctlLiteFs'
  | 'identity'
  | 'registry'
  | 'other';

export interface TokenKindInfo {
  kind: TokenKind;
  /** flyctl made it for itself (metrics, its short-lived tokens): hidden unless the user asks to see them */
  housekeeping: boolean;
  /** the kind was told by flyctl's default name, which a user may have changed */
  fromName: boolean;
  /** the profile exactly as Fly sent it (for tooltips) */
  profile: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How far a listed lifetime (expiresAt − createdAt) may stray from the expiry flyctl asked for and still be
 * flyctl's. Fly renders both dates to the second, and takes them at two moments of one request (the row's insert,
 * the macaroon's validity window), so a real housekeeping token is off by seconds; five minutes also absorbs a
 * rounding to the minute we cannot rule out. It is also the bound on abuse: a token can only hide by living as
 * briefly as flyctl's own, at most one hour and five minutes, after which it is expired and useless.
 */
export const HOUSEKEEPING_TOLERANCE_MS = 5 * MINUTE;

interface FlyctlMint {
  kind: TokenKind;
  profile: string;
  name: string;
  lifetimeMs: number;
}

/**
 * Every token flyctl (ad0172f) or its agent mints for itself with a fixed expiry, as the name, profile and expiry
 * it passes to CreateLimitedAccessToken. Any other token, whatever it is called, is the user's.
 */
export const FLYCTL_OWN_MINTS: readonly FlyctlMint[] = [
  // internal/config/tokens.go (`defaultTokenMinter`): one per organization its config bundle has no macaroon for.
  { kind: 'flyctlSession', profile: 'deploy_organization', name: 'flyctl', lifetimeMs: 10 * MINUTE },
  // internal/metrics/synthetics/token.go (`getOrgReadOnlyToken`, since 74a9fb4): one per organization each time
  // the agent starts (agent/server/server.go, `StartSyntheticsMonitoringAgent`).
  { kind: 'flyctlSynthetics', profile: 'flynthetics_read', name: 'Flynthetics read-only token', lifetimeMs: HOUR },
  // internal/command/deploy/statics/util.go (`getPushToken`): a deploy that pushes static files.
  { kind: 'flyctlStaticsPush', profile: 'deploy_organization', name: 'Flyctl statics push token', lifetimeMs: HOUR },
  // internal/command/extensions/kubernetes/auth.go (`makeOrgToken`): FKS credentials.
  { kind: 'flyctlKubernetes', profile: 'deploy_organization', name: 'FKS org deploy token', lifetimeMs: HOUR },
  // internal/command/registry/scantron.go (`makeScantronToken`, `scantronTokenLife`): image scans and SBOMs.
  { kind: 'flyctlImageScan', profile: 'registry_token', name: 'ScantronToken', lifetimeMs: 5 * MINUTE },
  // internal/command/lfsc/lfsc.go (`tokenExpiry`): every `fly litefs-cloud` command.
  { kind: 'flyctlLiteFs', profile: 'litefs_cloud', name: 'flyctl-lfsc', lifetimeMs: MINUTE },
];

/**
 * `profileParams` as an object, whether Fly sends the JSON scalar as an object or as JSON text.
 * Anything else (null, a number, unparsable text, an array) gives an empty object.
 */
export function profileParamsOf(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isRecord(parsed)) return parsed;
    } catch {
      // not JSON: no params we can read
    }
  }
  return {};
}

/** The app id a token is bound to, as text (Fly may send a string or a number); null when none. */
export function tokenAppId(profileParams: unknown): string | null {
  const id = profileParamsOf(profileParams).app_id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return null;
}

/** Whether a token belongs to the app with this id (ids compared as text). */
export function isTokenOfApp(token: Pick<TokenInfo, 'profileParams'>, appId: string | number): boolean {
  const id = tokenAppId(token.profileParams);
  return id !== null && id === String(appId);
}

export function classifyToken(token: Pick<TokenInfo, 'profile' | 'name' | 'createdAt' | 'expiresAt'>): TokenKindInfo {
  const profile = token.profile;
  const normalized = profile.trim().toLowerCase();
  const name = token.name.trim();
  const info = (kind: TokenKind, fromName = false, housekeeping = false): TokenKindInfo => ({ kind, housekeeping, fromName, profile });
  const own = FLYCTL_OWN_MINTS.find((m) => m.profile === normalized && m.name === name && isLifetimeOf(token, m.lifetimeMs));
  if (own) return info(own.kind, true, true);
  switch (normalized) {
    case 'deploy':
      if (name === 'flyctl ssh token') return info('ssh', true);
      if (name === 'flyctl machine-exec token') return info('machineExec', true);
      return info('deploy');
    case 'deploy_organization':
      if (name === 'Read-only org token') return info('orgReadOnly', true);
      if (name === 'WireGuard token') return info('wireGuard', true);
      return info('orgDeploy');
    case 'litefs_cloud':
      return info('liteFsCloud');
    case 'identity':
      return name === 'flyctl-metrics' ? info('flyctlMetrics', true, true) : info('identity');
    case 'registry_token':
      return info('registry');
    default:
      return info('other');
  }
}

/** Whether the token lived as long as flyctl asked for, give or take HOUSEKEEPING_TOLERANCE_MS (never 0 or less). */
function isLifetimeOf(token: Pick<TokenInfo, 'createdAt' | 'expiresAt'>, nominalMs: number): boolean {
  const span = Date.parse(token.expiresAt) - Date.parse(token.createdAt);
  return Number.isFinite(span) && span > 0 && Math.abs(span - nominalMs) <= HOUSEKEEPING_TOLERANCE_MS;
}
