import type * as vscode from 'vscode';
import type { FlyAuth } from '../auth/flyAuth';
import type { FlyClient } from '../fly/client';
import type { Log } from '../log';
import type { TokensTree } from '../tree/tokensTree';
import type { Prompter } from '../ui/prompter';

/** What every command gets: the few long-lived objects activate() builds. */
export interface Deps {
  context: vscode.ExtensionContext;
  auth: FlyAuth;
  tree: TokensTree;
  /** a client signed in as the current session (throws SettingsError on a bad API URL setting) */
  client: () => FlyClient;
  prompter: () => Prompter;
  log: Log;
}
