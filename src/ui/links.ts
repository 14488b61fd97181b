import * as vscode from 'vscode';
import { checkLink, type LinkProblem } from '../http/links';
import type { Prompter } from './prompter';
import { visibleText } from './visibleText';

/**
 * Why `raw` may not be opened, as the user reads it, or undefined when it may (see checkLink). `what` names the
 * page, e.g. "the sign-in page".
 */
export function linkRefusal(raw: string, allowedOrigins: readonly string[], what: string): string | undefined {
  const checked = checkLink(raw, allowedOrigins);
  if (checked.ok) return undefined;
  const shown = visibleText(raw.length > 120 ? `${raw.slice(0, 120)}…` : raw);
  const hosts = allowedOrigins.join(', ');
  const reasons: Record<LinkProblem, string> = {
    notUrl: vscode.l10n.t('it is not a web address.'),
    credentials: vscode.l10n.t('it carries a user name or password.'),
    scheme: vscode.l10n.t('only https links (plain http only to this machine) are opened.'),
    origin: vscode.l10n.t('it does not lead to {0}.', hosts),
  };
  return vscode.l10n.t('Refusing to open {0} ({1}): {2}', what, shown, reasons[checked.problem]);
}

/** Opens `raw` if linkRefusal allows it; otherwise says why as an error and opens nothing. */
export async function openCheckedLink(prompter: Prompter, raw: string, allowedOrigins: readonly string[], what: string): Promise<boolean> {
  const refusal = linkRefusal(raw, allowedOrigins, what);
  if (refusal) {
    void prompter.notify('error', refusal);
    return false;
  }
  const checked = checkLink(raw, allowedOrigins);
  return checked.ok ? prompter.openExternal(vscode.Uri.parse(checked.url, true)) : false;
}
