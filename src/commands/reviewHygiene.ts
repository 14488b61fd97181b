// "Fly: Review Token Hygiene": the tokens of the workspace's apps' organizations worth a second look, grouped by
// reason, in a webview a person would rather look at than read: counts per reason, then one table per reason with
// Revoke and Rotate where they apply; live risks (tokens that still work) first, tidying last. One request reads
// every organization's tokens and members. The webview has a strict Content-Security-Policy (no network, scripts
// only with a nonce) and runs commands by message passing; every value in it (token names come from anyone in the
// organization) is escaped.
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import type { OrgReview } from '../fly/types';
import {
  byReason,
  countByTier,
  hygieneFindings,
  orgRecords,
  reasonTier,
  type Finding,
  type HygieneReason,
  type HygieneTier,
} from '../model/hygiene';
import { ensureSignedIn } from '../minting/questions';
import { readSettings } from '../settings/fly';
import { relativeTime } from '../ui/dates';
import { escapeHtml, nonce } from '../ui/html';
import { showError } from '../ui/showError';

export interface HygieneView {
  /** the report's HTML as last rendered (tests read it) */
  html(): string | undefined;
  /** what the webview's buttons send (tests send it as the page would) */
  receive(message: unknown): Promise<void>;
}

interface Reviewed {
  findings: Finding[];
  orgs: OrgReview[];
  tokensSeen: number;
  /** tokens whose state Fly could not send: not judged */
  unknownState: number;
  at: number;
}

export function reasonTitle(reason: HygieneReason): string {
  switch (reason) {
    case 'expiredNotRevoked':
      return vscode.l10n.t('Expired but not revoked');
    case 'departedCreator':
      return vscode.l10n.t('Created by someone who left the organization');
    case 'longLived':
      return vscode.l10n.t('Lifetime over one year');
    case 'defaultName':
      return vscode.l10n.t("flyctl's default name");
    case 'orgTokenForOneApp':
      return vscode.l10n.t('Organization token for one app');
  }
}

function tierTitle(tier: HygieneTier): string {
  return tier === 'risk' ? vscode.l10n.t('Live risks') : vscode.l10n.t('Tidying');
}

function tierAdvice(tier: HygieneTier): string {
  return tier === 'risk'
    ? vscode.l10n.t('These tokens still work. Deal with them first.')
    : vscode.l10n.t('Not urgent: expired tokens can no longer be used, and a default name only hides what a token is for.');
}

/** The second sentence of the summary: how many findings are live risks, how many only need tidying. */
function tierSummary(counts: Record<HygieneTier, number>): string {
  const risk =
    counts.risk === 0
      ? vscode.l10n.t('None is a live risk.')
      : counts.risk === 1
        ? vscode.l10n.t('1 still works and is a risk.')
        : vscode.l10n.t('{0} still work and are risks.', counts.risk);
  const tidying =
    counts.tidying === 0 ? '' : counts.tidying === 1 ? vscode.l10n.t('1 only needs tidying.') : vscode.l10n.t('{0} only need tidying.', counts.tidying);
  return tidying ? `${risk} ${tidying}` : risk;
}

function reasonAdvice(reason: HygieneReason): string {
  switch (reason) {
    case 'expiredNotRevoked':
      return vscode.l10n.t('They can no longer be used, but they clutter every list. Revoke them when convenient.');
    case 'departedCreator':
      return vscode.l10n.t('Their maker is no longer a member, yet the tokens still work. Rotate or revoke them.');
    case 'longLived':
      return vscode.l10n.t("flyctl's default lifetime is 20 years. A leaked long-lived token stays useful for years: rotate it with a shorter lifetime.");
    case 'defaultName':
      return vscode.l10n.t('The name says nothing about where the token is used, so nobody can tell whether it is still needed.');
    case 'orgTokenForOneApp':
      return vscode.l10n.t('The organization has one app in this workspace: an app deploy token can do the same with less reach.');
  }
}

