// "Fly: Rotate Deploy Token": a new token with today's date and the old lifetime, put in place (GitHub secret or
// clipboard), and the old one revoked only after that and only on confirmation. Every question is asked before
// anything is minted; every failure leaves the old token valid and says exactly where things stand.
import * as vscode from 'vscode';
import type { GitHubAuth } from '../auth/githubAuth';
import { Command } from '../commandIds';
import { readSettings } from '../settings/fly';
import type { Deps } from '../deps';
import type { AppRef, CreatedToken } from '../fly/types';
import { repoLabel } from '../github/remotes';
import { describeHours, lifetimeHours, rotatedName } from '../github/rotation';
import type { TokenRecord } from '../model/listing';
import { mint } from '../minting/mint';
import { appFilePaths, confirmSecretSet, placeInSecret, type PlaceFailureWords } from '../minting/place';
import { chooseExpiry } from '../minting/questions';
import { SecretRecords } from '../minting/secretRecords';
import { askSecretTarget, describeTarget, knownSecretTarget, recordOf, type SecretTarget } from '../minting/secretTarget';
import { stateText } from '../tree/nodes';
import { showError } from '../ui/showError';
import { tokenArgs } from './args';
import { registerOneAtATime } from './mintGuard';
import { visibleText, withoutHiddenCharacters } from '../ui/visibleText';
import { copyToken } from '../minting/clipboard';

async function pickToken(deps: Deps): Promise<TokenRecord | undefined> {
  const now = Date.now();
  const records = (await deps.model.freshTokens()).filter((r) => r.state === 'active' || r.state === 'expiring');
  if (records.length === 0) {
    await deps.prompter().notify('info', vscode.l10n.t('There is no active deploy token to rotate in the list.'));
    return undefined;
  }
  const picked = await deps.prompter().pick(
    records.map((r) => ({ label: visibleText(r.token.name || r.token.id), description: [r.owner.app?.name, stateText(r, now)].filter(Boolean).join(' · '), record: r })),
    { id: 'rotate.token', title: vscode.l10n.t('Rotate a deploy token'), placeholder: vscode.l10n.t('Which token should be replaced?') },
  );
  return picked?.record;
}

function appOf(r: TokenRecord): AppRef {
  if (r.owner.app) return r.owner.app;
  throw new Error(vscode.l10n.t('Token "{0}" is not tied to an app this extension knows, so it cannot be rotated here.', visibleText(r.token.name)));
}

