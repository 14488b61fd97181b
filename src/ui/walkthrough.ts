import * as vscode from 'vscode';

/** contributes.walkthroughs[0].id in package.json */
export const WALKTHROUGH_ID = 'gettingStarted';
/** globalState key: true once the walkthrough was offered in this VS Code profile (never a token or a name). */
export const WALKTHROUGH_OFFERED = 'flyTokens.walkthroughOffered';

/**
 * Opens the "Get Started" walkthrough the first time the extension runs in this VS Code profile, never again.
 * Desktop VS Code opens a walkthrough by itself when its extension is installed from the Extensions view (which
 * activates the extension through `onWalkthrough:`; the call below then only brings the open walkthrough forward);
 * code-server does not, and an extension installed by `code --install-extension` is not opened either. Honours
 * `workbench.welcomePage.walkthroughs.openOnInstall`, as VS Code does.
 */
export function openWalkthroughOnce(context: vscode.ExtensionContext): void {
  if (context.globalState.get<boolean>(WALKTHROUGH_OFFERED)) return;
  void context.globalState.update(WALKTHROUGH_OFFERED, true);
  if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return;
  void vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false).then(
    undefined,
    () => undefined, // a VS Code without walkthroughs: nothing to offer
  );
}
