import * as vscode from 'vscode';
import type { FlyError } from '../fly/errors';
import { classifyToken, type TokenKind, type TokenKindInfo } from '../fly/tokenKinds';
import type { AppRef, Organization, PartialWarning, TokenInfo } from '../fly/types';
import type { TokenOwner, TokenRecord } from '../model/listing';
import type { TokenState } from '../model/tokenState';
import { absoluteTime, relativeTime } from '../ui/dates';
import type { FlyFile, FlyFileResult } from '../workspace/flyFiles';

/** The few words a narrow sidebar has room for; the whole message goes into the tooltip. */
export function shortReason(error: Pick<FlyError, 'kind' | 'message'>): string {
  switch (error.kind) {
    case 'notFound':
      return vscode.l10n.t('not on Fly.io');
    case 'forbidden':
      return vscode.l10n.t('no access');
    case 'unauthorized':
      return vscode.l10n.t('sign-in refused');
    case 'network':
      return vscode.l10n.t('unreachable');
    case 'rateLimited':
      return vscode.l10n.t('rate limited');
    default:
      return vscode.l10n.t('not loaded');
  }
}

/** "TOML error, line 3", "no app name": why a fly.toml names no app, in a few words. */
export function shortFileReason(result: Extract<FlyFileResult, { ok: false }>): string {
  if (result.line !== undefined) return vscode.l10n.t('TOML error, line {0}', result.line);
  return result.short ?? result.message.replace(/\s*\(.*\)$/, '');
}
import { visibleText } from '../ui/visibleText';

