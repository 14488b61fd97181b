import * as vscode from 'vscode';
import { Command, VIEW_ID } from '../commandIds';
import type { Deps } from '../deps';
import type { RevokeOutcome } from '../fly/types';
import type { TokenRecord } from '../model/listing';
import { stateText } from '../tree/nodes';
import { showError } from '../ui/showError';
import { tokenArgs } from './args';
import { visibleText } from '../ui/visibleText';

/** Revokes one token or all selected ones in one request, and says how each one went. */
export function registerRevokeTokens(deps: Deps): vscode.Disposable {
  return vscode.commands.registerCommand(Command.revokeToken, async (node?: unknown, selection?: unknown) => {
    const fromTree = tokenArgs(node, selection);
    const records = fromTree.length ? fromTree : await pickTokens(deps);
    if (!records?.length) return;
    const targets = dedupe(records.filter((n) => n.state !== 'revoked'));
    if (targets.length === 0) {
      await deps.prompter().notify(
        'info',
        records.length === 1 ? vscode.l10n.t('That token is already revoked.') : vscode.l10n.t('Those tokens are already revoked.'),
      );
      return;
    }
    const message =
      targets.length === 1
        ? vscode.l10n.t('Revoke the deploy token "{0}"?', visibleText(targets[0].token.name))
        : vscode.l10n.t('Revoke {0} deploy tokens?', targets.length);
    const lines = targets.map((n) => `• ${visibleText(n.token.name)} — ${where(n)}`);
    const consequence =
      targets.length === 1
        ? vscode.l10n.t('Anything that uses it, such as a CI pipeline, stops working at once. This cannot be undone.')
        : vscode.l10n.t('Anything that uses them, such as a CI pipeline, stops working at once. This cannot be undone.');
    const detail = `${lines.join('\n')}\n\n${consequence}`;
    if (!(await deps.prompter().confirm('revoke.confirm', message, detail, vscode.l10n.t('Revoke')))) return;

    let outcomes: RevokeOutcome[];
    try {
      outcomes = await vscode.window.withProgress(
        { location: { viewId: VIEW_ID } },
        () => deps.client().revokeTokens(targets.map((n) => n.token.id)),
      );
    } catch (e) {
      await showError(deps, e, vscode.l10n.t('Could not revoke'));
      return;
    }
    const account = await deps.auth.account();
    const revoked = outcomes.filter((o) => o.ok).map((o) => o.id);
    deps.model.recordRevoked(revoked, account?.email ?? '');
    const failed = outcomes.filter((o): o is Extract<RevokeOutcome, { ok: false }> => !o.ok);
    const nameOf = (id: string) => visibleText(targets.find((n) => n.token.id === id)?.token.name ?? id);
    deps.log.info(`Revoked ${revoked.length} of ${targets.length} token(s): ${revoked.join(', ') || 'none'}.`);
    if (failed.length === 0) {
      await deps.prompter().notify(
        'info',
        revoked.length === 1 ? vscode.l10n.t('Revoked "{0}".', nameOf(revoked[0])) : vscode.l10n.t('Revoked {0} tokens.', revoked.length),
      );
      return;
    }
    for (const f of failed) deps.log.warn(`Could not revoke ${f.id}: ${f.error.message}`);
    const reasons = failed.map((f) => `"${nameOf(f.id)}": ${f.error.message}`).join(' ');
    const text =
      revoked.length === 0
        ? vscode.l10n.t('No token was revoked. {0}', reasons)
        : vscode.l10n.t('Revoked {0} of {1} tokens. Not revoked — {2}', revoked.length, targets.length, reasons);
    // What failed may have changed on Fly's side: show the truth.
    void deps.model.refresh();
    await deps.prompter().notify(revoked.length === 0 ? 'error' : 'warning', text);
  });
}

function where(n: TokenRecord): string {
  const org = n.owner.organization ?? n.owner.app?.organization;
  const app = n.owner.app?.name;
  return [app ? vscode.l10n.t('app {0}', app) : undefined, org ? vscode.l10n.t('organization {0}', org.slug) : undefined].filter(Boolean).join(', ');
}

function dedupe(nodes: TokenRecord[]): TokenRecord[] {
  const seen = new Set<string>();
  return nodes.filter((n) => !seen.has(n.token.id) && !!seen.add(n.token.id));
}

async function pickTokens(deps: Deps): Promise<TokenRecord[] | undefined> {
  let nodes = (await deps.model.freshTokens()).filter((n) => n.state !== 'revoked');
  if (nodes.length === 0) {
    await deps.model.refresh();
    nodes = (await deps.model.freshTokens()).filter((n) => n.state !== 'revoked');
  }
  if (nodes.length === 0) {
    await deps.prompter().notify('info', vscode.l10n.t('There are no tokens to revoke in the Deploy Tokens view.'));
    return undefined;
  }
  const now = Date.now();
  const items = nodes.map((n) => ({
    label: visibleText(n.token.name),
    description: `${where(n)} · ${stateText(n, now)}`,
    detail: n.token.id,
    node: n,
  }));
  const picked = await deps.prompter().pickMany(items, {
    id: 'revoke.pick',
    title: vscode.l10n.t('Revoke deploy tokens'),
    placeholder: vscode.l10n.t('Select the tokens to revoke'),
  });
  return picked?.map((p) => p.node);
}
