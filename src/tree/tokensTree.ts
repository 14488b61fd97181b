import * as vscode from 'vscode';
import { FlyError, NetworkError, UnauthorizedError } from '../fly/errors';
import type { AppRef, AppTokensResult, CreatedToken, Organization, TokenInfo } from '../fly/types';
import type { FlyClient } from '../fly/client';
import { readSettings } from '../config';
import type { Log } from '../log';
import type { FlyAuth } from '../auth/flyAuth';
import type { FlyFile, FlyFiles } from '../workspace/flyFiles';
import { AppNode, MessageNode, OrgNode, TokenNode, shownPath, type FlyNode } from './nodes';
import { sortTokens } from './tokenState';

export const VIEW_ID = 'flyTokens.tokens';
export type Scope = 'app' | 'org';
type ViewState = 'signedOut' | 'loading' | 'noFlyToml' | 'unreachable' | 'ready';

interface OrgEntry {
  organization: Organization;
  tokens: TokenInfo[] | undefined;
  error: string | undefined;
}

/**
 * The Deploy Tokens view. Holds the last good answer from Fly; a failed refresh keeps it and adds an error row.
 * All apps' tokens come in one request; create and revoke update the rows without another one.
 */
export class TokensTree implements vscode.TreeDataProvider<FlyNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FlyNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private files: FlyFile[] = [];
  private filesRead = false;
  private apps = new Map<string, AppTokensResult>();
  private orgs = new Map<string, OrgEntry>();
  private lastError: string | undefined;
  private state: ViewState = 'loading';
  private running: Promise<void> | undefined;
  private again: { rescan: boolean } | undefined;
  private scopeValue: Scope;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly auth: FlyAuth,
    private readonly flyFiles: FlyFiles,
    private readonly client: () => FlyClient,
    private readonly log: Log,
  ) {
    this.scopeValue = memento.get<Scope>('flyTokens.scope') === 'org' ? 'org' : 'app';
    void vscode.commands.executeCommand('setContext', 'flyTokens.scope', this.scopeValue);
    this.disposables.push(
      flyFiles.onDidChange(() => void this.refresh({ rescan: true })),
      auth.onDidChangeState(() => void this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh({ rescan: true })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flyTokens.apiBaseUrl')) void this.refresh();
        else if (e.affectsConfiguration('flyTokens')) this.changed.fire(undefined);
      }),
    );
  }

  get scope(): Scope {
    return this.scopeValue;
  }

  async setScope(scope: Scope): Promise<void> {
    this.scopeValue = scope;
    await this.memento.update('flyTokens.scope', scope);
    await vscode.commands.executeCommand('setContext', 'flyTokens.scope', scope);
    await this.refresh();
  }

  /** Organizations the user added with "Choose another organization…". */
  private get extraOrgs(): string[] {
    return this.memento.get<string[]>('flyTokens.extraOrgs') ?? [];
  }

  async addOrganization(slug: string): Promise<void> {
    if (!this.extraOrgs.includes(slug)) await this.memento.update('flyTokens.extraOrgs', [...this.extraOrgs, slug]);
    if (this.scopeValue !== 'org') await this.setScope('org');
    else await this.refresh();
  }

  /** Refreshes; calls made while one runs are folded into one more run. */
  refresh(opts: { rescan?: boolean } = {}): Promise<void> {
    if (this.running) {
      this.again = { rescan: (this.again?.rescan ?? false) || !!opts.rescan };
      return this.running;
    }
    this.running = (async () => {
      try {
        await this.load(!!opts.rescan || !this.filesRead);
        while (this.again) {
          const next = this.again;
          this.again = undefined;
          await this.load(next.rescan);
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async setState(state: ViewState): Promise<void> {
    this.state = state;
    await vscode.commands.executeCommand('setContext', 'flyTokens.state', state);
  }

  private async load(rescan: boolean): Promise<void> {
    const account = await this.auth.account();
    if (!account || this.auth.isInvalid) {
      this.apps.clear();
      this.orgs.clear();
      this.lastError = undefined;
      await this.setState('signedOut');
      this.changed.fire(undefined);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.files = [];
      this.filesRead = false;
    } else if (rescan) {
      this.files = await this.flyFiles.scan();
      this.filesRead = true;
    }
    const names = this.appNames();
    if (this.scopeValue === 'app' && names.length === 0) {
      this.lastError = undefined;
      await this.setState('noFlyToml');
      this.changed.fire(undefined);
      return;
    }
    try {
      await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, async () => {
        const client = this.client();
        if (this.scopeValue === 'app' || this.apps.size < names.length) {
          const results = await client.listAppTokens(names);
          this.apps = new Map(results.map((r) => [r.name, r]));
        }
        if (this.scopeValue === 'org') await this.loadOrgs(client);
      });
      this.lastError = undefined;
      await this.setState('ready');
    } catch (e) {
      this.onError(e);
      const nothingShown = this.scopeValue === 'app' ? this.apps.size === 0 : this.orgs.size === 0;
      await this.setState(nothingShown && e instanceof NetworkError ? 'unreachable' : 'ready');
    }
    this.changed.fire(undefined);
  }

  private async loadOrgs(client: FlyClient): Promise<void> {
    const slugs = new Set<string>();
    for (const r of this.apps.values()) if (r.ok) slugs.add(r.app.organization.slug);
    for (const s of this.extraOrgs) slugs.add(s);
    const entries = await Promise.all(
      [...slugs].map(async (slug): Promise<[string, OrgEntry]> => {
        try {
          const r = await client.listOrgTokens(slug);
          return [slug, { organization: r.organization, tokens: r.tokens, error: undefined }];
        } catch (e) {
          // Fly refusing us, or being unreachable, is not about one organization: fail the refresh.
          if (e instanceof UnauthorizedError || e instanceof NetworkError || !(e instanceof FlyError) || e.kind !== 'notFound') throw e;
          return [slug, { organization: this.orgs.get(slug)?.organization ?? { id: '', slug, name: slug }, tokens: undefined, error: e.message }];
        }
      }),
    );
    this.orgs = new Map(entries);
  }

  private onError(e: unknown): void {
    if (e instanceof UnauthorizedError) this.auth.markInvalid();
    const message = e instanceof Error ? e.message : String(e);
    this.lastError = message;
    this.log.error(`Refresh failed: ${message}`);
  }

  private appNames(): string[] {
    const names = new Set<string>();
    for (const f of this.files) if (f.result.ok) names.add(f.result.app);
    return [...names];
  }

  // What the commands need to know

  /** The workspace's apps, with the files naming them. */
  workspaceApps(): { name: string; files: FlyFile[] }[] {
    return this.appNames().map((name) => ({ name, files: this.files.filter((f) => f.result.ok && f.result.app === name) }));
  }

  /** The app as Fly last described it (id and organization), if the view has it. */
  knownApp(name: string): AppRef | undefined {
    const r = this.apps.get(name);
    return r?.ok ? r.app : undefined;
  }

  /** Every token row currently known, for the palette's revoke picker. */
  tokenNodes(): TokenNode[] {
    const settings = readSettings();
    const now = Date.now();
    if (this.scopeValue === 'org') {
      return [...this.orgs.values()].flatMap((o) => (o.tokens ?? []).map((t) => new TokenNode(t, this.orgOwner(o.organization, t), now, settings.expiryWarningDays)));
    }
    return [...this.apps.values()].flatMap((r) => (r.ok ? r.tokens.map((t) => new TokenNode(t, { app: r.app }, now, settings.expiryWarningDays)) : []));
  }

  /** Shows a token just created without asking Fly again. */
  addCreated(app: AppRef, created: CreatedToken, createdBy: string): void {
    const info: TokenInfo = {
      id: created.id,
      name: created.name,
      profile: 'deploy',
      profileParams: { app_id: app.id },
      createdAt: created.createdAt,
      expiresAt: created.expiresAt,
      revokedAt: null,
      revokedBy: null,
      createdBy,
    };
    const r = this.apps.get(app.name);
    if (r?.ok) r.tokens.push(info);
    const org = this.orgs.get(app.organization.slug);
    org?.tokens?.push(info);
    this.changed.fire(undefined);
  }

  /** Marks tokens revoked without asking Fly again. */
  markRevoked(ids: readonly string[], by: string): void {
    const now = new Date().toISOString();
    const set = new Set(ids);
    const lists = [...[...this.apps.values()].map((r) => (r.ok ? r.tokens : [])), ...[...this.orgs.values()].map((o) => o.tokens ?? [])];
    for (const list of lists) for (const t of list) if (set.has(t.id) && !t.revokedAt) Object.assign(t, { revokedAt: now, revokedBy: by });
    this.changed.fire(undefined);
  }

  // TreeDataProvider

  getTreeItem(node: FlyNode): vscode.TreeItem {
    return node;
  }

  getParent(): undefined {
    return undefined;
  }

  getChildren(node?: FlyNode): FlyNode[] {
    const settings = readSettings();
    const now = Date.now();
    if (!node) return this.roots();
    if (node instanceof AppNode) {
      const r = this.apps.get(node.appName);
      if (!r) return [new MessageNode(`app:${node.appName}:pending`, vscode.l10n.t('Not loaded yet'), undefined, 'circle-large-outline', 'empty')];
      if (!r.ok) return [new MessageNode(`app:${node.appName}:error`, r.error.message, undefined, 'warning', 'fileError')];
      return this.tokenRows(r.tokens, { app: r.app }, now, settings, node.appName);
    }
    if (node instanceof OrgNode) {
      const o = this.orgs.get(node.organization.slug);
      if (!o?.tokens) return [new MessageNode(`org:${node.organization.slug}:error`, o?.error ?? vscode.l10n.t('Not loaded yet'), undefined, 'warning', 'fileError')];
      return sortTokens(visible(o.tokens, settings.showRevoked), now).map(
        (t) => new TokenNode(t, this.orgOwner(o.organization, t), now, settings.expiryWarningDays),
      );
    }
    return [];
  }

  private tokenRows(tokens: TokenInfo[], owner: { app: AppRef }, now: number, settings: ReturnType<typeof readSettings>, appName: string): FlyNode[] {
    const shown = visible(tokens, settings.showRevoked);
    if (shown.length === 0) {
      const hidden = tokens.length - shown.length;
      return [
        new MessageNode(
          `app:${appName}:empty`,
          hidden > 0 ? vscode.l10n.t('No active tokens ({0} revoked hidden)', hidden) : vscode.l10n.t('No deploy tokens yet'),
          vscode.l10n.t('create one'),
          'add',
          'action',
          { command: 'flyTokens.createDeployToken', title: vscode.l10n.t('Create Deploy Token'), arguments: [appName] },
        ),
      ];
    }
    return sortTokens(shown, now).map((t) => new TokenNode(t, owner, now, settings.expiryWarningDays));
  }

  private orgOwner(organization: Organization, t: TokenInfo): { organization: Organization; app?: AppRef } {
    const appId = typeof t.profileParams === 'object' && t.profileParams !== null ? (t.profileParams as Record<string, unknown>).app_id : undefined;
    const app = [...this.apps.values()].find((r) => r.ok && r.app.id === appId);
    return app?.ok ? { organization, app: app.app } : { organization };
  }

  private roots(): FlyNode[] {
    if (this.state === 'signedOut' || this.state === 'unreachable') return [];
    const rows: FlyNode[] = [];
    if (this.lastError) {
      rows.push(
        new MessageNode('error', vscode.l10n.t('Refresh failed'), this.lastError, 'error', 'error', {
          command: 'flyTokens.refresh',
          title: vscode.l10n.t('Retry'),
        }, vscode.l10n.t('{0}\n\nClick to retry. Showing the last tokens Fly.io returned.', this.lastError)),
      );
    }
    if (this.scopeValue === 'org') {
      for (const o of [...this.orgs.values()].sort((a, b) => a.organization.slug.localeCompare(b.organization.slug))) {
        rows.push(new OrgNode(o.organization, o.error));
      }
      rows.push(
        new MessageNode('chooseOrg', vscode.l10n.t('Choose another organization…'), undefined, 'add', 'action', {
          command: 'flyTokens.chooseOrganization',
          title: vscode.l10n.t('Choose Another Organization…'),
        }),
      );
      return rows;
    }
    const apps = this.workspaceApps().sort((a, b) => a.name.localeCompare(b.name));
    for (const { name, files } of apps) {
      const r = this.apps.get(name);
      rows.push(new AppNode(name, files, r?.ok ? r.app : undefined, r && !r.ok ? r.error.message : undefined, apps.length <= 5));
    }
    for (const f of this.files) {
      if (f.result.ok) continue;
      const where = shownPath(f);
      rows.push(
        new MessageNode(`file:${f.uri.toString()}`, where, f.result.message, 'warning', 'fileError', {
          command: 'vscode.open',
          title: vscode.l10n.t('Open File'),
          arguments: [f.uri],
        }),
      );
    }
    return rows;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function visible(tokens: TokenInfo[], showRevoked: boolean): TokenInfo[] {
  return showRevoked ? tokens : tokens.filter((t) => !t.revokedAt);
}
