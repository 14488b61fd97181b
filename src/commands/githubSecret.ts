// "Create Deploy Token as GitHub Secret…" and "Set as GitHub Actions Secret" (from the create notification):
// the token goes from Fly's answer, sealed, to GitHub — never through the clipboard.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { appFromArg, askTokenDetails, ensureSignedIn, mintOrReport } from './createToken';
import type { Deps } from './deps';
import { registerMintCommand } from './mintGuard';
import { GitHubError } from '../github/errors';
import { isFlyWorkflowName } from '../github/workflow';
import type { AppRef, CreatedToken } from '../fly/types';
import type { AppNode } from '../tree/nodes';
import type { GitHubAuth } from '../auth/githubAuth';
import { SecretRecords } from '../githubSecrets/records';
import { askSecretTarget, describeTarget, putSecret, recordOf, refuseUntrusted, reportGitHubError, secretsPage, type SecretTarget } from '../githubSecrets/target';
import type { WorkflowRequest } from './generateWorkflow';

export const CREATE_AS_SECRET = 'flyTokens.createTokenAsGitHubSecret';

/** The fly.toml files of an app, as file system paths (to find the repository holding them). */
export function appFilePaths(deps: Deps, appName: string): string[] {
  return (deps.tree.workspaceApps().find((a) => a.name === appName)?.files ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

export async function hasFlyWorkflow(root: string): Promise<boolean> {
  const names = await fs.readdir(path.join(root, '.github', 'workflows')).catch(() => [] as string[]);
  return names.some(isFlyWorkflowName);
}

/** Remembers where the token went and says so, with a link to the secrets page (and a workflow offer). */
export async function confirmSecretSet(deps: Deps, target: SecretTarget, created: CreatedToken, outcome: 'created' | 'updated', extra?: string): Promise<void> {
  await new SecretRecords(deps.context.globalState).set(created.id, recordOf(target));
  deps.log.info(`Deploy token ${created.id} ${outcome === 'created' ? 'stored as new' : 'replaced'} GitHub secret ${describeTarget(target)}.`);
  const open = vscode.l10n.t('Open Secrets Page');
  const generate = vscode.l10n.t('Generate Deploy Workflow');
  const offerWorkflow = !(await hasFlyWorkflow(target.candidate.root));
  const message =
    (outcome === 'created'
      ? vscode.l10n.t('Deploy token "{0}" is now the GitHub Actions secret {1}.', created.name, describeTarget(target))
      : vscode.l10n.t('Deploy token "{0}" replaced the value of the GitHub Actions secret {1}.', created.name, describeTarget(target))) +
    (extra ? ` ${extra}` : '') +
    (offerWorkflow ? ' ' + vscode.l10n.t('The repository has no Fly deploy workflow yet.') : '');
  const choice = await deps.prompter().notify('info', message, ...(offerWorkflow ? [open, generate] : [open]));
  if (choice === open) await deps.prompter().openExternal(secretsPage(target));
  if (choice === generate) {
    const request: WorkflowRequest = { root: target.candidate.root, secretName: target.name, environment: target.environment, repo: target.candidate.repo, client: target.client };
    await vscode.commands.executeCommand('flyTokens.generateDeployWorkflow', request);
  }
}

/**
 * The secret PUT failed after a token was minted for it. A certain refusal revokes the new token again (it is in
 * no place, so nothing is lost); an unknown outcome keeps it and offers to copy it, since the secret may hold it.
 */
async function putFailedAfterMint(deps: Deps, gh: GitHubAuth, e: unknown, created: CreatedToken, target: SecretTarget): Promise<void> {
  if (e instanceof GitHubError && e.kind === 'unauthorized') await gh.rejected();
  const reason = e instanceof Error ? e.message : String(e);
  deps.log.error(`Setting GitHub secret ${describeTarget(target)} failed: ${reason}`);
  if (e instanceof GitHubError && e.mayHaveSucceeded) {
    const copy = vscode.l10n.t('Copy Token');
    const choice = await deps.prompter().notify(
      'warning',
      vscode.l10n.t(
        'Deploy token "{0}" was created, but GitHub did not confirm the secret {1}: {2} The token was kept: check the secret on GitHub, or copy the token to set it by hand.',
        created.name,
        describeTarget(target),
        reason,
      ),
      copy,
    );
    if (choice === copy) await vscode.env.clipboard.writeText(created.tokenHeader);
    return;
  }
  const failure = await revokeUnused(deps, created);
  if (failure === undefined) {
    await deps.prompter().notify(
      'error',
      vscode.l10n.t('GitHub did not take the secret {0}: {1} The new deploy token "{2}" was revoked again, so nothing was left behind.', describeTarget(target), reason, created.name),
    );
  } else {
    await deps.prompter().notify(
      'error',
      vscode.l10n.t(
        'GitHub did not take the secret {0}: {1} Revoking the unused new token "{2}" failed too ({3}): revoke it from the list.',
        describeTarget(target),
        reason,
        created.name,
        failure,
      ),
    );
  }
}

/**
 * Revokes a token just minted for a place it never reached, and shows it revoked. Undefined when that worked,
 * else why it did not (the token is then still valid).
 */
export async function revokeUnused(deps: Deps, created: CreatedToken): Promise<string | undefined> {
  const [outcome] = await deps
    .client()
    .revokeTokens([created.id])
    .catch((err: unknown) => [{ id: created.id, ok: false as const, error: err instanceof Error ? err : new Error(String(err)) }]);
  if (outcome?.ok) {
    deps.tree.markRevoked([created.id], (await deps.auth.account())?.email ?? '');
    return undefined;
  }
  return outcome && !outcome.ok ? outcome.error.message : '';
}

async function createAsSecret(deps: Deps, gh: GitHubAuth, arg: AppNode | string | undefined): Promise<void> {
  if (refuseUntrusted(deps)) return;
  if (!(await ensureSignedIn(deps))) return;
  const appName = await appFromArg(deps, arg);
  if (!appName) return;
  const details = await askTokenDetails(deps, appName);
  if (!details) return;
  const target = await askSecretTarget(deps, gh, appFilePaths(deps, appName));
  if (!target) return;
  const minted = await mintOrReport(deps, appName, details);
  if (!minted) return;
  let outcome: 'created' | 'updated';
  try {
    outcome = await putSecret(target, minted.created.tokenHeader);
  } catch (e) {
    await putFailedAfterMint(deps, gh, e, minted.created, target);
    return;
  }
  await confirmSecretSet(deps, target, minted.created, outcome);
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
  return registerMintCommand(deps, CREATE_AS_SECRET, (arg) => createAsSecret(deps, gh, arg));
}
