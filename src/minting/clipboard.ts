// A new token on the clipboard, and (opt-in: flyTokens.clearClipboardAfterSeconds) off it again after a while.
import * as vscode from 'vscode';
import { SECTION } from '../settings/fly';

const MAX_SECONDS = 600;

/** The user-level setting only: a workspace must not be able to turn the clearing off. 0 = off. */
function clearAfterSeconds(): number {
  const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('clearClipboardAfterSeconds')?.globalValue;
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(MAX_SECONDS, Math.max(0, Math.floor(v))) : 0;
}

/** Each pending clear, with the token it clears. */
const pending = new Map<NodeJS.Timeout, string>();

/** Empties the clipboard if it still holds exactly `header`. */
async function clearIfStill(header: string): Promise<void> {
  if ((await vscode.env.clipboard.readText()) === header) await vscode.env.clipboard.writeText('');
}

/**
 * Copies the token. With clearing on, the clipboard is emptied after the delay if it still holds exactly this
 * token (anything copied since is left alone), and the returned sentence says so for the notification; otherwise
 * it is ''. The token stays in memory until then.
 */
export async function copyToken(header: string): Promise<string> {
  await vscode.env.clipboard.writeText(header);
  const seconds = clearAfterSeconds();
  if (seconds === 0) return '';
  const timer = setTimeout(() => {
    pending.delete(timer);
    void clearIfStill(header).catch(() => undefined);
  }, seconds * 1000);
  pending.set(timer, header);
  return seconds === 1
    ? vscode.l10n.t('The clipboard is cleared in 1 second if it still holds the token.')
    : vscode.l10n.t('The clipboard is cleared in {0} seconds if it still holds the token.', seconds);
}

/**
 * Does every clear still pending now, instead of when its timer would have fired: a window that closes (the
 * extension deactivates) would otherwise lose them, and leave the token on the clipboard for good.
 */
export async function clearPendingNow(): Promise<void> {
  const headers = [...pending.values()];
  for (const timer of pending.keys()) clearTimeout(timer);
  pending.clear();
  for (const header of headers) await clearIfStill(header).catch(() => undefined);
}
