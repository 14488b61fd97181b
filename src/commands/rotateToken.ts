// "Fly: Rotate Deploy Token": a new token with today's date and the old lifetime, put in place (GitHub secret or
// clipboard), and the old one revoked only after that and only on confirmation. Every question is asked before
// anything is minted; every failure leaves the old token valid and says exactly where things stand.
import * as vscode from 'vscode';
import { chooseExpiry } from './createToken';
import type { Deps } from './deps';
import { registerOneAtATime } from './mintGuard';
import { GitHubError } from '../github/errors';
import { describeHours, lifetimeHours, rotatedName } from '../github/rotation';
import { repoLabel } from '../github/remotes';
import type { AppRef, CreatedToken } from '../fly/types';
import { readSettings } from '../config';
import { TokenNode } from '../tree/nodes';
import { showError } from '../ui/showError';
import { appFilePaths, confirmSecretSet, revokeUnused } from './githubSecret';
import type { GitHubAuth } from '../auth/githubAuth';
import { SecretRecords } from '../githubSecrets/records';
import { askSecretTarget, describeTarget, knownSecretTarget, putSecret, type SecretTarget } from '../githubSecrets/target';

export const ROTATE = 'flyTokens.rotateToken';

async function pickToken(deps: Deps): Promise<TokenNode | undefined> {
  const nodes = deps.tree.tokenNodes().filter((n) => n.state === 'active' || n.state === 'expiring');
  if (nodes.length === 0) {
    await deps.prompter().notify('info', vscode.l10n.t('There is no active deploy token to rotate in the list.'));
    return undefined;
  }
  const picked = await deps.prompter().pick(
    nodes.map((n) => ({ label: n.token.name || n.token.id, description: [n.owner.app?.name, String(n.description ?? '')].filter(Boolean).join(' · '), node: n })),
    { id: 'rotate.token', title: vscode.l10n.t('Rotate a deploy token'), placeholder: vscode.l10n.t('Which token should be replaced?') },
  );
  return picked?.node;
}

async function appOf(deps: Deps, node: TokenNode): Promise<AppRef> {
  const owner = node.owner.app;
  if (owner && 'id' in owner && owner.organization && 'id' in owner.organization) return owner as AppRef;
  const name = owner?.name;
  if (!name) throw new Error(vscode.l10n.t('Token "{0}" is not tied to an app this extension knows, so it cannot be rotated here.', node.token.name));
  return deps.tree.knownApp(name) ?? deps.client().getApp(name);
}

