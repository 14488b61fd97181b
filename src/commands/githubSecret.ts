// "Create Deploy Token as GitHub Secret…" and "Set as GitHub Actions Secret" (from the create notification):
// the token goes from Fly's answer, sealed, to GitHub — never through the clipboard.
import * as vscode from 'vscode';
import type { GitHubAuth } from '../auth/githubAuth';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import type { AppRef, CreatedToken } from '../fly/types';
import { mintOrReport } from '../minting/mint';
import { appFilePaths, confirmSecretSet, placeInSecret, type PlaceFailureWords } from '../minting/place';
import { askTokenDetails, chooseApp, ensureSignedIn } from '../minting/questions';
import { askSecretTarget, describeTarget, putSecret, refuseUntrusted, reportGitHubError, type SecretTarget } from '../minting/secretTarget';
import { appArg } from './args';
import { registerMintCommand } from './mintGuard';

/** How a create words the ways its secret can fail after the token was minted (app and organization tokens alike). */
export function failureWords(target: SecretTarget, created: CreatedToken): PlaceFailureWords {
  const where = describeTarget(target);
  return {
    unconfirmed: (reason) => ({
      level: 'warning',
      text: vscode.l10n.t(
        'Deploy token "{0}" was created, but GitHub did not confirm the secret {1}: {2} The token was kept: check the secret on GitHub, or copy the token to set it by hand.',
        created.name,
        where,
        reason,
      ),
      copy: vscode.l10n.t('Copy Token'),
    }),
    undone: (reason) => ({
      level: 'error',
      text: vscode.l10n.t('GitHub did not take the secret {0}: {1} The new deploy token "{2}" was revoked again, so nothing was left behind.', where, reason, created.name),
    }),
    undoFailed: (reason, failure) => ({
      level: 'error',
      text: vscode.l10n.t(
        'GitHub did not take the secret {0}: {1} Revoking the unused new token "{2}" failed too ({3}): revoke it from the list.',
        where,
        reason,
        created.name,
        failure,
      ),
    }),
  };
}

async function createAsSecret(deps: Deps, gh: GitHubAuth, arg: unknown): Promise<void> {
  if (refuseUntrusted(deps)) return;
  if (!(await ensureSignedIn(deps))) return;
  const appName = appArg(arg) ?? (await chooseApp(deps));
  if (!appName) return;
  const details = await askTokenDetails(deps, appName);
  if (!details) return;
  const target = await askSecretTarget(deps, gh, appFilePaths(deps, appName));
  if (!target) return;
  const minted = await mintOrReport(deps, appName, details);
  if (!minted) return;
  const outcome = await placeInSecret(deps, gh, target, minted.created, failureWords(target, minted.created));
  if (outcome) await confirmSecretSet(deps, target, minted.created, outcome);
}

/** The create notification's "Set as GitHub Actions Secret": the token is already made (and was copied). */
export function setCreatedAsSecret(deps: Deps, gh: GitHubAuth): (created: CreatedToken, app: AppRef) => Promise<void> {
  return async (created, app) => {
    if (refuseUntrusted(deps)) return;
    const target = await askSecretTarget(deps, gh, appFilePaths(deps, app.name));
    if (!target) return;
    try {
      const outcome = await putSecret(target, created.tokenHeader);
      await confirmSecretSet(deps, target, created, outcome);
    } catch (e) {
      await reportGitHubError(deps, gh, e, vscode.l10n.t('Could not set the GitHub secret {0}', describeTarget(target)));
    }
  };
}

export function registerGitHubCommands(deps: Deps, gh: GitHubAuth): vscode.Disposable {
  return registerMintCommand(deps, Command.createTokenAsGitHubSecret, (arg) => createAsSecret(deps, gh, arg));
}
