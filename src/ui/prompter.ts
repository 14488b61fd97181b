import * as vscode from 'vscode';

/**
 * Every question the extension asks goes through a Prompter. VS Code's UI is the real one; the tests of the
 * extension install a scripted one (activate() exposes setPrompter in Test mode), so nothing waits on a dialog.
 * `id` names the question so a script can answer it.
 */
export interface PickOptions {
  id: string;
  title?: string;
  placeholder?: string;
  step?: number;
  totalSteps?: number;
  canPickMany?: boolean;
}

export interface InputOptions {
  id: string;
  title?: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  step?: number;
  totalSteps?: number;
  /** returns an error message, or undefined when the value is acceptable */
  validate?: (value: string) => string | undefined;
  /** closes the input box from outside (e.g. when a browser sign-in completes on its own) */
  cancellation?: vscode.CancellationToken;
}

export type NotifyKind = 'info' | 'warning' | 'error';

export interface Prompter {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** a modal warning; true when the user chose `confirmLabel` */
  confirm(id: string, message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** a notification; resolves with the action chosen, or undefined when it is dismissed */
  notify(kind: NotifyKind, message: string, ...actions: string[]): Promise<string | undefined>;
  openExternal(uri: vscode.Uri): Promise<boolean>;
}

export class VsCodePrompter implements Prompter {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return this.quickPick(items, options, false).then((r) => r?.[0]);
  }

  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return this.quickPick(items, options, true);
  }

  private quickPick<T extends vscode.QuickPickItem>(items: readonly T[], o: PickOptions, many: boolean): Promise<T[] | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<T>();
      qp.title = o.title;
      qp.placeholder = o.placeholder;
      qp.step = o.step;
      qp.totalSteps = o.totalSteps;
      qp.canSelectMany = many;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.items = items;
      if (many) qp.selectedItems = items.filter((i) => i.picked);
      else {
        const picked = items.find((i) => i.picked);
        if (picked) qp.activeItems = [picked];
      }
      let done = false;
      qp.onDidAccept(() => {
        done = true;
        resolve(many ? [...qp.selectedItems] : qp.activeItems.slice(0, 1));
        qp.dispose();
      });
      qp.onDidHide(() => {
        if (!done) resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }

  input(o: InputOptions): Promise<string | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = o.title;
      box.prompt = o.prompt;
      box.placeholder = o.placeholder;
      box.value = o.value ?? '';
      box.password = o.password ?? false;
      box.step = o.step;
      box.totalSteps = o.totalSteps;
      box.ignoreFocusOut = true;
      let done = false;
      const check = (v: string) => (box.validationMessage = o.validate?.(v));
      box.onDidChangeValue(check);
      box.onDidAccept(() => {
        const message = o.validate?.(box.value);
        if (message) {
          box.validationMessage = message;
          return;
        }
        done = true;
        resolve(box.value);
        box.dispose();
      });
      box.onDidHide(() => {
        if (!done) resolve(undefined);
        box.dispose();
      });
      const sub = o.cancellation?.onCancellationRequested(() => box.hide());
      box.onDidHide(() => sub?.dispose());
      if (box.value) check(box.value);
      box.show();
    });
  }

  async confirm(_id: string, message: string, detail: string, confirmLabel: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    return choice === confirmLabel;
  }

  notify(kind: NotifyKind, message: string, ...actions: string[]): Promise<string | undefined> {
    const show =
      kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return Promise.resolve(show(message, ...actions));
  }

  openExternal(uri: vscode.Uri): Promise<boolean> {
    return Promise.resolve(vscode.env.openExternal(uri));
  }
}
