import * as vscode from 'vscode';
import { AppNode, TokenNode } from '../tree/nodes';
import type { Deps } from './deps';

/** Row actions that need no request: Copy Token ID and Open in Fly Dashboard. */
export function registerTokenActions(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('flyTokens.copyTokenId', async (node?: unknown) => {
      if (!(node instanceof TokenNode)) return;
      await vscode.env.clipboard.writeText(node.token.id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the ID of "{0}"', node.token.name), 4000);
    }),
    vscode.commands.registerCommand('flyTokens.openDashboard', async (node?: unknown) => {
      const url = dashboardUrl(node);
      if (url) await deps.prompter().openExternal(vscode.Uri.parse(url, true));
    }),
  ];
}

export function dashboardUrl(node: unknown): string | undefined {
  if (node instanceof AppNode) return `https://fly.io/apps/${encodeURIComponent(node.appName)}/tokens`;
  if (node instanceof TokenNode) {
    if (node.owner.app) return `https://fly.io/apps/${encodeURIComponent(node.owner.app.name)}/tokens`;
    const org = node.owner.organization;
    if (org) return `https://fly.io/dashboard/${encodeURIComponent(org.slug)}/tokens`;
  }
  return undefined;
}
