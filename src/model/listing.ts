// What the extension last learned from Fly.io and the workspace, as one immutable value (no `vscode`): the model
// replaces it on every change, and everything else reads records derived from it.
import type { FlyErrorKind } from '../fly/errors';
import { classifyToken, tokenAppId } from '../fly/tokenKinds';
import type { AppRef, AppTokensResult, CreatedToken, Organization, PartialWarning, TokenInfo } from '../fly/types';
import type { FlyFile } from '../workspace/flyFiles';
import { sortTokens, tokenState, type TokenState } from './tokenState';

export type Scope = 'app' | 'org';
/**
 * `otherApi`: the session belongs to another API than the one in effect (its token is not sent there);
 * `confirmApi`: FLY_API_BASE_URL waits for the user's yes or no (remote window or untrusted workspace).
 */
export type ListingStatus = 'signedOut' | 'loading' | 'noFlyToml' | 'unreachable' | 'ready' | 'otherApi' | 'confirmApi';

/** An organization's tokens (organization scope), or why they could not be listed. */
export interface OrgListing {
  readonly organization: Organization;
  readonly tokens: readonly TokenInfo[] | undefined;
  readonly error: string | undefined;
  /** what kind of failure `error` is (`forbidden`: Fly refused access to this organization; the session is fine) */
  readonly errorKind?: FlyErrorKind;
  /** Fly left some tokens out (partial answer): shown on the organization's row */
  readonly warning?: PartialWarning;
}

export interface Listing {
  readonly scope: Scope;
  readonly status: ListingStatus;
  /** the workspace's fly.toml files as last read (none in Restricted Mode) */
  readonly files: readonly FlyFile[];
  readonly apps: ReadonlyMap<string, AppTokensResult>;
  readonly orgs: ReadonlyMap<string, OrgListing>;
  /** why the last refresh failed; the data above is then the last good answer */
  readonly error: string | undefined;
  /** from the last session's cache, not yet confirmed by Fly: shown, but nothing may act on it */
  readonly stale: boolean;
}

/** Where a token belongs: its app (always in app scope; in organization scope when the app is known) and organization. */
export interface TokenOwner {
  readonly app?: AppRef;
  readonly organization?: Organization;
}

/** A token as commands and rows need it. */
export interface TokenRecord {
  readonly token: Readonly<TokenInfo>;
  readonly owner: TokenOwner;
  readonly state: TokenState;
  /** from a listing not yet confirmed by Fly (it may have been revoked meanwhile): no command acts on it */
  readonly stale: boolean;
}

export interface WorkspaceApp {
  readonly name: string;
  readonly files: readonly FlyFile[];
}

export function emptyListing(scope: Scope): Listing {
  return { scope, status: 'loading', files: [], apps: new Map(), orgs: new Map(), error: undefined, stale: false };
}

/** App names in the order their files were found, once each. */
export function appNames(files: readonly FlyFile[]): string[] {
  const names = new Set<string>();
  for (const f of files) if (f.result.ok) names.add(f.result.app);
  return [...names];
}

export function workspaceApps(l: Listing): WorkspaceApp[] {
  return appNames(l.files).map((name) => ({ name, files: l.files.filter((f) => f.result.ok && f.result.app === name) }));
}

/** The app as Fly last described it (id and organization), if known. */
export function knownApp(l: Listing, name: string): AppRef | undefined {
  const r = l.apps.get(name);
  return r?.ok ? r.app : undefined;
}

/** The app a token of an organization list was made for, when the listing knows that app. */
function ownerInOrg(l: Listing, organization: Organization, t: TokenInfo): TokenOwner {
  const appId = tokenAppId(t.profileParams);
  if (appId === null) return { organization };
  for (const r of l.apps.values()) if (r.ok && r.app.id === appId) return { organization, app: r.app };
  return { organization };
}

function record(l: Listing, token: TokenInfo, owner: TokenOwner, now: number, warningDays: number): TokenRecord {
  return Object.freeze({ token, owner, state: tokenState(token, now, warningDays), stale: l.stale });
}

/** One app's tokens in row order. */
export function appTokens(l: Listing, appName: string, now: number, warningDays: number): TokenRecord[] {
  const r = l.apps.get(appName);
  if (!r?.ok) return [];
  return sortTokens(r.tokens, now).map((t) => record(l, t, { app: r.app }, now, warningDays));
}

/** One organization's tokens in row order. */
export function orgTokens(l: Listing, slug: string, now: number, warningDays: number): TokenRecord[] {
  const o = l.orgs.get(slug);
  if (!o?.tokens) return [];
  return sortTokens(o.tokens, now).map((t) => record(l, t, ownerInOrg(l, o.organization, t), now, warningDays));
}

/** flyctl's own tokens (its metrics token, its 10-minute org tokens): hidden unless the user asks for them. */
export function isHousekeeping(r: TokenRecord): boolean {
  return classifyToken(r.token).housekeeping;
}

/** Every token the current scope lists. */
export function scopeTokens(l: Listing, now: number, warningDays: number): TokenRecord[] {
  if (l.scope === 'org') return [...l.orgs.keys()].flatMap((slug) => orgTokens(l, slug, now, warningDays));
  return [...l.apps.keys()].flatMap((name) => appTokens(l, name, now, warningDays));
}

/**
 * The listing with a token just created added, as Fly would list it: an app's deploy token (`owner` is the app) or
 * an organization deploy token (`owner` is the organization).
 */
export function withCreated(l: Listing, owner: AppRef | Organization, created: CreatedToken, createdBy: string): Listing {
  const app = 'organization' in owner ? owner : undefined;
  const organization = app ? app.organization : (owner as Organization);
  const info: TokenInfo = {
    id: created.id,
    name: created.name,
    profile: app ? 'deploy' : 'deploy_organization',
    profileParams: app ? { app_id: app.id } : {},
    createdAt: created.createdAt,
    expiresAt: created.expiresAt,
    revokedAt: null,
    revokedBy: null,
    createdBy,
  };
  const apps = new Map(l.apps);
  const r = app ? l.apps.get(app.name) : undefined;
  if (app && r?.ok) apps.set(app.name, { ...r, tokens: frozenTokens([...r.tokens, info]) });
  const orgs = new Map(l.orgs);
  const o = l.orgs.get(organization.slug);
  if (o?.tokens) orgs.set(organization.slug, { ...o, tokens: frozenTokens([...o.tokens, info]) });
  return { ...l, apps, orgs };
}

/** The listing with tokens marked revoked (by `by`, at `at`), wherever they are listed. */
export function withRevoked(l: Listing, ids: readonly string[], by: string, at: string): Listing {
  const set = new Set(ids);
  const revoke = (tokens: readonly TokenInfo[]): TokenInfo[] =>
    frozenTokens(tokens.map((t) => (set.has(t.id) && !t.revokedAt ? { ...t, revokedAt: at, revokedBy: by } : t)));
  const apps = new Map([...l.apps].map(([name, r]) => [name, r.ok ? { ...r, tokens: revoke(r.tokens) } : r]));
  const orgs = new Map([...l.orgs].map(([slug, o]) => [slug, o.tokens ? { ...o, tokens: revoke(o.tokens) } : o]));
  return { ...l, apps, orgs };
}

/** Freezes what the client returned, so no reader can change the model behind its back. */
export function frozenTokens(tokens: readonly TokenInfo[]): TokenInfo[] {
  // typed mutable only because the client's result types are; any write throws at run time
  return Object.freeze(tokens.map((t) => Object.freeze({ ...t }))) as TokenInfo[];
}
