// The `flyTokens.restrictedMode` context key for package.json's `when` clauses (palette, tree menus, welcome views):
// true while VS Code says the workspace is not trusted, false once it is (or trust is turned off).
// Our own key instead of VS Code's `isWorkspaceTrusted`: that one is set by a workbench contribution late in start-up
// (after the "restored" phase; false until then), and hosts differ in when and whether they set it; the extension
// itself goes by `vscode.workspace.isTrusted`, and so do its menus now. It says "restricted" rather than "trusted"
// on purpose: before the extension activates the key is unset, and then the trusted-only commands stay in the
// palette (run in Restricted Mode, they explain why they cannot help) instead of missing for trusted users.
import * as vscode from 'vscode';

/** Sets the key now and again when the user grants trust (trust is never taken back within a window). */
export function trackRestrictedMode(): vscode.Disposable {
  // A literal key: the manifest test finds the keys the code sets by their setContext calls.
  const publish = () => vscode.commands.executeCommand('setContext', 'flyTokens.restrictedMode', !vscode.workspace.isTrusted);
  void publish();
  return vscode.workspace.onDidGrantWorkspaceTrust(() => void publish());
}
