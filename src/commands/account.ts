import * as vscode from 'vscode';
import { showError } from '../ui/showError';
import { Command } from '../commandIds';
import type { Deps } from '../deps';

/** Fly: Sign In (optionally with a method: "browser", "paste", "flyctl") and Fly: Sign Out. */
export function registerAccountCommands(deps: Deps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.signIn, async (method?: unknown) => {
      try {
        const s = await deps.auth.signIn(typeof method === 'string' ? method : undefined);
        if (s) await deps.prompter().notify('info', vscode.l10n.t('Signed in to Fly.io as {0}.', s.email));
      } catch (e) {
        await showError(deps, e, vscode.l10n.t('Sign-in failed'));
      }
    }),
    vscode.commands.registerCommand(Command.signOut, async () => {
      try {
        if (await deps.auth.signOut()) {
          await deps.prompter().notify('info', vscode.l10n.t("Signed out of Fly.io. Your auth token was removed from VS Code's secret storage."));
        }
      } catch (e) {
        await showError(deps, e);
      }
    }),
  ];
}
