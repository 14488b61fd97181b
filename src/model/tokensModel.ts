import * as vscode from 'vscode';
import { FlyError, NetworkError, UnauthorizedError } from '../fly/errors';
import type { FlyClient } from '../fly/client';
import type { AppRef, CreatedToken, Organization } from '../fly/types';
import type { Log } from '../log';
import { apiOrigin, readSettings, resolveApiBaseUrl } from '../settings/fly';
import type { FlyFiles } from '../workspace/flyFiles';
import {
  appNames,
  emptyListing,
  frozenTokens,
  isHousekeeping,
  knownApp,
  scopeTokens,
  withCreated,
  withRevoked,
  workspaceApps,
  type Listing,
  type ListingStatus,
  type OrgListing,
  type Scope,
  type TokenRecord,
  type WorkspaceApp,
} from './listing';
import { fromCache, toCache, type CacheKey } from './listingCache';

const SCOPE_KEY = 'flyTokens.scope';
const EXTRA_ORGS_KEY = 'flyTokens.extraOrgs';
const CACHE_KEY = 'flyTokens.lastListing';

/** What the model needs of the Fly session (FlyAuth). */
export interface Session {
  account(): Promise<{ email: string; kind?: string } | undefined>;
  /** the API origin the session belongs to */
  sessionApi(): Promise<string | undefined>;
  readonly isInvalid: boolean;
  markInvalid(): void;
  readonly onDidChangeState: vscode.Event<unknown>;
}

export interface TokensModelOptions {
  memento: vscode.Memento;
  session: Session;
  flyFiles: FlyFiles;
  client: () => FlyClient;
  log: Log;
  /** wraps a request to Fly (the view shows its progress bar meanwhile) */
  busy?: <T>(task: () => Promise<T>) => Thenable<T>;
}

/**
 * The tokens of the workspace's apps (or of organizations), as last fetched. It holds one immutable Listing and
 * replaces it on every change; a failed refresh keeps the last good data and records why. All apps' tokens come in
 * one request; create and revoke update the listing without another one. Builds no rows: the tree and the
 * commands read records.
 */
