// "Fly: Revoke a Leaked Token…": the token in hand, not one picked by ID — as `fly tokens revoke supplied` does, the
// LogOut mutation authenticated by the pasted token itself. First it says what the token is (read-only, asked with
// the token), then, after a modal confirmation, revokes it. The pasted value lives only in this function's locals:
// it is never logged, stored, shown or put in a message, and is gone when the command ends.
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import { FlyError, NetworkError, UnauthorizedError } from '../fly/errors';
import { credentialOf, parsePastedToken, sharesPartWith, type PastedProblem, type PastedToken } from '../fly/pastedToken';
import type { TokenProbe } from '../fly/types';
import type { TokenRecord } from '../model/listing';
import { registerOneAtATime } from './mintGuard';
import { isPrefilledToken } from '../leaks/index';

type Parsed = Extract<PastedToken, { ok: true }>;

export function registerRevokeLeakedToken(deps: Deps): vscode.Disposable {
  return registerOneAtATime(
    deps,
    Command.revokeLeakedToken,
    () => vscode.l10n.t('A leaked token is already being revoked. Finish or cancel that first.'),
    // A token found in a file (its quick fix) or inspected arrives prefilled: nothing is asked, all is still confirmed.
    (arg) => revokeLeaked(deps, isPrefilledToken(arg) ? arg.leakedToken() : undefined),
  );
}

function problemText(problem: PastedProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Paste the token: it starts with FlyV1, fm2_ or fo1_.');
    case 'broken':
      return vscode.l10n.t('The token has spaces or line breaks inside it. Copy it again as one line.');
    case 'tooLong':
      return vscode.l10n.t('That is much longer than any Fly.io token. Paste only the token.');
    case 'notFly':
      return vscode.l10n.t('That is not a Fly.io token. Fly.io tokens start with FlyV1, fm2_ (deploy and organization tokens) or fo1_ (auth tokens).');
  }
}

const KIND_WORDS = (p: Parsed): string =>
  p.kind === 'authToken'
    ? vscode.l10n.t('an auth token (a full login to a Fly.io account)')
    : p.kind === 'bundle'
      ? p.macaroons === 1
        ? vscode.l10n.t('a login bundle as flyctl keeps it: an auth token and a deploy or organization token')
        : vscode.l10n.t('a login bundle as flyctl keeps it: an auth token and {0} deploy or organization token parts', p.macaroons)
      : vscode.l10n.t('a deploy or organization token');

/** The listed token the pasted one most likely is: same creator, same app or organization, still active. */
function listEntry(deps: Deps, probe: TokenProbe): TokenRecord | undefined {
  const app = probe.apps?.totalCount === 1 ? probe.apps.apps[0] : undefined;
  const slug = probe.apps?.apps[0]?.organization.slug;
  const candidates = deps.model.tokens().filter((r) => {
    if (r.state === 'revoked' || r.state === 'expired' || r.token.createdBy.toLowerCase() !== probe.email.toLowerCase()) return false;
    if (app) return r.owner.app?.name === app.name || (r.token.profile === 'deploy_organization' && r.owner.organization?.slug === app.organization.slug);
    return r.token.profile === 'deploy_organization' && (r.owner.organization ?? r.owner.app?.organization)?.slug === slug;
  });
  const ids = new Set(candidates.map((c) => c.token.id));
  return ids.size === 1 ? candidates[0] : undefined;
}

/** What Fly said about a deploy or organization token, in words. */
function describeMacaroon(probe: TokenProbe, entry: TokenRecord | undefined): string {
  const lines: string[] = [];
  const apps = probe.apps;
  if (apps && apps.totalCount === 1 && apps.apps[0]) {
    lines.push(vscode.l10n.t('It can deploy one app: {0} (organization {1}).', apps.apps[0].name, apps.apps[0].organization.slug));
  } else if (apps && apps.totalCount > 1 && apps.apps[0]) {
    lines.push(vscode.l10n.t('It is an organization token: it can deploy all {0} apps of {1}.', apps.totalCount, apps.apps[0].organization.slug));
  } else {
    lines.push(vscode.l10n.t('Fly.io did not say which apps it reaches.'));
  }
  lines.push(vscode.l10n.t('Created by {0}.', probe.email));
  if (entry) lines.push(vscode.l10n.t('In your list it is most likely "{0}" (ID {1}).', entry.token.name, entry.token.id));
  return lines.join('\n');
}

