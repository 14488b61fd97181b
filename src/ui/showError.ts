import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { UnauthorizedError } from '../fly/errors';
import type { Log } from '../log';
import type { Prompter } from './prompter';

export interface ErrorSink {
  /** the Fly session, told when Fly refused it */
  auth: { markInvalid(): void };
  prompter: () => Prompter;
  log: Log;
}

/**
 * Tells the user what went wrong and what to do. A 401 marks the session invalid (the view then offers
 * "Sign In Again") instead of repeating the error on every call.
 */
export async function showError(deps: ErrorSink, e: unknown, context?: string): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  deps.log.error(context ? `${context}: ${message}` : message);
  if (e instanceof UnauthorizedError) {
    deps.auth.markInvalid();
    const signIn = vscode.l10n.t('Sign In Again');
    const choice = await deps.prompter().notify('error', vscode.l10n.t('Fly.io no longer accepts your sign-in. Sign in again to continue.'), signIn);
    if (choice === signIn) await vscode.commands.executeCommand(Command.signIn);
    return;
  }
  const showLog = vscode.l10n.t('Show Log');
  const choice = await deps.prompter().notify('error', context ? `${context}: ${message}` : message, showLog);
  if (choice === showLog) deps.log.show();
}