export function registerReviewHygiene(deps: Deps): { disposable: vscode.Disposable; view: HygieneView } {
  let panel: vscode.WebviewPanel | undefined;
  let last: Reviewed | undefined;
  let html: string | undefined;

  const render = () => {
    if (!panel || !last) return;
    html = reportHtml(last);
    panel.webview.html = html;
  };

  const review = async (): Promise<Reviewed | undefined> => {
    if (deps.model.listing.status !== 'ready' || deps.model.listing.stale) await deps.model.refresh();
    const names = deps.model.workspaceApps().map((a) => a.name);
    const apps = names.map((n) => deps.model.knownApp(n)).filter((a) => a !== undefined);
    const slugs = new Set(apps.map((a) => a.organization.slug));
    for (const slug of deps.model.listing.orgs.keys()) slugs.add(slug);
    if (slugs.size === 0) {
      await deps.prompter().notify(
        'info',
        vscode.l10n.t('There is nothing to review: no fly.toml in this workspace names an app Fly.io knows, and no organization is listed. Show Organization Tokens to add one.'),
      );
      return undefined;
    }
    let orgs: OrgReview[];
    try {
      orgs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reviewing your tokens…') }, () =>
        deps.client().reviewOrganizations([...slugs]),
      );
    } catch (e) {
      await showError(deps, e, vscode.l10n.t('Could not review the tokens'));
      return undefined;
    }
    const now = Date.now();
    const warningDays = readSettings().expiryWarningDays;
    const workspaceApps = new Map<string, number>();
    for (const a of apps) workspaceApps.set(a.organization.slug, (workspaceApps.get(a.organization.slug) ?? 0) + 1);
    const members = new Map(orgs.map((o) => [o.slug, o.ok ? o.members : null]));
    const records = orgs.flatMap((o) => (o.ok ? orgRecords(o.organization, o.tokens, apps, now, warningDays) : []));
    const findings = hygieneFindings(records, { now, members, workspaceApps });
    deps.log.info(`Token hygiene: ${findings.length} finding(s) among ${records.length} token(s) of ${orgs.length} organization(s).`);
    const unknownState = records.filter((x) => x.state === 'unknown').length;
    return { findings, orgs, tokensSeen: records.length, unknownState, at: now };
  };

  const show = async () => {
    if (!(await ensureSignedIn(deps, vscode.l10n.t('Sign in to Fly.io to review your tokens.')))) return;
    const result = await review();
    if (!result) return;
    last = result;
    if (!panel) {
      panel = vscode.window.createWebviewPanel('flyTokens.hygiene', vscode.l10n.t('Token Hygiene'), vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
        enableFindWidget: true,
      });
      panel.onDidDispose(() => {
        panel = undefined;
        html = undefined;
      });
      panel.webview.onDidReceiveMessage((m: unknown) => receive(m));
    }
    render();
    panel.reveal();
  };

  const receive = async (message: unknown): Promise<void> => {
    if (typeof message !== 'object' || message === null) return;
    const { action, id } = message as { action?: unknown; id?: unknown };
    if (action === 'refresh') return show();
    if ((action !== 'revoke' && action !== 'rotate') || typeof id !== 'string') return;
    const finding = last?.findings.find((f) => f.record.token.id === id);
    if (!finding || (action === 'rotate' && !finding.canRotate)) return;
    // What changed on Fly's side shows in a fresh review: as soon as the command changes the model (a command's
    // last notification may stay open long after), and once more when it ends if it changed the model again.
    let changes = 0;
    const sub = deps.model.onDidChange(() => changes++);
    try {
      const run = Promise.resolve(vscode.commands.executeCommand(action === 'revoke' ? Command.revokeToken : Command.rotateToken, finding.record));
      const firstChange = new Promise<void>((resolve) => {
        const once = deps.model.onDidChange(() => {
          once.dispose();
          resolve();
        });
        void run.finally(() => {
          once.dispose();
          resolve();
        });
      });
      await firstChange;
      const seen = changes;
      if (seen > 0) await reviewAgain();
      await run;
      if (changes > seen) await reviewAgain();
    } finally {
      sub.dispose();
    }
  };

  const reviewAgain = async () => {
    const again = await review();
    if (again) {
      last = again;
      render();
    }
  };

  const disposable = vscode.Disposable.from(
    vscode.commands.registerCommand(Command.reviewTokenHygiene, show),
    { dispose: () => panel?.dispose() },
  );
  return { disposable, view: { html: () => html, receive } };
}

