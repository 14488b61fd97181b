import * as vscode from 'vscode';
import type { AppNode } from '../tree/nodes';
import type { Deps } from './deps';

let running: Promise<void> | undefined;

/**
 * Registers a command that mints a token. One such flow runs at a time across all of them: a second click while
 * one runs (Create, or Create as GitHub Secret) makes no second token.
 */
export function registerMintCommand(
  deps: Deps,
  id: string,
  run: (arg: AppNode | string | undefined) => Promise<void>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, (arg?: AppNode | string) => {
    if (running) {
      void deps.prompter().notify('info', vscode.l10n.t('A deploy token is already being created. Finish or cancel that one first.'));
      return running;
    }
    running = run(arg).finally(() => (running = undefined));
    return running;
  });
}