async function rotate(deps: Deps, gh: GitHubAuth, arg: unknown): Promise<void> {
  const prompter = deps.prompter();
  const picked = tokenArgs(arg)[0] ?? (await pickToken(deps));
  if (!picked) return;
  const old = picked.token;
  // Someone else's name, shown so it cannot deceive; the new name is made from the old without hidden characters.
  const oldName = visibleText(old.name);
  if (picked.state !== 'active' && picked.state !== 'expiring') {
    await prompter.notify('info', vscode.l10n.t('Token "{0}" is {1}: only an active token can be rotated. Create a new one instead.', oldName, picked.state));
    return;
  }
  let app: AppRef;
  try {
    app = appOf(picked);
  } catch (e) {
    await showError(deps, e, vscode.l10n.t('Could not rotate "{0}"', oldName));
    return;
  }
  const title = vscode.l10n.t('Rotate "{0}" ({1})', oldName, app.name);

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
  const name = rotatedName(withoutHiddenCharacters(old.name));
  const minted = await mint(deps, app, { name, expiry }, vscode.l10n.t('Creating the new deploy token for {0}…', app.name));
  if (!minted.ok) {
    const { reason } = minted;
    await prompter.notify(
      'error',
      minted.maybe
        ? vscode.l10n.t('Rotation stopped: Fly.io did not confirm the new token ({0}). It may exist anyway: if "{1}" is in the list, revoke it. The old token "{2}" is still valid and nothing else was changed.', reason, name, oldName)
        : vscode.l10n.t('Rotation stopped: no new token was created ({0}). The old token "{1}" is still valid and nothing was changed.', reason, oldName),
    );
    return;
  }
  const created = minted.created;

  // 4. put it in place
  let placed: string;
  if (target) {
    if (!(await placeInSecret(deps, gh, target, created, failureWords(target, created, oldName)))) return;
    await records.set(created.id, { ...records.get(old.id), ...recordOf(target) });
    placed = vscode.l10n.t('The new token "{0}" is in the GitHub secret {1}.', created.name, describeTarget(target));
  } else {
    const clearing = await copyToken(created.tokenHeader);
    placed = [vscode.l10n.t('The new token "{0}" was copied to the clipboard: paste it where the old one is used.', created.name), clearing].filter(Boolean).join(' ');
  }

  // 5. revoke the old one, only now and only when the user says so
  const revokeLabel = vscode.l10n.t('Revoke Old Token');
  const ok = await prompter.confirm(
    'rotate.revokeOld',
    vscode.l10n.t('Revoke the old token "{0}" now?', oldName),
    placed + ' ' + vscode.l10n.t('Anything still using the old token stops working when it is revoked.'),
    revokeLabel,
  );
  if (!ok) {
    await prompter.notify('info', placed + ' ' + vscode.l10n.t('The old token "{0}" was not revoked and is still valid: revoke it from the list once nothing uses it.', oldName));
    return;
  }
  const [outcome] = await deps
    .client()
    .revokeTokens([old.id])
    .catch((e: unknown) => [{ id: old.id, ok: false as const, error: e as Error }]);
  if (!outcome?.ok) {
    const reason = outcome && !outcome.ok ? outcome.error.message : '';
    deps.log.error(`Rotation of ${old.id}: revoking the old token failed: ${reason}`);
    await prompter.notify(
      'error',
      placed + ' ' + vscode.l10n.t('But revoking the old token "{0}" failed ({1}): both tokens are valid now. Revoke the old one from the list.', oldName, reason),
    );
    return;
  }
  deps.model.recordRevoked([old.id], (await deps.auth.account())?.email ?? '');
  await records.delete(old.id);
  deps.log.info(`Rotated deploy token ${old.id} → ${created.id}.`);
  if (target) await confirmSecretSet(deps, target, created, 'updated', vscode.l10n.t('The old token "{0}" was revoked.', oldName));
  else await prompter.notify('info', placed + ' ' + vscode.l10n.t('The old token "{0}" was revoked.', oldName));
}

/** How a rotation words a secret that failed after the new token was minted (see placeInSecret). */
function failureWords(target: SecretTarget, created: CreatedToken, oldName: string): PlaceFailureWords {
  const where = describeTarget(target);
  const copy = vscode.l10n.t('Copy New Token');
  return {
    unconfirmed: (reason) => ({
      level: 'error',
      text: vscode.l10n.t(
        'Rotation stopped: GitHub did not confirm the secret {0} ({1}); it may hold the old or the new token. Both tokens are valid: the old token "{2}" was not revoked, and the new token "{3}" was kept. Check the secret on GitHub; "Copy New Token" puts the new one on the clipboard to set it by hand.',
        where,
        reason,
        oldName,
        created.name,
      ),
      copy,
    }),
    undone: (reason) => ({
      level: 'error',
      text: vscode.l10n.t(
        'Rotation stopped: GitHub did not update the secret {0} ({1}). The new token "{2}" was revoked again, so nothing changed: the old token "{3}" is still valid and still in the secret.',
        where,
        reason,
        created.name,
        oldName,
      ),
    }),
    undoFailed: (reason, failure) => ({
      level: 'error',
      text: vscode.l10n.t(
        'Rotation stopped: GitHub did not update the secret {0} ({1}), and revoking the unused new token "{2}" failed too ({3}). The old token "{4}" is still valid and still in the secret; revoke "{2}" from the list, or copy it to set it by hand.',
        where,
        reason,
        created.name,
        failure,
        oldName,
      ),
      copy,
    }),
  };
}

export function registerRotate(deps: Deps, gh: GitHubAuth): vscode.Disposable {
  return registerOneAtATime<unknown>(
    deps,
    Command.rotateToken,
    () => vscode.l10n.t('A rotation is already running. Finish or cancel that one first.'),
    (arg) => rotate(deps, gh, arg),
  );
}