/** An app named by the workspace's fly.toml files. contextValue: "app;ok" or "app;error". */
export class AppNode extends vscode.TreeItem {
  readonly kind = 'app';
  constructor(
    readonly appName: string,
    readonly files: readonly FlyFile[],
    /** known once Fly answered for this app */
    readonly app: AppRef | undefined,
    readonly error: FlyError | undefined,
    expanded: boolean,
    /** Fly left some of this app's tokens out (a partial answer) */
    readonly warning?: PartialWarning,
  ) {
    super(visibleText(appName), expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `app:${appName}`;
    const where = files.map(shownPath);
    const shown = where.length > 1 ? `${where[0]} +${where.length - 1}` : (where[0] ?? '');
    // the reason first: in a narrow sidebar the end of a description is what gets cut
    const reason = error ? shortReason(error) : warning && leftOutText(warning);
    this.description = [reason, shown, app?.organization.slug].filter(Boolean).join(' · ');
    const flagged = !!error || !!warning;
    this.iconPath = new vscode.ThemeIcon(flagged ? 'warning' : 'package', flagged ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    this.contextValue = error ? 'app;error' : 'app;ok';
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escape(appName)}**\n\n`);
    if (app) md.appendMarkdown(vscode.l10n.t('Organization: {0} ({1})', escape(app.organization.name), escape(app.organization.slug)) + '\n\n');
    md.appendMarkdown(vscode.l10n.t('Named in: {0}', where.map(escape).join(', ')));
    if (error) md.appendMarkdown(`\n\n$(warning) ${escape(error.message)}`);
    if (warning) md.appendMarkdown(`\n\n$(warning) ${escape(leftOutDetail(warning))}`);
    this.tooltip = md;
  }
}

/** "1 token left out", "3 tokens left out", or "incomplete": short enough for a narrow sidebar. */
export function leftOutText(w: PartialWarning): string {
  if (w.omitted === 0) return vscode.l10n.t('incomplete');
  return w.omitted === 1 ? vscode.l10n.t('1 token left out') : vscode.l10n.t('{0} tokens left out', w.omitted);
}

/** The tooltip's sentence: what Fly left out and the reasons it gave. */
export function leftOutDetail(w: PartialWarning): string {
  const reasons = w.reasons.join('; ') || vscode.l10n.t('no reason given');
  if (w.omitted === 0) return vscode.l10n.t('Fly.io sent only part of this list ({0}). Refresh to try again.', reasons);
  return w.omitted === 1
    ? vscode.l10n.t('Fly.io could not send 1 token of this list ({0}). The others are shown; refresh to try again.', reasons)
    : vscode.l10n.t('Fly.io could not send {0} tokens of this list ({1}). The others are shown; refresh to try again.', w.omitted, reasons);
}

/** An organization (organization scope). contextValue "org". */
export class OrgNode extends vscode.TreeItem {
  readonly kind = 'org';
  constructor(
    readonly organization: Organization,
    readonly error: string | undefined,
    readonly warning?: PartialWarning,
    errorKind?: FlyError['kind'],
  ) {
    super(visibleText(organization.name || organization.slug), vscode.TreeItemCollapsibleState.Expanded);
    this.id = `org:${organization.slug}`;
    // the reason first, as on app rows: the end of a description is what a narrow sidebar cuts
    const reason = error ? (errorKind === 'forbidden' ? shortReason({ kind: errorKind, message: error }) : vscode.l10n.t('not listed')) : warning && leftOutText(warning);
    this.description = [reason, organization.slug].filter(Boolean).join(' · ');
    this.iconPath = new vscode.ThemeIcon(error || warning ? 'warning' : 'organization', error || warning ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    this.contextValue = error ? 'org;error' : 'org';
    this.tooltip = error ?? (warning ? leftOutDetail(warning) : vscode.l10n.t('Organization {0}', organization.slug));
  }
}

const STATE_ICON: Record<TokenState, [string, string]> = {
  active: ['pass', 'charts.green'],
  expiring: ['warning', 'charts.yellow'],
  expired: ['error', 'errorForeground'],
  revoked: ['circle-slash', 'disabledForeground'],
  unknown: ['question', 'problemsWarningIcon.foreground'],
};

/**
 * A deploy token. contextValue: "token;active", "token;active;expiring", "token;expired", "token;revoked"; or
 * "staleToken;…" while it comes from the last session's listing.
 */
export class TokenNode extends vscode.TreeItem {
  readonly kind = 'token';
  constructor(
    /** what commands invoked on this row act on */
    readonly record: TokenRecord,
    now: number,
  ) {
    const { token, owner, state } = record;
    super(token.name ? visibleText(token.name) : vscode.l10n.t('(unnamed)'), vscode.TreeItemCollapsibleState.None);
    this.id = `token:${owner.app?.name ?? owner.organization?.slug ?? ''}:${token.id}`;
    const locale = vscode.env.language;
    const kind = classifyToken(token);
    this.description = [kindLabel(kind), rowStateText(record, now, locale)].filter(Boolean).join(' · ');
    const [icon, color] = STATE_ICON[state];
    this.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    // A row from the last session's listing offers no action: the token may have been revoked meanwhile.
    this.contextValue = record.stale ? `staleToken;${state}` : state === 'expiring' ? 'token;active;expiring' : `token;${state}`;
    this.tooltip = tokenTooltip(token, owner, locale, kind);
    this.accessibilityInformation = { label: [this.label as string, kindLabel(kind), stateText(record, now, locale)].filter(Boolean).join(', ') };
  }
}

/** "in 3 mo.", "expired", "revoked": a row's description, short enough for a narrow sidebar (the tooltip has dates). */
function rowStateText(r: TokenRecord, now: number, locale: string): string {
  if (r.state === 'revoked') return vscode.l10n.t('revoked');
  if (r.state === 'unknown') return vscode.l10n.t('state unknown');
  if (r.state === 'expired') return vscode.l10n.t('expired');
  return relativeTime(Date.parse(r.token.expiresAt), now, locale, 'short');
}

/** "expires in 3 months", "expired 2 days ago", "revoked": for pickers, confirmations and screen readers. */
export function stateText(r: TokenRecord, now: number, locale = vscode.env.language): string {
  const expires = Date.parse(r.token.expiresAt);
  switch (r.state) {
    case 'revoked':
      return vscode.l10n.t('revoked');
    case 'unknown':
      return vscode.l10n.t('state unknown');
    case 'expired':
      return vscode.l10n.t('expired {0}', relativeTime(expires, now, locale));
    default:
      return vscode.l10n.t('expires {0}', relativeTime(expires, now, locale));
  }
}

/**
 * A short name for what a token is for, shown before its state; none for the plain app deploy token, the view's
 * usual row. See src/fly/tokenKinds.ts for how the kind is told.
 */
export function kindLabel(k: TokenKindInfo): string | undefined {
  const labels: Record<TokenKind, string | undefined> = {
    deploy: undefined,
    ssh: vscode.l10n.t('SSH'),
    machineExec: vscode.l10n.t('machine exec'),
    orgDeploy: vscode.l10n.t('org deploy'),
    orgReadOnly: vscode.l10n.t('read-only'),
    wireGuard: vscode.l10n.t('WireGuard'),
    liteFsCloud: vscode.l10n.t('LiteFS Cloud'),
    flyctlMetrics: vscode.l10n.t('flyctl metrics'),
    flyctlSession: vscode.l10n.t('flyctl session'),
    flyctlSynthetics: vscode.l10n.t('flyctl synthetics'),
    flyctlStaticsPush: vscode.l10n.t('flyctl statics push'),
    flyctlKubernetes: vscode.l10n.t('flyctl FKS'),
    flyctlImageScan: vscode.l10n.t('flyctl image scan'),
    flyctlLiteFs: vscode.l10n.t('flyctl LiteFS'),
    identity: vscode.l10n.t('identity'),
    registry: vscode.l10n.t('registry'),
    other: k.profile || undefined,
  };
  return labels[k.kind];
}

function kindDetail(k: TokenKindInfo): string {
  const label = kindLabel(k) ?? vscode.l10n.t('deploy');
  if (k.housekeeping) return vscode.l10n.t('{0} (made by flyctl for itself)', label);
  return k.fromName ? vscode.l10n.t("{0} (told by flyctl's default name)", label) : label;
}

function tokenTooltip(t: Readonly<TokenInfo>, owner: TokenOwner, locale: string, kind: TokenKindInfo): vscode.MarkdownString {
  const rows: [string, string][] = [
    [vscode.l10n.t('ID'), `\`${t.id}\``],
    [vscode.l10n.t('Kind'), kindDetail(kind)],
    [vscode.l10n.t('Profile'), t.profile],
    [vscode.l10n.t('Created by'), t.createdBy],
    [vscode.l10n.t('Created'), absoluteTime(t.createdAt, locale)],
    [vscode.l10n.t('Expires'), absoluteTime(t.expiresAt, locale)],
  ];
  if (owner.app) rows.splice(2, 0, [vscode.l10n.t('App'), owner.app.name]);
  const org = owner.organization ?? owner.app?.organization;
  if (org) rows.splice(3, 0, [vscode.l10n.t('Organization'), org.slug]);
  if (t.revokedAt) rows.push([vscode.l10n.t('Revoked'), absoluteTime(t.revokedAt, locale) + (t.revokedBy ? ` (${t.revokedBy})` : '')]);
  const md = new vscode.MarkdownString(`**${escape(t.name)}**\n\n| | |\n|---|---|\n`);
  for (const [k, v] of rows) md.appendMarkdown(`| ${escape(k)} | ${k === 'ID' ? v : escape(v)} |\n`);
  if (t.stateUnknown && !t.revokedAt) {
    md.appendMarkdown(
      `\n$(warning) ${escape(vscode.l10n.t('State unknown: Fly.io could not say whether this token is revoked (it timed out). Do not count on it being active or revoked; refresh to ask again.'))}`,
    );
  }
  return md;
}

