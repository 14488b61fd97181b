import * as vscode from 'vscode';
import { setShowFlyctlTokens, setShowRevoked } from '../settings/fly';
import { showError } from '../ui/showError';
import { Command } from '../commandIds';
import type { Deps } from '../deps';

/** The view's toggles (app / organization scope, revoked shown / hidden), Refresh and Choose Organization. */
export function registerViewOptions(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.refresh, () => deps.model.refresh({ rescan: true })),
    vscode.commands.registerCommand(Command.showOrgTokens, () => deps.model.setScope('org')),
    vscode.commands.registerCommand(Command.showAppTokens, () => deps.model.setScope('app')),
    vscode.commands.registerCommand(Command.showRevoked, () => setShowRevoked(true)),
    vscode.commands.registerCommand(Command.hideRevoked, () => setShowRevoked(false)),
    vscode.commands.registerCommand(Command.showFlyctlTokens, () => setShowFlyctlTokens(true)),
    vscode.commands.registerCommand(Command.hideFlyctlTokens, () => setShowFlyctlTokens(false)),
    vscode.commands.registerCommand(Command.chooseOrganization, async () => {
      let list;
      try {
        list = await deps.client().listOrganizationsWithWarning();
      } catch (e) {
        await showError(deps, e, vscode.l10n.t('Could not list your organizations'));
        return;
      }
      // Fly answered in part: the organizations it could send are offered, and the picker says some are missing.
      const missing = list.warning?.omitted ?? 0;
      if (list.warning) deps.log.warn(`Fly.io left ${missing} organization(s) out of the list: ${list.warning.reasons.join('; ')}`);
      const placeholder =
        missing === 0
          ? vscode.l10n.t('Organization')
          : missing === 1
            ? vscode.l10n.t('Organization (Fly.io could not send 1 of them; see the log)')
            : vscode.l10n.t('Organization (Fly.io could not send {0} of them; see the log)', missing);
      const picked = await deps.prompter().pick(
        list.organizations.map((o) => ({ label: o.name || o.slug, description: o.slug, slug: o.slug })),
        { id: 'org.pick', title: vscode.l10n.t('Show the tokens of an organization'), placeholder },
      );
      if (picked) await deps.model.addOrganization(picked.slug);
    }),
    vscode.commands.registerCommand(Command.showLog, () => deps.log.show()),
  ];
}