function where(f: Finding): string {
  const org = f.record.owner.organization ?? f.record.owner.app?.organization;
  const app = f.record.owner.app?.name;
  if (f.record.token.profile === 'deploy_organization') return vscode.l10n.t('all apps of {0}', org?.slug ?? '');
  return app ? `${app} · ${org?.slug ?? ''}` : vscode.l10n.t('another app of {0}', org?.slug ?? '');
}

function row(f: Finding, now: number, locale: string): string {
  const t = f.record.token;
  const expires = Date.parse(t.expiresAt);
  const when = Number.isFinite(expires)
    ? expires <= now
      ? vscode.l10n.t('expired {0}', relativeTime(expires, now, locale))
      : vscode.l10n.t('expires {0}', relativeTime(expires, now, locale))
    : t.expiresAt;
  const id = escapeHtml(t.id);
  const revoke = `<button data-action="revoke" data-id="${id}">${escapeHtml(vscode.l10n.t('Revoke'))}</button>`;
  const rotate = f.canRotate ? `<button class="secondary" data-action="rotate" data-id="${id}">${escapeHtml(vscode.l10n.t('Rotate'))}</button>` : '';
  return (
    '<tr>' +
    `<td class="name">${escapeHtml(t.name)}<div class="id">${id}</div></td>` +
    `<td>${escapeHtml(where(f))}</td>` +
    `<td>${escapeHtml(t.createdBy || vscode.l10n.t('unknown'))}</td>` +
    `<td>${escapeHtml(when)}</td>` +
    `<td class="actions">${rotate}${revoke}</td>` +
    '</tr>'
  );
}

function reportHtml(r: Reviewed): string {
  const n = nonce();
  const locale = vscode.env.language;
  const groups = byReason(r.findings);
  const tokenCount = r.findings.length;
  const summary =
    tokenCount === 0
      ? vscode.l10n.t('No token needs a second look among the {0} tokens reviewed.', r.tokensSeen)
      : tokenCount === 1
        ? vscode.l10n.t('1 token of the {0} reviewed is worth a second look.', r.tokensSeen)
        : vscode.l10n.t('{0} tokens of the {1} reviewed are worth a second look.', tokenCount, r.tokensSeen);
  const ranked = tokenCount === 0 ? '' : ` ${tierSummary(countByTier(r.findings))}`;
  const orgsLine = r.orgs.map((o) => escapeHtml(o.slug)).join(', ');
  const notes: string[] = [];
  for (const o of r.orgs) {
    if (!o.ok && o.error.kind === 'forbidden') notes.push(vscode.l10n.t('{0}: not reviewed, Fly.io refused access to it ({1})', o.slug, o.error.message));
    else if (!o.ok) notes.push(vscode.l10n.t('{0}: not reviewed, it could not be read ({1})', o.slug, o.error.message));
    else if (o.members === null) notes.push(vscode.l10n.t('{0}: its members could not be read, so tokens of people who left are not flagged there', o.slug));
  }
  if (r.unknownState === 1) notes.push(vscode.l10n.t('1 token is not judged: Fly.io could not say whether it is revoked. Review again later.'));
  else if (r.unknownState > 1) notes.push(vscode.l10n.t('{0} tokens are not judged: Fly.io could not say whether they are revoked. Review again later.', r.unknownState));
  const cards = groups
    .map(([reason, fs]) => `<a class="card${fs.length ? '' : ' zero'}" href="#${reason}"><span class="count">${fs.length}</span><span>${escapeHtml(reasonTitle(reason))}</span></a>`)
    .join('');
  const headers = [vscode.l10n.t('Token'), vscode.l10n.t('Reaches'), vscode.l10n.t('Created by'), vscode.l10n.t('Expiry'), '']
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const section = ([reason, fs]: [HygieneReason, Finding[]]) =>
    `<section id="${reason}"><h3>${escapeHtml(reasonTitle(reason))} <span class="badge">${fs.length}</span></h3>` +
    `<p class="advice">${escapeHtml(reasonAdvice(reason))}</p>` +
    `<table><thead><tr>${headers}</tr></thead><tbody>${fs.map((f) => row(f, r.at, locale)).join('')}</tbody></table></section>`;
  const sections = (['risk', 'tidying'] as const)
    .map((tier) => {
      const inTier = groups.filter(([reason, fs]) => reasonTier(reason) === tier && fs.length > 0);
      if (inTier.length === 0) return '';
      return (
        `<div class="tier" id="tier-${tier}"><h2>${escapeHtml(tierTitle(tier))}</h2><p class="advice">${escapeHtml(tierAdvice(tier))}</p>` +
        `${inTier.map(section).join('')}</div>`
      );
    })
    .join('');
  const csp = `default-src 'none'; style-src 'nonce-${n}'; script-src 'nonce-${n}'`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(vscode.l10n.t('Token Hygiene'))}</title>
