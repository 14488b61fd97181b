import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { readSettings } from '../settings/fly';
import { appTokens, isHousekeeping, orgTokens, workspaceApps, type Listing, type TokenRecord } from '../model/listing';
import type { TokensModel } from '../model/tokensModel';
import { AppNode, GroupNode, MessageNode, OrgNode, TokenNode, shortFileReason, shortReason, shownPath, type FlyNode } from './nodes';

/** Above this many rows, an app's or organization's expired and revoked tokens fold into a group each. */
export const GROUP_ABOVE = 20;

/** The Deploy Tokens view: turns the model's listing into rows, and nothing else. */
export class TokensTree implements vscode.TreeDataProvider<FlyNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FlyNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly model: TokensModel) {
    this.disposables.push(
      model.onDidChange(() => this.changed.fire(undefined)),
      // showRevoked, expiryWarningDays: same data, other rows
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flyTokens') && !e.affectsConfiguration('flyTokens.apiBaseUrl')) this.changed.fire(undefined);
      }),
    );
  }

  getTreeItem(node: FlyNode): vscode.TreeItem {
    return node;
  }

  getParent(): undefined {
    return undefined;
  }

  getChildren(node?: FlyNode): FlyNode[] {
    const l = this.model.listing;
    if (!node) return roots(l);
    const settings = readSettings();
    const now = Date.now();
    if (node instanceof AppNode) {
      const r = l.apps.get(node.appName);
      if (!r) return [new MessageNode(`app:${node.appName}:pending`, vscode.l10n.t('Not loaded yet'), undefined, 'circle-large-outline', 'empty')];
      if (!r.ok) {
        return [new MessageNode(`app:${node.appName}:error`, shortReason(r.error), undefined, 'warning', 'fileError', undefined, r.error.message)];
      }
      const all = visible(appTokens(l, node.appName, now, settings.expiryWarningDays), true, settings.showFlyctlTokens);
      const shown = visible(all, settings.showRevoked, true);
      if (shown.length > 0) return rows(`app:${node.appName}`, shown, now);
      const hidden = all.length - shown.length;
      return [
        new MessageNode(
          `app:${node.appName}:empty`,
          hidden > 0 ? vscode.l10n.t('No active tokens ({0} revoked hidden)', hidden) : vscode.l10n.t('No deploy tokens yet'),
          vscode.l10n.t('create one'),
          'add',
          'action',
          { command: Command.createDeployToken, title: vscode.l10n.t('Create Deploy Token'), arguments: [node.appName] },
        ),
      ];
    }
    if (node instanceof OrgNode) {
      const o = l.orgs.get(node.organization.slug);
      if (!o?.tokens) {
        return [new MessageNode(`org:${node.organization.slug}:error`, o?.error ?? vscode.l10n.t('Not loaded yet'), undefined, 'warning', 'fileError')];
      }
      const records = orgTokens(l, node.organization.slug, now, settings.expiryWarningDays);
      return rows(`org:${node.organization.slug}`, visible(records, settings.showRevoked, settings.showFlyctlTokens), now);
    }
    if (node instanceof GroupNode) return node.records.map((t) => new TokenNode(t, now));
    return [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Token rows in order; in a long list, expired and revoked ones fold into a group each (after the active ones). */
function rows(parentId: string, records: TokenRecord[], now: number): FlyNode[] {
  if (records.length <= GROUP_ABOVE) return records.map((t) => new TokenNode(t, now));
  // a token of unknown state stays in sight, next to the active ones: it may well be one
  const active = records.filter((r) => r.state === 'active' || r.state === 'expiring' || r.state === 'unknown');
  const expired = records.filter((r) => r.state === 'expired');
  const revoked = records.filter((r) => r.state === 'revoked');
  return [
    ...active.map((t) => new TokenNode(t, now)),
    ...(expired.length ? [new GroupNode(parentId, 'expired', expired)] : []),
    ...(revoked.length ? [new GroupNode(parentId, 'revoked', revoked)] : []),
  ];
}

function visible(records: TokenRecord[], showRevoked: boolean, showFlyctlTokens: boolean): TokenRecord[] {
  return records.filter((r) => (showRevoked || r.state !== 'revoked') && (showFlyctlTokens || !isHousekeeping(r)));
}

function roots(l: Listing): FlyNode[] {
  if (l.status === 'signedOut' || l.status === 'unreachable' || l.status === 'otherApi' || l.status === 'confirmApi') return [];
  const out: FlyNode[] = [];
  if (l.error) {
    out.push(
      new MessageNode(
        'error',
        vscode.l10n.t('Refresh failed'),
        l.error,
        'error',
        'error',
        { command: Command.refresh, title: vscode.l10n.t('Retry') },
        vscode.l10n.t('{0}\n\nClick to retry. Showing the last tokens Fly.io returned.', l.error),
      ),
    );
  }
  if (l.scope === 'org') {
    for (const o of [...l.orgs.values()].sort((a, b) => a.organization.slug.localeCompare(b.organization.slug))) {
      out.push(new OrgNode(o.organization, o.error, o.warning, o.errorKind));
    }
    out.push(
      new MessageNode('chooseOrg', vscode.l10n.t('Choose another organization…'), undefined, 'add', 'action', {
        command: Command.chooseOrganization,
        title: vscode.l10n.t('Choose Another Organization…'),
      }),
    );
    return out;
  }
  const apps = workspaceApps(l).sort((a, b) => a.name.localeCompare(b.name));
  for (const { name, files } of apps) {
    const r = l.apps.get(name);
    const [app, error, warning] = r?.ok ? [r.app, undefined, r.warning] : [undefined, r?.error, undefined];
    out.push(new AppNode(name, files, app, error, apps.length <= 5, warning));
  }
  for (const f of l.files) {
    if (f.result.ok) continue;
    const { line, column } = f.result;
    // opens the file at the broken spot, when the TOML reader said where
    const at = line !== undefined ? new vscode.Position(line - 1, Math.max(0, (column ?? 1) - 1)) : undefined;
    out.push(
      new MessageNode(
        `file:${f.uri.toString()}`,
        shownPath(f),
        shortFileReason(f.result),
        'warning',
        'fileError',
        {
          command: 'vscode.open',
          title: vscode.l10n.t('Open File'),
          arguments: at ? [f.uri, { selection: new vscode.Range(at, at) }] : [f.uri],
        },
        vscode.l10n.t('{0}: {1}\n\nClick to open the file.', shownPath(f), f.result.message),
      ),
    );
  }
  return out;
}