async function rotate(deps: Deps, gh: GitHubAuth, arg: unknown): Promise<void> {
  const prompter = deps.prompter();
  const node = arg instanceof TokenNode ? arg : await pickToken(deps);
  if (!node) return;
  const old = node.token;
  if (node.state !== 'active' && node.state !== 'expiring') {
    await prompter.notify('info', vscode.l10n.t('Token "{0}" is {1}: only an active token can be rotated. Create a new one instead.', old.name, node.state));
    return;
  }
  let app: AppRef;
  try {
    app = await appOf(deps, node);
  } catch (e) {
    await showError(deps, e, vscode.l10n.t('Could not rotate "{0}"', old.name));
    return;
  }
  const title = vscode.l10n.t('Rotate "{0}" ({1})', old.name, app.name);

  // 1. lifetime: the old one's by default
  const hours = lifetimeHours(old.createdAt, old.expiresAt);
  const expiry = await chooseExpiry(deps, {
    title,
    defaultExpiry: readSettings().defaultExpiry,
    ids: { pick: 'rotate.expiry', custom: 'rotate.customExpiry' },
    first: hours ? { label: vscode.l10n.t('Same as before ({0})', describeHours(hours)), value: `${hours}h` } : undefined,
    step: 1,
    totalSteps: 2,
  });
  if (!expiry) return;

  // 2. where the new token goes: the GitHub secret known to hold the old one, another secret, or the clipboard
  const records = new SecretRecords(deps.context.globalState);
  const record = vscode.workspace.isTrusted ? records.get(old.id) : undefined;
  const update = record ? vscode.l10n.t('Update GitHub secret {0}/{1}', repoLabel({ host: record.host, owner: record.owner, repo: record.repo }), record.name) : undefined;
  const other = vscode.l10n.t('Set a GitHub secret…');
  const copy = vscode.l10n.t('Copy to clipboard instead');
  const items = [
    ...(update ? [{ label: update, description: record?.environment ? vscode.l10n.t('environment {0}', record.environment) : undefined }] : []),
    ...(vscode.workspace.isTrusted ? [{ label: other, description: vscode.l10n.t('choose the repository and secret') }] : []),
    { label: copy, description: vscode.l10n.t('paste it where the old token is used yourself') },
  ];
  const where = await prompter.pick(items, { id: 'rotate.github', title, step: 2, totalSteps: 2, placeholder: vscode.l10n.t('Where does the new token go?') });
  if (!where) return;
  let target: SecretTarget | undefined;
  if (where.label === update && record) target = await knownSecretTarget(deps, gh, record);
  else if (where.label === other) target = await askSecretTarget(deps, gh, appFilePaths(deps, app.name));
  if (where.label !== copy && !target) return; // cancelled, or GitHub failed (reported); nothing has changed

  // 3. mint
  const name = rotatedName(old.name);
  let created: CreatedToken;
  try {
    created = await mint(deps, app, name, expiry);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    deps.log.error(`Rotation of ${old.id}: create failed: ${reason}`);
    const maybe = e instanceof Error && 'mayHaveSucceeded' in e && e.mayHaveSucceeded;
    if (maybe) await deps.tree.refresh();
    await prompter.notify(
      'error',
      maybe
        ? vscode.l10n.t('Rotation stopped: Fly.io did not confirm the new token ({0}). It may exist anyway: if "{1}" is in the list, revoke it. The old token "{2}" is still valid and nothing else was changed.', reason, name, old.name)
        : vscode.l10n.t('Rotation stopped: no new token was created ({0}). The old token "{1}" is still valid and nothing was changed.', reason, old.name),
    );
    return;
  }

  // 4. put it in place
  let placed: string;
  if (target) {
    try {
      await putSecret(target, created.tokenHeader);
    } catch (e) {
      await putFailed(deps, gh, e, created, target, old.name);
      return;
    }
    await records.set(created.id, { ...records.get(old.id), host: target.candidate.repo.host, owner: target.candidate.repo.owner, repo: target.candidate.repo.repo, name: target.name, environment: target.environment, root: target.candidate.root });
    placed = vscode.l10n.t('The new token "{0}" is in the GitHub secret {1}.', created.name, describeTarget(target));
  } else {
    await vscode.env.clipboard.writeText(created.tokenHeader);
    placed = vscode.l10n.t('The new token "{0}" was copied to the clipboard: paste it where the old one is used.', created.name);
  }

  // 5. revoke the old one, only now and only when the user says so
  const revokeLabel = vscode.l10n.t('Revoke Old Token');
  const ok = await prompter.confirm(
    'rotate.revokeOld',
    vscode.l10n.t('Revoke the old token "{0}" now?', old.name),
    placed + ' ' + vscode.l10n.t('Anything still using the old token stops working when it is revoked.'),
    revokeLabel,
  );
  if (!ok) {
    await prompter.notify('info', placed + ' ' + vscode.l10n.t('The old token "{0}" was not revoked and is still valid: revoke it from the list once nothing uses it.', old.name));
    return;
  }
  const [outcome] = await deps.client().revokeTokens([old.id]).catch((e: unknown) => [{ id: old.id, ok: false as const, error: e as Error }]);
  if (!outcome?.ok) {
    const reason = outcome && !outcome.ok ? outcome.error.message : '';
    deps.log.error(`Rotation of ${old.id}: revoking the old token failed: ${reason}`);
    await prompter.notify(
      'error',
      placed + ' ' + vscode.l10n.t('But revoking the old token "{0}" failed ({1}): both tokens are valid now. Revoke the old one from the list.', old.name, reason),
    );
    return;
  }
  deps.tree.markRevoked([old.id], (await deps.auth.account())?.email ?? '');
  await records.delete(old.id);
  deps.log.info(`Rotated deploy token ${old.id} → ${created.id}.`);
  if (target) await confirmSecretSet(deps, target, created, 'updated', vscode.l10n.t('The old token "{0}" was revoked.', old.name));
  else await prompter.notify('info', placed + ' ' + vscode.l10n.t('The old token "{0}" was revoked.', old.name));
}