<style nonce="${n}">
body {
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
  color: var(--vscode-foreground);
  padding: 0 20px 24px;
}
h1 { font-size: 1.5em; font-weight: 600; margin: 18px 0 4px; }
h2 { font-size: 1.3em; font-weight: 600; margin: 30px 0 2px; }
h3 { font-size: 1.1em; font-weight: 600; margin: 22px 0 2px; }
.sub, .advice, .id, .notes { color: var(--vscode-descriptionForeground); }
.id { font-size: 0.85em; font-family: var(--vscode-editor-font-family); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 6px; }
.card {
  display: flex;
  flex-direction: column;
  min-width: 130px;
  max-width: 200px;
  padding: 10px 14px;
  border-radius: 6px;
  text-decoration: none;
  color: var(--vscode-foreground);
  background: var(--vscode-editorWidget-background);
  border: 1px solid var(--vscode-widget-border, transparent);
}
.card .count { font-size: 1.9em; font-weight: 600; color: var(--vscode-charts-orange); }
.card.zero .count { color: var(--vscode-charts-green); }
.badge {
  font-size: 0.8em;
  padding: 1px 7px;
  border-radius: 9px;
  background: var(--vscode-badge-background);
  color: var(--vscode-badge-foreground);
}
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th {
  text-align: left;
  font-weight: 600;
  border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
  padding: 6px 8px;
}
td {
  padding: 6px 8px;
  border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
  vertical-align: top;
  overflow-wrap: anywhere;
}
td.name { font-weight: 600; }
td.actions { white-space: nowrap; text-align: right; }
button {
  font-family: inherit;
  color: var(--vscode-button-foreground);
  background: var(--vscode-button-background);
  border: none;
  padding: 4px 10px;
  margin-left: 6px;
  border-radius: 2px;
  cursor: pointer;
}
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
</style></head><body>
<h1>${escapeHtml(vscode.l10n.t('Token Hygiene'))}</h1>
<div class="sub">${escapeHtml(summary + ranked)} ${escapeHtml(vscode.l10n.t('Organizations:'))} ${orgsLine}. <button class="secondary" data-action="refresh">${escapeHtml(vscode.l10n.t('Review Again'))}</button></div>
${notes.length ? `<ul class="notes">${notes.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : ''}
<div class="cards">${cards}</div>
${sections}
<script nonce="${n}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const b = e.target instanceof Element ? e.target.closest('button[data-action]') : null;
  if (b) vscode.postMessage({ action: b.dataset.action, id: b.dataset.id });
});
</script>
</body></html>`;
}
