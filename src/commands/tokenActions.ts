import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { AppNode, TokenNode } from '../tree/nodes';
import { FLY_WEB_ORIGIN } from '../http/links';
import { openCheckedLink } from '../ui/links';
import { visibleText } from '../ui/visibleText';

/** Row actions that need no request: Copy Token ID and Open in Fly Dashboard. */
export function registerTokenActions(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.copyTokenId, async (node?: unknown) => {
      if (!(node instanceof TokenNode)) return;
      const { token } = node.record;
      await vscode.env.clipboard.writeText(token.id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the ID of "{0}"', visibleText(token.name)), 4000);
    }),
    vscode.commands.registerCommand(Command.openDashboard, async (node?: unknown) => {
      const url = dashboardUrl(node);
      if (url) await openCheckedLink(deps.prompter(), url, [FLY_WEB_ORIGIN], vscode.l10n.t('the Fly.io dashboard'));
    }),
  ];
}

function dashboardUrl(node: unknown): string | undefined {
  if (node instanceof AppNode) return `${FLY_WEB_ORIGIN}/apps/${encodeURIComponent(node.appName)}/tokens`;
  if (node instanceof TokenNode) {
    const { owner } = node.record;
    if (owner.app) return `${FLY_WEB_ORIGIN}/apps/${encodeURIComponent(owner.app.name)}/tokens`;
    const org = owner.organization;
    if (org) return `${FLY_WEB_ORIGIN}/dashboard/${encodeURIComponent(org.slug)}/tokens`;
  }
  return undefined;
}