/** Asks for the token (masked). The raw text stays inside this function: only what was read from it comes out. */
async function askToken(deps: Deps): Promise<PastedToken | undefined> {
  const pasted = await deps.prompter().input({
    id: 'leaked.token',
    title: vscode.l10n.t('Revoke a leaked token'),
    password: true,
    prompt: vscode.l10n.t('Paste the token that leaked (FlyV1 …, fm2_… or fo1_…). It is sent only to Fly.io, never stored or shown.'),
    validate: (v) => {
      const r = parsePastedToken(v);
      return r.ok ? undefined : problemText(r.problem);
    },
  });
  return pasted === undefined ? undefined : parsePastedToken(pasted);
}

async function revokeLeaked(deps: Deps, prefilled?: string): Promise<void> {
  const prompter = deps.prompter();
  const parsed = prefilled === undefined ? await askToken(deps) : parsePastedToken(prefilled);
  if (!parsed) return;
  if (!parsed.ok) {
    await prompter.notify('error', problemText(parsed.problem));
    return;
  }
  const credential = credentialOf(parsed);
  const leaked = deps.clientWith(() => Promise.resolve(credential));
  const account = await deps.auth.account();
  const signedInHere = !!account && !deps.auth.isInvalid;
  const ownLogin = signedInHere && sharesPartWith(parsed, (await deps.auth.credentials())?.token);

  // 1. What it is: nothing changes yet. The extension's own login needs no request to be recognised.
  let probe: TokenProbe | undefined;
  let description: string;
  if (ownLogin) {
    description = vscode.l10n.t(
      'This is your own Fly.io login ({0}) — the auth token this extension signs in with. Revoking it signs you out everywhere it is used: here, and in flyctl or CI if they use the same token.',
      account.email,
    );
  } else {
    try {
      probe = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Asking Fly.io what this token is…') }, () =>
        leaked.probeToken(parsed.kind === 'macaroons' ? 'macaroon' : 'user'),
      );
    } catch (e) {
      await tellProbeFailure(deps, e);
      return;
    }
    const kind = vscode.l10n.t('This is {0}.', KIND_WORDS(parsed));
    if (parsed.kind === 'macaroons') description = `${kind}\n${describeMacaroon(probe, listEntry(deps, probe))}`;
    else if (account && probe.email.toLowerCase() === account.email.toLowerCase()) {
      description = `${kind}\n${vscode.l10n.t(
        'It belongs to your own account ({0}), but it is not the login this extension uses: revoking it signs out whatever uses it (flyctl, CI).',
        probe.email,
      )}`;
    } else description = `${kind}\n${vscode.l10n.t('It is the login of {0}: revoking it signs that account out wherever the token is used.', probe.email)}`;
  }
  deps.log.info(`Leaked token check: ${parsed.kind} (${parsed.macaroons} macaroon part(s), ${parsed.authTokens} auth token(s))${ownLogin ? ', the extension\'s own login' : ''}.`);

  // What the token itself says (read locally, on demand: the macaroon reader is not in the activation bundle).
  const { describeToken } = await import('../leaks/leakFinder');
  description = `${description}\n\n${describeToken(credential).detail}`;

  // 2. Confirm, then LogOut with the token itself. The host is named: the token leaves this machine for it.
  const host = apiHost(leaked.baseUrl);
  const confirmed = await prompter.confirm(
    'leaked.confirm',
    ownLogin ? vscode.l10n.t('Revoke your own login and sign out everywhere?') : vscode.l10n.t('Revoke this token?'),
    `${description}\n\n${vscode.l10n.t('The token is sent to {0} to revoke it.', host)}\n${vscode.l10n.t('Anything that uses it stops working at once. This cannot be undone.')}`,
    ownLogin ? vscode.l10n.t('Revoke and Sign Out') : vscode.l10n.t('Revoke'),
  );
  if (!confirmed) return;

  let ok: boolean;
  try {
    ok = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Revoking the token…') }, () => leaked.logOut())).ok;
  } catch (e) {
    await tellRevokeFailure(deps, e);
    return;
  }
  if (!ok) {
    deps.log.warn('Leaked token: Fly.io answered ok: false to LogOut.');
    await prompter.notify(
      'error',
      vscode.l10n.t('Fly.io did not accept the revocation, so the token may still work. Revoke it in the Fly.io dashboard (the organization\'s Tokens page).'),
    );
    return;
  }

  // 3. Fly said ok: ask once more with the token whether Fly now refuses it, before calling it revoked.
  const check = await checkRefused(leaked);
  deps.log.info(`Leaked token: LogOut answered ok (${parsed.kind}); afterwards Fly ${check === 'refused' ? 'refuses it' : check === 'accepted' ? 'still accepts it' : 'could not be asked'}.`);
  if (check === 'accepted') {
    await prompter.notify(
      'warning',
      vscode.l10n.t(
        'Fly.io answered that the token was revoked, but it still accepts it. Run this command again in a minute; if it is still accepted, revoke it in the Fly.io dashboard (the organization\'s Tokens page).',
      ),
    );
    if (probeTouchesList(deps, probe)) await deps.model.refresh();
    return;
  }
  if (typeof check === 'object') deps.log.warn(`Leaked token: could not confirm the revocation: ${check.reason}`);
  const unchecked =
    check === 'refused' ? '' : ` ${vscode.l10n.t('Fly.io could not be asked afterwards whether it now refuses the token: run this command again to check (a revoked token is reported as such).')}`;

  // 4. Our own state: a revoked own login ends the session; a listed token's row changes.
  if (ownLogin) {
    await deps.auth.signOut();
    const signIn = vscode.l10n.t('Sign In');
    const choice = await prompter.notify(
      'warning',
      vscode.l10n.t('Your auth token was revoked: you are signed out of Fly.io everywhere it was used, including here. Sign in again to continue.') + unchecked,
      signIn,
    );
    if (choice === signIn) await vscode.commands.executeCommand(Command.signIn);
    return;
  }
  const touchesList = probeTouchesList(deps, probe);
  const ownAccount = !!account && !!probe && parsed.kind !== 'macaroons' && probe.email.toLowerCase() === account.email.toLowerCase();
  // A revoked login of the same account may have been ours too, if Fly shares tokens between logins: a refresh tells.
  if (touchesList || ownAccount) await deps.model.refresh();
  if (check === 'refused') {
    await prompter.notify('info', vscode.l10n.t('The token was revoked: Fly.io now refuses it. Remember to remove it where it leaked.'));
  } else {
    await prompter.notify('warning', vscode.l10n.t('Fly.io answered that the token was revoked.') + unchecked + ' ' + vscode.l10n.t('Remember to remove it where it leaked.'));
  }
}

function apiHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** One `viewer` question with the revoked token: does Fly refuse it now? Never throws; says why it could not tell. */
async function checkRefused(leaked: ReturnType<Deps['clientWith']>): Promise<'refused' | 'accepted' | { reason: string }> {
  try {
    return await leaked.tokenAccepted();
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
}

function probeTouchesList(deps: Deps, probe: TokenProbe | undefined): boolean {
  const slugs = new Set((probe?.apps?.apps ?? []).map((a) => a.organization.slug));
  const names = new Set((probe?.apps?.apps ?? []).map((a) => a.name));
  return deps.model.tokens().some((r) => names.has(r.owner.app?.name ?? '') || slugs.has((r.owner.organization ?? r.owner.app?.organization)?.slug ?? ''));
}

/** The read-only check failed: say why, and that nothing was revoked. Never touches the extension's own session. */
async function tellProbeFailure(deps: Deps, e: unknown): Promise<void> {
  const reason = e instanceof Error ? e.message : String(e);
  deps.log.warn(`Leaked token check failed: ${e instanceof FlyError ? e.kind : 'error'}.`);
  if (e instanceof UnauthorizedError) {
    await deps.prompter().notify(
      'info',
      vscode.l10n.t('Fly.io does not accept this token: it is already revoked, it expired, or it was never valid. There is nothing left to revoke.'),
    );
    return;
  }
  const text =
    e instanceof NetworkError
      ? vscode.l10n.t('Could not reach Fly.io to check the token ({0}). Nothing was revoked; try again.', reason)
      : vscode.l10n.t('Could not check the token: {0} Nothing was revoked.', reason);
  await deps.prompter().notify('error', text);
}

async function tellRevokeFailure(deps: Deps, e: unknown): Promise<void> {
  const reason = e instanceof Error ? e.message : String(e);
  deps.log.warn(`Leaked token revocation failed: ${e instanceof FlyError ? e.kind : 'error'}${e instanceof FlyError && e.mayHaveSucceeded ? ' (outcome unknown)' : ''}.`);
  let text: string;
  if (e instanceof UnauthorizedError) {
    text = vscode.l10n.t('Fly.io no longer accepts this token: it was revoked or expired in the meantime. There is nothing left to revoke.');
    await deps.prompter().notify('info', text);
    return;
  }
  if (e instanceof FlyError && e.mayHaveSucceeded) {
    text = vscode.l10n.t(
      'Fly.io did not answer ({0}), so it is not known whether the token was revoked. It was not sent again. Run this command again: a revoked token is reported as such.',
      reason,
    );
  } else text = vscode.l10n.t('The token was not revoked: {0}', reason);
  await deps.prompter().notify('error', text);
}