/** A folded group of an app's or organization's expired (or revoked) tokens, in long lists. contextValue "group". */
export class GroupNode extends vscode.TreeItem {
  readonly kind = 'group';
  constructor(
    parentId: string,
    readonly state: 'expired' | 'revoked',
    readonly records: readonly TokenRecord[],
  ) {
    super(
      state === 'expired' ? vscode.l10n.t('Expired ({0})', records.length) : vscode.l10n.t('Revoked ({0})', records.length),
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    this.id = `${parentId}:group:${state}`;
    this.iconPath = new vscode.ThemeIcon(state === 'expired' ? 'history' : 'circle-slash');
    this.contextValue = 'group';
    this.tooltip =
      state === 'expired'
        ? vscode.l10n.t('Tokens that have expired: they no longer work, and can be revoked to tidy the list.')
        : vscode.l10n.t('Revoked tokens (shown because "Show Revoked Tokens" is on).');
  }
}

/** A row that says something instead of listing: a file that can't be read, a refresh that failed, an empty app. */
export class MessageNode extends vscode.TreeItem {
  readonly kind = 'message';
  constructor(
    id: string,
    label: string,
    description: string | undefined,
    icon: string,
    contextValue: 'error' | 'fileError' | 'empty' | 'action',
    command?: vscode.Command,
    tooltip?: string,
  ) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.description = description;
    this.iconPath = new vscode.ThemeIcon(icon, contextValue === 'error' || contextValue === 'fileError' ? new vscode.ThemeColor('errorForeground') : undefined);
    this.contextValue = contextValue;
    this.command = command;
    this.tooltip = tooltip ?? (description ? `${label}: ${description}` : label);
  }
}

export type FlyNode = AppNode | OrgNode | TokenNode | GroupNode | MessageNode;

/** A fly.toml's path as rows show it: inside its folder, with the folder's name in a multi-root workspace. */
export function shownPath(f: FlyFile): string {
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${f.folder.name}/${f.relativePath}` : f.relativePath;
}

/** Markdown-escaped, with hidden characters shown (see ui/visibleText.ts). */
function escape(s: string): string {
  return visibleText(s).replace(/[\\`*_{}[\]<>|#]/g, '\\$&');
}
