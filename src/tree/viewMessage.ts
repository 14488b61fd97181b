import * as vscode from 'vscode';
import type { Listing } from '../model/listing';
import type { TokensModel } from '../model/tokensModel';

/** The line above the rows: says when they are the last session's, not yet confirmed by Fly.io. */
export function viewMessage(l: Listing): string | undefined {
  if (!l.stale) return undefined;
  return l.error ? vscode.l10n.t('Last session’s tokens · not refreshed') : vscode.l10n.t('Last session’s tokens · refreshing…');
}

export function followListing(view: vscode.TreeView<unknown>, model: TokensModel): vscode.Disposable {
  return model.onDidChange((l) => {
    const message = viewMessage(l);
    if (view.message !== message) view.message = message;
  });
}
