// Fly: Sign Out of GitHub — removes a pasted GitHub token. A GitHub account signed in through VS Code belongs to VS
// Code's Accounts menu, which signs it out.
import * as vscode from 'vscode';
import type { GitHubAuth } from '../auth/githubAuth';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { showError } from '../ui/showError';

export function registerGitHubSignOut(deps: Deps, gh: GitHubAuth): vscode.Disposable {
  return vscode.commands.registerCommand(Command.signOutGitHub, async () => {
    try {
      const outcome = await gh.signOut();
      await deps.prompter().notify(
        'info',
        outcome === 'removed'
          ? vscode.l10n.t("Signed out of GitHub: your pasted GitHub token was removed from VS Code's secret storage.")
          : vscode.l10n.t("No pasted GitHub token is stored. A GitHub account you signed in to through VS Code is signed out from VS Code's Accounts menu."),
      );
    } catch (e) {
      await showError(deps, e);
    }
  });
}
