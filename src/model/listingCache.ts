// The last listing, kept per workspace so the view paints at once on the next window open (no `vscode`).
// Token metadata only — ids, names, dates, creators; never a token — and only for the same account and API.
// What comes back from storage is checked field by field: a damaged or foreign entry is ignored, not trusted.
import { isRecord } from '../http/json';
import type { AppRef, AppTokensResult, Organization, TokenInfo } from '../fly/types';
import type { FlyFile } from '../workspace/flyFiles';
import type { Listing, OrgListing, Scope } from './listing';
import { frozenTokens } from './listing';

export const CACHE_VERSION = 1;

/** Whose listing it is: shown again only to the same account on the same API. */
export interface CacheKey {
  account: string;
  api: string;
}

interface CachedFile {
  uri: string;
  relativePath: string;
  result: FlyFile['result'];
}

export interface CachedListing {
  version: number;
  key: CacheKey;
  scope: Scope;
  savedAt: string;
  files: CachedFile[];
  apps: { name: string; app: AppRef; tokens: TokenInfo[] }[];
  orgs: { organization: Organization; tokens: TokenInfo[] }[];
}

/** What can be cached of a listing: good answers only (errors are re-asked), and no token header exists in it. */
export function toCache(l: Listing, key: CacheKey, now = new Date()): CachedListing {
  const apps = [...l.apps.values()].filter((r): r is Extract<AppTokensResult, { ok: true }> => r.ok);
  const orgs = [...l.orgs.values()].filter((o): o is OrgListing & { tokens: readonly TokenInfo[] } => !!o.tokens);
  return {
    version: CACHE_VERSION,
    key,
    scope: l.scope,
    savedAt: now.toISOString(),
    files: l.files.map((f) => ({ uri: f.uri.toString(), relativePath: f.relativePath, result: f.result })),
    apps: apps.map((r) => ({ name: r.name, app: r.app, tokens: r.tokens.map(plainToken) })),
    orgs: orgs.map((o) => ({ organization: o.organization, tokens: o.tokens.map(plainToken) })),
  };
}

function plainToken(t: TokenInfo): TokenInfo {
  // field by field: nothing else a future TokenInfo may carry is written to disk unseen
  const { id, name, profile, profileParams, createdAt, expiresAt, revokedAt, revokedBy, createdBy } = t;
  // a token whose state Fly could not send must not come back from the cache as an active one
  const unknown = t.stateUnknown ? { stateUnknown: true } : {};
  return { id, name, profile, profileParams, createdAt, expiresAt, revokedAt, revokedBy, createdBy, ...unknown };
}

/**
 * The cached listing as a stale Listing, or undefined when there is none for this key and scope, or it is damaged.
 * `file` turns a cached file back into a FlyFile (undefined: the file's folder is no longer in the workspace).
 */
export function fromCache(raw: unknown, key: CacheKey, scope: Scope, file: (uri: string, relativePath: string, result: FlyFile['result']) => FlyFile | undefined): Listing | undefined {
  if (!isRecord(raw) || raw.version !== CACHE_VERSION || raw.scope !== scope) return undefined;
  if (!isRecord(raw.key) || raw.key.account !== key.account || raw.key.api !== key.api) return undefined;
  if (!Array.isArray(raw.files) || !Array.isArray(raw.apps) || !Array.isArray(raw.orgs)) return undefined;
  const files: FlyFile[] = [];
  for (const f of raw.files) {
    if (!isRecord(f) || typeof f.uri !== 'string' || typeof f.relativePath !== 'string' || !isFileResult(f.result)) return undefined;
    const back = file(f.uri, f.relativePath, f.result);
    if (back) files.push(back);
  }
  const apps = new Map<string, AppTokensResult>();
  for (const a of raw.apps) {
    if (!isRecord(a) || typeof a.name !== 'string' || !isAppRef(a.app) || !isTokenList(a.tokens)) return undefined;
    apps.set(a.name, { name: a.name, ok: true, app: a.app, tokens: frozenTokens(a.tokens) });
  }
  const orgs = new Map<string, OrgListing>();
  for (const o of raw.orgs) {
    if (!isRecord(o) || !isOrganization(o.organization) || !isTokenList(o.tokens)) return undefined;
    orgs.set(o.organization.slug, { organization: o.organization, tokens: frozenTokens(o.tokens), error: undefined });
  }
  return { scope, status: 'ready', stale: true, files, apps, orgs, error: undefined };
}

function isFileResult(v: unknown): v is FlyFile['result'] {
  return isRecord(v) && ((v.ok === true && typeof v.app === 'string') || (v.ok === false && typeof v.message === 'string'));
}

function isOrganization(v: unknown): v is Organization {
  return isRecord(v) && typeof v.id === 'string' && typeof v.slug === 'string' && typeof v.name === 'string';
}

function isAppRef(v: unknown): v is AppRef {
  return isRecord(v) && typeof v.id === 'string' && typeof v.name === 'string' && isOrganization(v.organization);
}

function isTokenList(v: unknown): v is TokenInfo[] {
  return (
    Array.isArray(v) &&
    v.every(
      (t) =>
        isRecord(t) &&
        typeof t.id === 'string' &&
        typeof t.name === 'string' &&
        typeof t.profile === 'string' &&
        typeof t.createdAt === 'string' &&
        typeof t.expiresAt === 'string' &&
        (t.revokedAt === null || typeof t.revokedAt === 'string') &&
        (t.revokedBy === null || typeof t.revokedBy === 'string') &&
        typeof t.createdBy === 'string',
    )
  );
}
