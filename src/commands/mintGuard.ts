import * as vscode from 'vscode';
import type { Deps } from '../deps';

interface Flight {
  running?: Promise<void>;
}

type Run<A> = (arg: A | undefined) => Promise<void>;

function guarded<A>(flight: Flight, deps: Deps, id: string, busy: () => string, run: Run<A>): vscode.Disposable {
  return vscode.commands.registerCommand(id, (arg?: A) => {
    if (flight.running) {
      void deps.prompter().notify('info', busy());
      return flight.running;
    }
    flight.running = run(arg).finally(() => (flight.running = undefined));
    return flight.running;
  });
}

const minting: Flight = {};

/**
 * Registers a command that mints a token. One such flow runs at a time across all of them: a second click while
 * one runs (Create, or Create as GitHub Secret) makes no second token.
 */
export function registerMintCommand(deps: Deps, id: string, run: (arg: unknown) => Promise<void>): vscode.Disposable {
  return guarded(minting, deps, id, () => vscode.l10n.t('A deploy token is already being created. Finish or cancel that one first.'), run);
}

/** Registers a command of which one run at a time is allowed; a click while it runs shows `busy` and starts nothing. */
export function registerOneAtATime<A>(deps: Deps, id: string, busy: () => string, run: Run<A>): vscode.Disposable {
  return guarded({}, deps, id, busy, run);
}
