// What an inspected token is, in words for a narrow sidebar, a hover and a dialog. Reads only the inspection (never
// the token itself), so nothing here can show or send a token.
import * as vscode from 'vscode';
import { actionNames, validityAt, type InspectedKind, type TokenInspection } from '../fly/tokenInspect';
import { Location } from '../fly/macaroon';

/** Numeric ids to names, when the caller knows them (the view's listing); an id otherwise. */
export interface IdNames {
  app?(id: number): string | undefined;
  organization?(id: number): string | undefined;
}

export function kindTitle(kind: InspectedKind): string {
  switch (kind) {
    case 'authToken':
      return vscode.l10n.t('Fly.io auth token');
    case 'bundle':
      return vscode.l10n.t('Fly.io login bundle');
    case 'deploy':
      return vscode.l10n.t('Fly.io deploy token');
    case 'orgDeploy':
      return vscode.l10n.t('Fly.io organization token');
    case 'orgReadOnly':
      return vscode.l10n.t('Fly.io read-only token');
    case 'ssh':
      return vscode.l10n.t('Fly.io SSH token');
    case 'machineExec':
      return vscode.l10n.t('Fly.io machine-exec token');
    case 'wireGuard':
      return vscode.l10n.t('Fly.io WireGuard token');
    case 'macaroon':
      return vscode.l10n.t('Fly.io token');
    case 'unreadable':
      return vscode.l10n.t('Fly.io token (unreadable)');
  }
}

/** One sentence: what holding this token lets someone do. */
export function kindSentence(kind: InspectedKind): string {
  switch (kind) {
    case 'authToken':
      return vscode.l10n.t('A full login to a Fly.io account: every organization and app it can reach.');
    case 'bundle':
      return vscode.l10n.t('An auth token with deploy tokens, as flyctl keeps it: as strong as a full login.');
    case 'deploy':
      return vscode.l10n.t('Deploys and manages the app it is limited to.');
    case 'orgDeploy':
      return vscode.l10n.t('Deploys and manages every app of one organization.');
    case 'orgReadOnly':
      return vscode.l10n.t('Reads everything in one organization; changes nothing.');
    case 'ssh':
      return vscode.l10n.t('Opens SSH sessions to the machines of one app.');
    case 'machineExec':
      return vscode.l10n.t('Runs commands on the machines of one app.');
    case 'wireGuard':
      return vscode.l10n.t('Sets up WireGuard access to an organization\'s private network.');
    case 'macaroon':
      return vscode.l10n.t('A deploy-style token of a shape flyctl does not make.');
    case 'unreadable':
      return vscode.l10n.t('Shaped like a Fly.io token but not readable here (cut short, or a newer format). Treat it as live.');
  }
}

function date(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString(vscode.env.language, { dateStyle: 'medium', timeStyle: 'short' });
}

function actionsText(bits: number): string {
  const names = actionNames(bits);
  if (names.length === 5) return vscode.l10n.t('everything');
  if (names.length === 0) return vscode.l10n.t('nothing');
  return names.join(', ');
}

/** The facts read from the token, one short line each. */
export function detailLines(i: TokenInspection, names: IdNames = {}, nowSeconds = Date.now() / 1000): string[] {
  const lines: string[] = [];
  if (i.kind === 'authToken' || i.kind === 'bundle') {
    lines.push(vscode.l10n.t('Auth tokens carry no limits that can be read: no app, no expiry.'));
    if (i.kind === 'authToken') return lines;
  }
  if (i.organization) {
    const org = names.organization?.(i.organization.id) ?? vscode.l10n.t('#{0}', i.organization.id);
    lines.push(vscode.l10n.t('Organization: {0} ({1}).', org, actionsText(i.organization.actions)));
  }
  if (i.apps !== null) {
    const apps = i.apps.map((a) => `${names.app?.(a.id) ?? vscode.l10n.t('#{0}', a.id)} (${actionsText(a.actions)})`);
    lines.push(apps.length === 1 ? vscode.l10n.t('App: {0}.', apps[0]) : vscode.l10n.t('Apps ({0}): {1}.', apps.length, apps.join(', ')));
  } else if (i.permissions > 0 && i.organization) {
    lines.push(vscode.l10n.t('Apps: all of the organization\'s.'));
  }
  if (i.actions !== null) lines.push(vscode.l10n.t('Every request limited to: {0}.', actionsText(i.actions)));
  if (i.mutations) lines.push(vscode.l10n.t('Changes allowed: {0}.', i.mutations.join(', ')));
  if (i.commands) {
    lines.push(
      i.commands.length === 0
        ? vscode.l10n.t('Commands: none.')
        : vscode.l10n.t('Commands: {0}.', i.commands.map((c) => `\`${c.args.join(' ')}\`${c.exact ? '' : ' …'}`).join(', ')),
    );
  }
  if (i.features) lines.push(vscode.l10n.t('Features: {0}.', i.features.join(', ')));
  const state = validityAt(i, nowSeconds);
  if (i.notAfter !== null) {
    lines.push(state === 'expired' ? vscode.l10n.t('Expired {0}.', date(i.notAfter)) : vscode.l10n.t('Valid until {0}.', date(i.notAfter)));
  } else if (i.permissions > 0) {
    lines.push(vscode.l10n.t('No expiry can be read from it.'));
  }
  if (state === 'notYet' && i.notBefore !== null) lines.push(vscode.l10n.t('Not valid before {0}.', date(i.notBefore)));
  const sealed = i.thirdParty.filter((t) => !t.discharged);
  const isAuth = (l: string) => l === Location.Authentication || l === Location.NewAuthentication;
  for (const t of sealed) {
    lines.push(
      isAuth(t.location)
        ? vscode.l10n.t('Needs a proof from Fly.io\'s login service that is not in the token: it may not work alone.')
        : vscode.l10n.t('Has a condition sealed for {0} that cannot be read here.', t.location),
    );
  }
  const otherDischarged = i.thirdParty.filter((t) => t.discharged && !isAuth(t.location)).length;
  if (otherDischarged > 0) {
    lines.push(
      otherDischarged === 1
        ? vscode.l10n.t('Carries a proof from another service; its limits are shown above.')
        : vscode.l10n.t('Carries {0} proofs from other services; their limits are shown above.', otherDischarged),
    );
  }
  if (i.unknownCaveats > 0) {
    lines.push(
      i.unknownCaveats === 1
        ? vscode.l10n.t('Has 1 limit this extension cannot read: it may allow less than shown.')
        : vscode.l10n.t('Has {0} limits this extension cannot read: it may allow less than shown.', i.unknownCaveats),
    );
  }
  if (i.unreadable > 0 && i.kind !== 'unreadable') {
    lines.push(i.unreadable === 1 ? vscode.l10n.t('1 part could not be read.') : vscode.l10n.t('{0} parts could not be read.', i.unreadable));
  }
  return lines;
}

/** Said wherever a token is described: reading it sent nothing. */
export function offlineNote(): string {
  return vscode.l10n.t('Read from the token itself: nothing was sent anywhere.');
}

/** An error for a login (a full account), a warning for anything narrower. */
export function isLogin(kind: InspectedKind): boolean {
  return kind === 'authToken' || kind === 'bundle';
}
