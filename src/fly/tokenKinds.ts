// What a listed token is for, read from its `profile`, `profileParams` and name. Pure: no I/O, no vscode.
//
// Facts (flyctl ad0172f): internal/command/tokens/create.go mints `deploy` (+{app_id}) for deploy, SSH and
// machine-exec tokens (the latter two attenuated locally, so the server only sees their default names),
// `deploy_organization` (+{}) for org deploy, read-only org and WireGuard tokens, `litefs_cloud` (+{cluster}).
// Housekeeping: internal/metrics/token.go mints `identity` named "flyctl-metrics"; internal/config/tokens.go mints
// `deploy_organization` named "flyctl" with a 10-minute expiry for every organization a bundle lacks a macaroon for.
// Names are user-chosen except for housekeeping tokens, so a kind read from a name is marked `fromName`.
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
  | 'identity'
  | 'registry'
  | 'other';

export interface TokenKindInfo {
  kind: TokenKind;
  /** flyctl made it for itself (metrics, its short-lived org tokens): hidden unless the user asks to see them */
  housekeeping: boolean;
  /** the kind was told by flyctl's default name, which a user may have changed */
  fromName: boolean;
  /** the profile exactly as Fly sent it (for tooltips) */
  profile: string;
}

/** Longest lifetime flyctl's own org tokens have (it asks for "10m"); a little slack for clock skew. */
const HOUSEKEEPING_MAX_LIFETIME_MS = 15 * 60 * 1000;

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
  const name = token.name.trim();
  const info = (kind: TokenKind, fromName = false, housekeeping = false): TokenKindInfo => ({ kind, housekeeping, fromName, profile });
  switch (profile.trim().toLowerCase()) {
    case 'deploy':
      if (name === 'flyctl ssh token') return info('ssh', true);
      if (name === 'flyctl machine-exec token') return info('machineExec', true);
      return info('deploy');
    case 'deploy_organization':
      if (name === 'flyctl' && lifetimeMs(token) <= HOUSEKEEPING_MAX_LIFETIME_MS) return info('flyctlSession', true, true);
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

function lifetimeMs(token: Pick<TokenInfo, 'createdAt' | 'expiresAt'>): number {
  const span = Date.parse(token.expiresAt) - Date.parse(token.createdAt);
  return Number.isNaN(span) ? Number.POSITIVE_INFINITY : span;
}
