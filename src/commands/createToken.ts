import * as vscode from 'vscode';
import { Command } from '../commandIds';
import type { Deps } from '../deps';
import type { AppRef, CreatedToken } from '../fly/types';
import { copyToken } from '../minting/clipboard';
import { mintOrReport } from '../minting/mint';
import { askTokenDetails, chooseApp, ensureSignedIn } from '../minting/questions';
import { appArg } from './args';
import { registerMintCommand } from './mintGuard';

/** What a finished create hands to "Set as GitHub Actions Secret" (the token stays in memory only). */
export type OnSetAsSecret = (created: CreatedToken, app: AppRef) => Promise<void>;

export function registerCreateToken(deps: Deps, onSetAsSecret?: OnSetAsSecret): vscode.Disposable {
  return registerMintCommand(deps, Command.createDeployToken, (arg) => createDeployToken(deps, arg, onSetAsSecret));
}

async function createDeployToken(deps: Deps, arg: unknown, onSetAsSecret: OnSetAsSecret | undefined): Promise<void> {
  const prompter = deps.prompter();
  if (!(await ensureSignedIn(deps))) return;
  const appName = appArg(arg) ?? (await chooseApp(deps));
  if (!appName) return;
  const details = await askTokenDetails(deps, appName);
  if (!details) return;

  const minted = await mintOrReport(deps, appName, details);
  if (!minted) return;
  const { created, app } = minted;
  const header = created.tokenHeader;
  const clearing = await copyToken(header);
  const copyAgain = vscode.l10n.t('Copy Again');
  const setSecret = vscode.l10n.t('Set as GitHub Actions Secret');
  const actions = onSetAsSecret && vscode.workspace.isTrusted ? [copyAgain, setSecret] : [copyAgain];
  const message = [
    vscode.l10n.t(
      'Deploy token "{0}" for {1} copied to the clipboard. Fly shows it only this once: paste it where it is needed now, e.g. as FLY_API_TOKEN in your CI secrets.',
      created.name,
      appName,
    ),
    clearing,
  ]
    .filter(Boolean)
    .join(' ');
  // The token stays in memory only while this notification is open.
  for (;;) {
    const choice = await prompter.notify('info', message, ...actions);
    if (choice === copyAgain) await copyToken(header);
    else if (choice === setSecret && onSetAsSecret) return onSetAsSecret(created, app);
    else return;
  }
}
