// Putting a minted token where it is used: a GitHub Actions secret (sealed; never through the clipboard) — and
// what to do when that fails after the token exists.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitHubAuth } from '../auth/githubAuth';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import type { CreatedToken } from '../fly/types';
import type { GitHubClient } from '../github/client';
import { GitHubError } from '../github/errors';
import type { GitHubRepo } from '../github/remotes';
import { isFlyWorkflowName } from '../github/workflow';
import { openCheckedLink } from '../ui/links';
import type { Prompter } from '../ui/prompter';
import { visibleText } from '../ui/visibleText';
import { copyToken } from './clipboard';
import { SecretRecords } from './secretRecords';
import { describeTarget, putSecret, recordOf, secretsPage, type SecretTarget } from './secretTarget';
import { revokeUnused } from './undo';

/** What "Generate Deploy Workflow" on the secret confirmation already knows. */
export interface WorkflowRequest {
  root: string;
  secretName: string;
  environment?: string;
  repo?: GitHubRepo;
  client?: GitHubClient;
}

/** The fly.toml files of an app, as file system paths (to find the repository holding them). */
export function appFilePaths(deps: Deps, appName: string): string[] {
  return (deps.model.workspaceApps().find((a) => a.name === appName)?.files ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
}

async function hasFlyWorkflow(root: string): Promise<boolean> {
  const names = await fs.readdir(path.join(root, '.github', 'workflows')).catch(() => [] as string[]);
  return names.some(isFlyWorkflowName);
}

/** Puts the token into the secret; on failure (reported with `words`) returns false and leaves things as the words say. */
export async function placeInSecret(
  deps: Deps,
  gh: GitHubAuth,
  target: SecretTarget,
  created: CreatedToken,
  words: PlaceFailureWords,
): Promise<'created' | 'updated' | undefined> {
  try {
    return await putSecret(target, created.tokenHeader);
  } catch (e) {
    await placeFailed(deps, gh, e, created, target, words);
    return undefined;
  }
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
  if (choice === open) {
    const page = secretsPage(target);
    await openCheckedLink(deps.prompter(), page.url, page.origins, vscode.l10n.t('the secrets page'));
  }
  if (choice === generate) {
    const request: WorkflowRequest = {
      root: target.candidate.root,
      secretName: target.name,
      environment: target.environment,
      repo: target.candidate.repo,
      client: target.client,
    };
    await vscode.commands.executeCommand(Command.generateDeployWorkflow, request);
  }
}

/** A message, and the label of a button that copies the new token (none: no button). */
export interface FailureNote {
  level: 'warning' | 'error';
  text: string;
  copy?: string;
}

/** How each command words the three ways a secret can fail after its token was minted. */
export interface PlaceFailureWords {
  /** GitHub's answer was lost: the secret may hold the new token, so it is kept */
  unconfirmed(reason: string): FailureNote;
  /** GitHub refused, and the new token was revoked again */
  undone(reason: string): FailureNote;
  /** GitHub refused, and revoking the new token failed too */
  undoFailed(reason: string, failure: string): FailureNote;
}

/**
 * The secret PUT failed after a token was minted for it. A certain refusal revokes the new token again (it is in no
 * place, so nothing is lost); an unknown outcome keeps it and offers to copy it, since the secret may hold it.
 */
async function placeFailed(
  deps: Deps,
  gh: GitHubAuth,
  e: unknown,
  created: CreatedToken,
  target: SecretTarget,
  words: PlaceFailureWords,
): Promise<void> {
  if (e instanceof GitHubError && e.kind === 'unauthorized') await gh.rejected();
  const reason = e instanceof Error ? e.message : String(e);
  deps.log.error(`Setting GitHub secret ${describeTarget(target)} failed: ${reason}`);
  let note: FailureNote;
  if (e instanceof GitHubError && e.mayHaveSucceeded) note = words.unconfirmed(reason);
  else {
    const failure = await revokeUnused(deps, created);
    note = failure === undefined ? words.undone(reason) : words.undoFailed(reason, failure);
  }
  await tell(deps.prompter(), note, created);
}

async function tell(prompter: Prompter, note: FailureNote, created: CreatedToken): Promise<void> {
  const choice = await prompter.notify(note.level, note.text, ...(note.copy ? [note.copy] : []));
  if (note.copy && choice === note.copy) {
    // The same clearing as every other copy of a token (flyTokens.clearClipboardAfterSeconds).
    const clearing = await copyToken(created.tokenHeader);
    void prompter.notify('info', [vscode.l10n.t('The new token "{0}" was copied to the clipboard.', visibleText(created.name)), clearing].filter(Boolean).join(' '));
  }
}