export class TokensModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Listing>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private current: Listing;
  private filesRead = false;
  /** the first load looks at the last session's listing once */
  private painted = false;
  /** whose listing the cache holds: this account on this API (none while signed out) */
  private cacheKey: CacheKey | undefined;
  private running: Promise<void> | undefined;
  private again: { rescan: boolean; onlyIfAppsChanged: boolean } | undefined;
  /** the session state (account, kind, valid, API) the listing was last loaded for */
  private sessionSeen: string | undefined;

  constructor(private readonly o: TokensModelOptions) {
    this.current = emptyListing(o.memento.get<Scope>(SCOPE_KEY) === 'org' ? 'org' : 'app');
    void vscode.commands.executeCommand('setContext', 'flyTokens.scope', this.current.scope);
    this.disposables.push(
      // A fly.toml saved without changing which apps the workspace names needs no request (issue 10, item 8).
      o.flyFiles.onDidChange(() => void this.refresh({ rescan: true, onlyIfAppsChanged: true })),
      o.session.onDidChangeState(() => void this.onSessionChange()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh({ rescan: true })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flyTokens.apiBaseUrl')) void this.refresh();
      }),
    );
  }

  get listing(): Listing {
    return this.current;
  }

  get scope(): Scope {
    return this.current.scope;
  }

  async setScope(scope: Scope): Promise<void> {
    this.replace({ ...this.current, scope });
    await this.o.memento.update(SCOPE_KEY, scope);
    await vscode.commands.executeCommand('setContext', 'flyTokens.scope', scope);
    await this.refresh();
  }

  /** Organizations the user added with "Choose another organization…". */
  private get extraOrgs(): string[] {
    return this.o.memento.get<string[]>(EXTRA_ORGS_KEY) ?? [];
  }

  async addOrganization(slug: string): Promise<void> {
    if (!this.extraOrgs.includes(slug)) await this.o.memento.update(EXTRA_ORGS_KEY, [...this.extraOrgs, slug]);
    if (this.scope !== 'org') await this.setScope('org');
    else await this.refresh();
  }

  private async sessionKey(): Promise<string> {
    const account = await this.o.session.account();
    const api = (await this.o.session.sessionApi()) ?? null;
    return JSON.stringify([account?.email ?? null, account?.kind ?? null, this.o.session.isInvalid, api]);
  }

  /**
   * The session changed state. A sign-in announces itself more than once (the stored secret's change event and the
   * sign-in's own); only a state the listing was not loaded for is worth a request (issue 10, item 8).
   */
  private async onSessionChange(): Promise<void> {
    const key = await this.sessionKey();
    if (key === this.sessionSeen) return;
    this.sessionSeen = key;
    await this.refresh();
  }

  /** Resolves once no refresh is running (tests and the bench count requests after it). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Refreshes; calls made while one runs are folded into one more run. */
  refresh(opts: { rescan?: boolean; onlyIfAppsChanged?: boolean } = {}): Promise<void> {
    if (this.running) {
      this.again = {
        rescan: (this.again?.rescan ?? false) || !!opts.rescan,
        onlyIfAppsChanged: (this.again?.onlyIfAppsChanged ?? true) && !!opts.onlyIfAppsChanged,
      };
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.load(!!opts.rescan || !this.filesRead, !!opts.onlyIfAppsChanged);
        while (this.again) {
          const next = this.again;
          this.again = undefined;
          await this.load(next.rescan, next.onlyIfAppsChanged);
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  // What commands and warnings read

  workspaceApps(): WorkspaceApp[] {
    return workspaceApps(this.current);
  }

  knownApp(name: string): AppRef | undefined {
    return knownApp(this.current, name);
  }

  /** Every token the current scope lists, with its state as of now. */
  tokens(now = Date.now()): TokenRecord[] {
    const settings = readSettings();
    const all = scopeTokens(this.current, now, settings.expiryWarningDays);
    return settings.showFlyctlTokens ? all : all.filter((r) => !isHousekeeping(r));
  }

  /**
   * The current scope's tokens once Fly has confirmed them: while the view shows the last session's listing, this
   * waits for the refresh; if that fails, it returns none rather than tokens that may have been revoked meanwhile.
   */
  async freshTokens(): Promise<TokenRecord[]> {
    if (this.current.stale) await this.refresh();
    return this.current.stale ? [] : this.tokens();
  }

  /** Shows a token just created without asking Fly again. */
  recordCreated(owner: AppRef | Organization, created: CreatedToken, createdBy: string): void {
    this.replace(withCreated(this.current, owner, created, createdBy));
    this.save();
  }

  /** Marks tokens revoked without asking Fly again. */
  recordRevoked(ids: readonly string[], by: string): void {
    if (ids.length === 0) return;
    this.replace(withRevoked(this.current, ids, by, new Date().toISOString()));
    this.save();
  }

  /** Paints the last session's listing for this account and API, marked stale, before anything is asked. */
  private async paintFromCache(): Promise<void> {
    if (!this.cacheKey || !vscode.workspace.isTrusted) return;
    const cached = fromCache(this.o.memento.get(CACHE_KEY), this.cacheKey, this.scope, (uri, relativePath, result) => {
      const parsed = vscode.Uri.parse(uri, true);
      const folder = vscode.workspace.getWorkspaceFolder(parsed);
      return folder ? { uri: parsed, folder, relativePath, result } : undefined;
    });
    if (!cached) return;
    await this.settle('ready', cached);
  }

  /** Keeps what Fly confirmed for the next window (metadata only; see listingCache.ts). */
  private save(): void {
    const l = this.current;
    if (l.stale || !this.cacheKey || l.status !== 'ready') return;
    this.o.memento.update(CACHE_KEY, toCache(l, this.cacheKey)).then(undefined, (e: unknown) => {
      this.o.log.warn(`Could not keep the listing for the next window: ${String(e)}`);
    });
  }

  private replace(next: Listing): void {
    this.current = next;
    this.changed.fire(next);
  }

  private async settle(status: ListingStatus, next: Partial<Listing>): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'flyTokens.state', status);
    this.replace({ ...this.current, ...next, status });
  }

  private async load(rescan: boolean, onlyIfAppsChanged = false): Promise<void> {
    this.sessionSeen = await this.sessionKey();
    const account = await this.o.session.account();
    if (!account || this.o.session.isInvalid) {
      this.cacheKey = undefined;
      if (this.o.memento.get(CACHE_KEY) !== undefined) await this.o.memento.update(CACHE_KEY, undefined);
      await this.settle('signedOut', { apps: new Map(), orgs: new Map(), error: undefined, stale: false });
      return;
    }
    const api = resolveApiBaseUrl();
    const sessionApi = await this.o.session.sessionApi();
    if (!api.ok && api.confirm) return this.settleElsewhere('confirmApi', api.message);
    if (api.ok && sessionApi !== undefined && apiOrigin(api.url) !== sessionApi) {
      return this.settleElsewhere('otherApi', `The Fly.io session belongs to ${sessionApi}, not to ${apiOrigin(api.url)}: its token is not sent there.`);
    }
    this.cacheKey = api.ok ? { account: account.email, api: api.url } : undefined;
    if (!this.painted) {
      this.painted = true;
      await this.paintFromCache();
    }
    let files = this.current.files;
    if (!vscode.workspace.isTrusted) {
      files = [];
      this.filesRead = false;
    } else if (rescan) {
      files = await this.o.flyFiles.scan();
      this.filesRead = true;
    }
    const names = appNames(files);
    const scope = this.current.scope;
    const before = appNames(this.current.files);
    if (
      onlyIfAppsChanged &&
      this.current.status === 'ready' &&
      !this.current.error &&
      !this.current.stale &&
      names.length === before.length &&
      names.every((n) => before.includes(n))
    ) {
      // Same apps: the rows show the new files (paths, parse errors), and Fly is not asked again.
      await this.settle('ready', { files });
      return;
    }
    if (scope === 'app' && names.length === 0) {
      await this.settle('noFlyToml', { files, error: undefined, stale: false });
      return;
    }
    let apps = this.current.apps;
    let orgs = this.current.orgs;
    try {
      const task = async () => {
        const client = this.o.client();
        if (scope === 'app' || apps.size < names.length) {
          const results = await client.listAppTokens(names);
          // The request itself succeeded (its log line says 200); what Fly said about each failing app goes here.
          for (const r of results) if (!r.ok) this.o.log.warn(`${r.name}: ${r.error.message}`);
          for (const r of results) {
            if (r.ok && r.warning) this.o.log.warn(`Fly.io left ${r.warning.omitted} token(s) of ${r.name} out: ${r.warning.reasons.join('; ')}`);
          }
          apps = new Map(results.map((r) => [r.name, r.ok ? { ...r, tokens: frozenTokens(r.tokens) } : r]));
        }
        if (scope === 'org') orgs = await this.loadOrgs(client, { ...this.current, apps });
      };
      await (this.o.busy ? this.o.busy(task) : task());
      await this.settle('ready', { files, apps, orgs, error: undefined, stale: false });
      this.save();
    } catch (e) {
      if (e instanceof UnauthorizedError) this.o.session.markInvalid();
      const message = e instanceof Error ? e.message : String(e);
      this.o.log.error(`Refresh failed: ${message}`);
      const nothingShown = scope === 'app' ? apps.size === 0 : orgs.size === 0;
      await this.settle(nothingShown && e instanceof NetworkError ? 'unreachable' : 'ready', { files, apps, orgs, error: message });
    }
  }

  /** Nothing to show for this session until the user signs in to (or allows) the API in effect. */
  private async settleElsewhere(status: 'otherApi' | 'confirmApi', why: string): Promise<void> {
    if (this.current.status !== status) this.o.log.warn(why);
    this.cacheKey = undefined;
    await this.settle(status, { apps: new Map(), orgs: new Map(), error: undefined, stale: false });
  }

  private async loadOrgs(client: FlyClient, l: Listing): Promise<Map<string, OrgListing>> {
    const slugs = new Set<string>();
    for (const r of l.apps.values()) if (r.ok) slugs.add(r.app.organization.slug);
    for (const s of this.extraOrgs) slugs.add(s);
    const entries = await Promise.all(
      [...slugs].map(async (slug): Promise<[string, OrgListing]> => {
        try {
          const r = await client.listOrgTokens(slug);
          if (r.warning) this.o.log.warn(`Fly.io left ${r.warning.omitted} token(s) of organization ${slug} out: ${r.warning.reasons.join('; ')}`);
          const listed: OrgListing = { organization: r.organization, tokens: frozenTokens(r.tokens), error: undefined, warning: r.warning };
          return [slug, listed];
        } catch (e) {
          // Fly refusing us, being unreachable or limiting us is not about one organization: fail the refresh. Any
          // other failure (forbidden, not found, an error of its own) stays on that organization's row.
          if (!(e instanceof FlyError) || e instanceof UnauthorizedError || e instanceof NetworkError || e.kind === 'rateLimited' || e.kind === 'cancelled') {
            throw e;
          }
          this.o.log.warn(`Organization ${slug}: ${e.message}`);
          const organization = l.orgs.get(slug)?.organization ?? { id: '', slug, name: slug };
          return [slug, { organization, tokens: undefined, error: e.message, errorKind: e.kind }];
        }
      }),
    );
    return new Map(entries);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
