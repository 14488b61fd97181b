import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { readSettings } from '../settings/fly';
import { appTokens, orgTokens, workspaceApps, type Listing, type TokenRecord } from '../model/listing';
import type { TokensModel } from '../model/tokensModel';
import { AppNode, MessageNode, OrgNode, TokenNode, shownPath, type FlyNode } from './nodes';

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
      if (!r.ok) return [new MessageNode(`app:${node.appName}:error`, r.error.message, undefined, 'warning', 'fileError')];
      const all = appTokens(l, node.appName, now, settings.expiryWarningDays);
      const shown = visible(all, settings.showRevoked);
      if (shown.length > 0) return shown.map((t) => new TokenNode(t, now));
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
      return visible(orgTokens(l, node.organization.slug, now, settings.expiryWarningDays), settings.showRevoked).map((t) => new TokenNode(t, now));
    }
    return [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function visible(records: TokenRecord[], showRevoked: boolean): TokenRecord[] {
  return showRevoked ? records : records.filter((r) => r.state !== 'revoked');
}

function roots(l: Listing): FlyNode[] {
  if (l.status === 'signedOut' || l.status === 'unreachable') return [];
  const rows: FlyNode[] = [];
  if (l.error) {
    rows.push(
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
      rows.push(new OrgNode(o.organization, o.error));
    }
    rows.push(
      new MessageNode('chooseOrg', vscode.l10n.t('Choose another organization…'), undefined, 'add', 'action', {
        command: Command.chooseOrganization,
        title: vscode.l10n.t('Choose Another Organization…'),
      }),
    );
    return rows;
  }
  const apps = workspaceApps(l).sort((a, b) => a.name.localeCompare(b.name));
  for (const { name, files } of apps) {
    const r = l.apps.get(name);
    rows.push(new AppNode(name, files, r?.ok ? r.app : undefined, r && !r.ok ? r.error.message : undefined, apps.length <= 5));
  }
  for (const f of l.files) {
    if (f.result.ok) continue;
    rows.push(
      new MessageNode(`file:${f.uri.toString()}`, shownPath(f), f.result.message, 'warning', 'fileError', {
        command: 'vscode.open',
        title: vscode.l10n.t('Open File'),
        arguments: [f.uri],
      }),
    );
  }
  return rows;
}
