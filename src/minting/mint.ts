// Minting a deploy token: the one request that must never be sent twice (a retried create makes a second token).
import * as vscode from 'vscode';
import type { Deps } from '../deps';
import { RateLimitedError } from '../fly/errors';
import type { AppRef, CreatedToken } from '../fly/types';
import { showError } from '../ui/showError';
import type { TokenDetails } from './questions';

export type MintOutcome =
  | { ok: true; created: CreatedToken; app: AppRef }
  /** `maybe`: the request was sent and its answer lost, so the token may exist (the model was refreshed to show it) */
  | { ok: false; maybe: boolean; reason: string; error: unknown };

/**
 * Mints a deploy token for an app (a name is looked up first, unless the model knows it) and shows it in the model.
 * The token header is returned to the caller only: nothing here logs, stores or copies it.
 */
export async function mint(deps: Deps, appOrName: AppRef | string, details: TokenDetails, progressTitle?: string): Promise<MintOutcome> {
  const appName = typeof appOrName === 'string' ? appOrName : appOrName.name;
  let app = typeof appOrName === 'string' ? deps.model.knownApp(appOrName) : appOrName;
  try {
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: progressTitle ?? vscode.l10n.t('Creating a deploy token for {0}…', appName) },
      async () => {
        const client = deps.client();
        app ??= await client.getApp(appName);
        return client.createDeployToken({ app, name: details.name, expiry: details.expiry });
      },
    );
    deps.log.info(`Created deploy token ${created.id} ("${created.name}") for ${appName}, expires ${created.expiresAt}.`);
    deps.model.recordCreated(app!, created, (await deps.auth.account())?.email ?? '');
    return { ok: true, created, app: app! };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const maybe = e instanceof Error && 'mayHaveSucceeded' in e && !!e.mayHaveSucceeded;
    deps.log.warn(`Create for ${appName} failed${maybe ? ' after the request was sent' : ''}: ${reason}`);
    if (maybe) await deps.model.refresh();
    return { ok: false, maybe, reason, error: e };
  }
}

/** Mints, or tells the user why it could not; undefined when no token was made (or may have been, see the message). */
export async function mintOrReport(
  deps: Deps,
  appName: string,
  details: TokenDetails,
): Promise<{ created: CreatedToken; app: AppRef } | undefined> {
  const outcome = await mint(deps, appName, details);
  if (outcome.ok) return outcome;
  if (outcome.maybe) {
    await deps.prompter().notify(
      'warning',
      vscode.l10n.t(
        'Fly.io did not confirm the new token ({0}). It may have been created anyway, and it was not retried so that no second token is made. The list was refreshed: if "{1}" is there, it exists but its secret is lost — revoke it and create another.',
        outcome.reason,
        details.name,
      ),
    );
  } else if (outcome.error instanceof RateLimitedError) {
    await deps.prompter().notify('warning', vscode.l10n.t('No token was created: {0}', outcome.reason));
  } else {
    await showError(deps, outcome.error, vscode.l10n.t('Could not create a deploy token for {0}', appName));
  }
  return undefined;
}
