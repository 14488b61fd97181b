// Minting a deploy token: the one request that must never be sent twice (a retried create makes a second token).
import * as vscode from 'vscode';
import type { Deps } from '../deps';
import { RateLimitedError } from '../fly/errors';
import type { AppRef, CreatedToken, Organization } from '../fly/types';
import { showError } from '../ui/showError';
import type { TokenDetails } from './questions';

/** An organization deploy token's target (flyctl's `tokens create org`): it can deploy every app of the organization. */
export interface OrgTarget {
  kind: 'organization';
  organization: Organization;
}

type Failed = { ok: false; maybe: boolean; reason: string; error: unknown };
export type MintOutcome =
  | { ok: true; created: CreatedToken; app: AppRef }
  /** `maybe`: the request was sent and its answer lost, so the token may exist (the model was refreshed to show it) */
  | Failed;
export type OrgMintOutcome = { ok: true; created: CreatedToken; organization: Organization } | Failed;

/**
 * Mints a deploy token for an app (a name is looked up first, unless the model knows it) or for a whole organization,
 * and shows it in the model. The token header is returned to the caller only: nothing here logs, stores or copies it.
 */
export function mint(deps: Deps, target: AppRef | string, details: TokenDetails, progressTitle?: string): Promise<MintOutcome>;
export function mint(deps: Deps, target: OrgTarget, details: TokenDetails, progressTitle?: string): Promise<OrgMintOutcome>;
export async function mint(
  deps: Deps,
  target: AppRef | string | OrgTarget,
  details: TokenDetails,
  progressTitle?: string,
): Promise<MintOutcome | OrgMintOutcome> {
  const org = typeof target !== 'string' && 'kind' in target ? target.organization : undefined;
  const what = org ? `organization ${org.slug}` : typeof target === 'string' ? target : (target as AppRef).name;
  let app = org ? undefined : typeof target === 'string' ? deps.model.knownApp(target) : (target as AppRef);
  const title = org
    ? vscode.l10n.t('Creating an organization deploy token for {0}…', org.slug)
    : vscode.l10n.t('Creating a deploy token for {0}…', what);
  try {
    const progress = { location: vscode.ProgressLocation.Notification, title: progressTitle ?? title };
    const created = await vscode.window.withProgress(progress, async () => {
      const client = deps.client();
      if (org) return client.createOrgDeployToken({ organization: org, name: details.name, expiry: details.expiry });
      app ??= await client.getApp(what);
      return client.createDeployToken({ app, name: details.name, expiry: details.expiry });
    });
    const kind = org ? 'organization deploy token' : 'deploy token';
    deps.log.info(`Created ${kind} ${created.id} ("${created.name}") for ${what}, expires ${created.expiresAt}.`);
    const by = (await deps.auth.account())?.email ?? '';
    if (created.warnings?.length) {
      // The answer held the token and errors: the token exists and works, so it is handed over; the errors are news.
      const said = created.warnings.join('; ');
      deps.log.warn(`Fly.io created ${created.id} for ${what} but also reported: ${said}`);
      void deps.prompter().notify('warning', vscode.l10n.t('Fly.io created the token "{0}" but also reported: {1}', created.name, said));
    }
    if (org) {
      deps.model.recordCreated(org, created, by);
      return { ok: true, created, organization: org };
    }
    deps.model.recordCreated(app!, created, by);
    return { ok: true, created, app: app! };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const maybe = e instanceof Error && 'mayHaveSucceeded' in e && !!e.mayHaveSucceeded;
    deps.log.warn(`Create for ${what} failed${maybe ? ' after the request was sent' : ''}: ${reason}`);
    if (maybe) await deps.model.refresh();
    return { ok: false, maybe, reason, error: e };
  }
}

/** Says why a mint made no token (or may have made one); `what` names the app or organization for the error. */
export async function reportMintFailure(deps: Deps, outcome: Failed, details: TokenDetails, what: string): Promise<void> {
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
    await showError(deps, outcome.error, vscode.l10n.t('Could not create a deploy token for {0}', what));
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
  await reportMintFailure(deps, outcome, details, appName);
  return undefined;
}
