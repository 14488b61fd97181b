// Tokens of the workspace's apps that expire within flyTokens.expiryWarningDays: a badge on the view, and at most
// one notification per token per day (the day is kept per token id in globalState; ids are not secrets).
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { readSettings } from '../settings/fly';
import type { Deps } from '../deps';
import { hygieneFindings, type HygieneReason } from '../model/hygiene';
import type { TokenRecord } from '../model/listing';
import { localDay, relativeTime } from '../ui/dates';
import { visibleText } from '../ui/visibleText';

const NOTIFIED_KEY = 'flyTokens.expiryNotified';

export class ExpiryWarnings implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly view: vscode.TreeView<unknown>,
  ) {
    this.disposables.push(
      deps.model.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flyTokens.expiryWarningDays') || e.affectsConfiguration('flyTokens.badgeReasons')) this.schedule();
      }),
    );
  }

  private schedule(): void {
    clearTimeout(this.timer);
    // a create or revoke right after a load fires again: look once it has settled
    this.timer = setTimeout(() => void this.check(), 150);
  }

  /** Updates the badge and sends today's notifications; resolves when done (tests await it). */
  check(): Promise<void> {
    clearTimeout(this.timer);
    this.pending = this.pending.then(() => this.run()).catch((e: unknown) => this.deps.log.warn(`Expiry check failed: ${String(e)}`));
    return this.pending;
  }

  /** The expiring tokens of the workspace's apps, once each. */
  expiring(): TokenRecord[] {
    const apps = new Set(this.deps.model.workspaceApps().map((a) => a.name));
    const seen = new Set<string>();
    return this.deps.model.tokens().filter((n) => {
      if (n.state !== 'expiring' || !n.owner.app || !apps.has(n.owner.app.name) || seen.has(n.token.id)) return false;
      seen.add(n.token.id);
      return true;
    });
  }

  /**
   * Tokens the badge also counts for the hygiene reasons chosen in flyTokens.badgeReasons (none by default), other
   * than the expiring ones. Memberships are read only by the review, so "created by someone who left" is not among them.
   */
  flagged(): TokenRecord[] {
    const chosen = new Set(readSettings().badgeReasons);
    if (chosen.size === 0) return [];
    const expiring = new Set(this.expiring().map((r) => r.token.id));
    const workspaceApps = new Map<string, number>();
    for (const a of this.deps.model.workspaceApps()) {
      const slug = this.deps.model.knownApp(a.name)?.organization.slug;
      if (slug) workspaceApps.set(slug, (workspaceApps.get(slug) ?? 0) + 1);
    }
    return hygieneFindings(this.deps.model.tokens(), { now: Date.now(), members: new Map(), workspaceApps })
      .filter((f) => !expiring.has(f.record.token.id) && f.reasons.some((r: HygieneReason) => chosen.has(r)))
      .map((f) => f.record);
  }

  private async run(): Promise<void> {
    const nodes = this.expiring();
    const flagged = this.flagged();
    const days = readSettings().expiryWarningDays;
    const count = nodes.length + flagged.length;
    this.view.badge =
      count === 0
        ? undefined
        : {
            value: count,
            tooltip: flagged.length === 0 ? badgeTooltip(nodes.length, days) : flaggedTooltip(count),
          };
    // Rotate from a notification needs tokens Fly has confirmed: the badge may use the last session's, not these.
    if (this.deps.model.listing.stale) return;
    const memento = this.deps.context.globalState;
    const notified = memento.get<Record<string, string>>(NOTIFIED_KEY) ?? {};
    const day = localDay();
    const due = nodes.filter((n) => notified[n.token.id] !== day);
    if (due.length === 0) return;
    // ids of tokens no longer expiring are dropped, so the record doesn't grow forever
    const keep = new Set(nodes.map((n) => n.token.id));
    const next: Record<string, string> = Object.fromEntries(Object.entries(notified).filter(([id]) => keep.has(id)));
    for (const n of due) next[n.token.id] = day;
    await memento.update(NOTIFIED_KEY, next);
    const rotate = vscode.l10n.t('Rotate');
    for (const n of due) {
      const message = vscode.l10n.t('Deploy token "{0}" of {1} expires {2}.', visibleText(n.token.name), n.owner.app!.name, relativeTime(Date.parse(n.token.expiresAt), Date.now(), vscode.env.language));
      // not awaited: a notification stays open until dismissed, and must not hold up the others
      void this.deps.prompter().notify('warning', message, rotate).then((choice) => {
        if (choice === rotate) return vscode.commands.executeCommand(Command.rotateToken, n);
      });
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** "1 deploy token expires within 1 day" … "3 deploy tokens expire within 14 days": each count in its own form. */
export function badgeTooltip(tokens: number, days: number): string {
  if (tokens === 1) return days === 1 ? vscode.l10n.t('1 deploy token expires within 1 day') : vscode.l10n.t('1 deploy token expires within {0} days', days);
  return days === 1
    ? vscode.l10n.t('{0} deploy tokens expire within 1 day', tokens)
    : vscode.l10n.t('{0} deploy tokens expire within {1} days', tokens, days);
}

/** The badge's tooltip when it counts hygiene findings too. */
export function flaggedTooltip(tokens: number): string {
  return tokens === 1 ? vscode.l10n.t('1 token needs attention (Review Token Hygiene)') : vscode.l10n.t('{0} tokens need attention (Review Token Hygiene)', tokens);
}
