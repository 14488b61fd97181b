// Answers the extension's questions from a script. A question nobody scripted fails at once (the command's
// promise rejects, and `assertDone()` names it), so no test can hang on a dialog.
import type * as vscode from 'vscode';
import type { InputOptions, NotifyKind, PickOptions, Prompter } from '../../../src/ui/prompter';

type PickAnswer = string | string[] | undefined | ((labels: string[]) => string | string[] | undefined);
type InputAnswer = string | undefined | ((o: InputOptions) => string | undefined | Promise<string | undefined>);
/** A confirmation answered by a function: it runs when the question is asked (to change the world just then). */
type ConfirmAnswer = boolean | (() => boolean | Promise<boolean>);

interface Scripted {
  id: string;
  answer: unknown;
}

export interface Asked {
  id: string;
  kind: 'pick' | 'input' | 'confirm';
  title?: string;
  step?: number;
  totalSteps?: number;
  labels?: string[];
  placeholder?: string;
  value?: string;
  password?: boolean;
  message?: string;
  detail?: string;
  /** the validator's verdict on given values, filled by `validateWith` */
  validation?: Record<string, string | undefined>;
}

export class ScriptedPrompter implements Prompter {
  private readonly script: Scripted[] = [];
  readonly asked: Asked[] = [];
  readonly notifications: { kind: NotifyKind; message: string; actions: string[] }[] = [];
  readonly opened: string[] = [];
  readonly unexpected: string[] = [];
  /** answers for notifications, by a pattern of their text; unmatched ones are dismissed */
  private readonly notifyAnswers: { pattern: RegExp; action: string; times: number }[] = [];
  private openHandler: ((uri: string) => void | Promise<void>) | undefined;
  private notified: (() => void)[] = [];
  /** values to run through an input box's validator when it is asked: id -> values */
  readonly validateWith = new Map<string, string[]>();

  /** The next question must have this id; it gets this answer. */
  answer(id: 'pick' | string, answer: PickAnswer | InputAnswer | ConfirmAnswer): this {
    this.script.push({ id, answer });
    return this;
  }

  onNotify(pattern: RegExp, action: string, times = 1): this {
    this.notifyAnswers.push({ pattern, action, times });
    return this;
  }

  onOpenExternal(handler: (uri: string) => void | Promise<void>): this {
    this.openHandler = handler;
    return this;
  }

  /** Resolves when a notification whose text matches arrives (or has arrived). */
  waitForNotification(pattern: RegExp, timeoutMs = 15_000): Promise<{ kind: NotifyKind; message: string }> {
    return new Promise((resolve, reject) => {
      const check = () => this.notifications.find((n) => pattern.test(n.message));
      const found = check();
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        this.notified = this.notified.filter((f) => f !== listener);
        reject(new Error(`no notification matching ${pattern} (got: ${JSON.stringify(this.notifications.map((n) => n.message))})`));
      }, timeoutMs);
      const listener = () => {
        const n = check();
        if (n) {
          clearTimeout(timer);
          this.notified = this.notified.filter((f) => f !== listener);
          resolve(n);
        }
      };
      this.notified.push(listener);
    });
  }

  /** Fails when a scripted answer was never asked for, or a question was asked that nobody scripted. */
  assertDone(): void {
    const problems = [...this.unexpected];
    if (this.script.length) problems.push(`scripted but never asked: ${this.script.map((s) => s.id).join(', ')}`);
    if (problems.length) throw new Error(problems.join('; '));
  }

  private next(id: string): Scripted {
    const head = this.script[0];
    if (!head || head.id !== id) {
      const msg = `unexpected prompt "${id}" (next scripted: ${head ? `"${head.id}"` : 'none'})`;
      this.unexpected.push(msg);
      throw new Error(msg);
    }
    this.script.shift();
    return head;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], o: PickOptions): Promise<T | undefined> {
    const r = await this.pickMany(items, o);
    return r?.[0];
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], o: PickOptions): Promise<T[] | undefined> {
    const labels = items.map((i) => i.label);
    this.asked.push({ id: o.id, kind: 'pick', title: o.title, step: o.step, totalSteps: o.totalSteps, labels, placeholder: o.placeholder });
    const { answer } = this.next(o.id);
    const chosen = typeof answer === 'function' ? (answer as (l: string[]) => string | string[] | undefined)(labels) : (answer as string | string[] | undefined);
    if (chosen === undefined) return undefined;
    const wanted = Array.isArray(chosen) ? chosen : [chosen];
    const picked = wanted.map((w) => {
      const item = items.find((i) => i.label === w);
      if (!item) {
        const msg = `prompt "${o.id}" has no item "${w}" (items: ${JSON.stringify(labels)})`;
        this.unexpected.push(msg);
        throw new Error(msg);
      }
      return item;
    });
    return picked;
  }

  async input(o: InputOptions): Promise<string | undefined> {
    const asked: Asked = { id: o.id, kind: 'input', title: o.title, step: o.step, totalSteps: o.totalSteps, value: o.value, password: o.password };
    const probes = this.validateWith.get(o.id);
    if (probes && o.validate) asked.validation = Object.fromEntries(probes.map((v) => [v, o.validate!(v)]));
    this.asked.push(asked);
    const { answer } = this.next(o.id);
    const value = typeof answer === 'function' ? await (answer as (o: InputOptions) => Promise<string | undefined>)(o) : (answer as string | undefined);
    if (value !== undefined && o.validate) {
      const problem = o.validate(value);
      if (problem) {
        const msg = `scripted answer for "${o.id}" fails its validation: ${problem}`;
        this.unexpected.push(msg);
        throw new Error(msg);
      }
    }
    return value;
  }

  async confirm(id: string, message: string, detail: string): Promise<boolean> {
    this.asked.push({ id, kind: 'confirm', message, detail });
    const { answer } = this.next(id);
    return typeof answer === 'function' ? (await (answer as () => boolean | Promise<boolean>)()) === true : answer === true;
  }

  async notify(kind: NotifyKind, message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ kind, message, actions });
    for (const f of [...this.notified]) f();
    const match = this.notifyAnswers.find((a) => a.times > 0 && a.pattern.test(message) && actions.includes(a.action));
    if (match) {
      match.times--;
      return match.action;
    }
    return undefined;
  }

  async openExternal(uri: vscode.Uri): Promise<boolean> {
    this.opened.push(uri.toString(true));
    await this.openHandler?.(uri.toString(true));
    return true;
  }
}
