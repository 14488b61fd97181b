import type * as vscode from 'vscode';
import type { FlyAuth } from './auth/flyAuth';
import type { FlyClient } from './fly/client';
import type { Log } from './log';
import type { TokensModel } from './model/tokensModel';
import type { Prompter } from './ui/prompter';

/** What every command and flow gets: the few long-lived objects activate() builds. */
export interface Deps {
  context: vscode.ExtensionContext;
  auth: FlyAuth;
  model: TokensModel;
  /** a client signed in as the current session (throws SettingsError on a bad API URL setting) */
  client: () => FlyClient;
  /** a client authenticated by another token (a pasted one to check or revoke); the token is never stored */
  clientWith: (getToken: () => Promise<string | undefined>) => FlyClient;
  prompter: () => Prompter;
  log: Log;
}