async function mint(deps: Deps, app: AppRef, name: string, expiry: string): Promise<CreatedToken> {
  const created = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating the new deploy token for {0}…', app.name) },
    () => deps.client().createDeployToken({ app, name, expiry }),
  );
  deps.log.info(`Created deploy token ${created.id} ("${created.name}") for ${app.name} (rotation), expires ${created.expiresAt}.`);
  deps.tree.addCreated(app, created, (await deps.auth.account())?.email ?? '');
  return created;
}

/**
 * The new token is minted but the secret was not updated. A certain refusal: the new token is revoked again, so the
 * state is exactly as before. An unknown outcome (the secret may hold the new token): both are kept, and the new
 * one can be copied.
 */
async function putFailed(deps: Deps, gh: GitHubAuth, e: unknown, created: CreatedToken, target: SecretTarget, oldName: string): Promise<void> {
  if (e instanceof GitHubError && e.kind === 'unauthorized') await gh.rejected();
  const reason = e instanceof Error ? e.message : String(e);
  deps.log.error(`Rotation: setting GitHub secret ${describeTarget(target)} failed: ${reason}`);
  if (e instanceof GitHubError && e.mayHaveSucceeded) {
    const copyNew = vscode.l10n.t('Copy New Token');
    const choice = await deps.prompter().notify(
      'error',
      vscode.l10n.t(
        'Rotation stopped: GitHub did not confirm the secret {0} ({1}); it may hold the old or the new token. Both tokens are valid: the old token "{2}" was not revoked, and the new token "{3}" was kept. Check the secret on GitHub; "Copy New Token" puts the new one on the clipboard to set it by hand.',
        describeTarget(target),
        reason,
        oldName,
        created.name,
      ),
      copyNew,
    );
    if (choice === copyNew) await vscode.env.clipboard.writeText(created.tokenHeader);
    return;
  }
  const failure = await revokeUnused(deps, created);
  if (failure === undefined) {
    await deps.prompter().notify(
      'error',
      vscode.l10n.t(
        'Rotation stopped: GitHub did not update the secret {0} ({1}). The new token "{2}" was revoked again, so nothing changed: the old token "{3}" is still valid and still in the secret.',
        describeTarget(target),
        reason,
        created.name,
        oldName,
      ),
    );
    return;
  }
  const copyNew = vscode.l10n.t('Copy New Token');
  const choice = await deps.prompter().notify(
    'error',
    vscode.l10n.t(
      'Rotation stopped: GitHub did not update the secret {0} ({1}), and revoking the unused new token "{2}" failed too ({3}). The old token "{4}" is still valid and still in the secret; revoke "{2}" from the list, or copy it to set it by hand.',
      describeTarget(target),
      reason,
      created.name,
      failure,
      oldName,
    ),
    copyNew,
  );
  if (choice === copyNew) await vscode.env.clipboard.writeText(created.tokenHeader);
}

export function registerRotate(deps: Deps, gh: GitHubAuth): vscode.Disposable {
  return registerOneAtATime<unknown>(
    deps,
    ROTATE,
    () => vscode.l10n.t('A rotation is already running. Finish or cancel that one first.'),
    (arg) => rotate(deps, gh, arg),
  );
}
