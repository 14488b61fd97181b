import * as vscode from 'vscode';
import type { RequestEvent } from './fly/types';
import { scrubSecrets } from './http/redact';

/** The "Fly Deploy Tokens" log. Everything written goes through scrubSecrets: no token ever reaches it. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Fly Deploy Tokens', { log: true });
  }

  request(e: RequestEvent): void {
    const line = `${e.operation} ${e.method} ${e.path} → ${e.status ?? e.errorKind ?? 'no answer'} in ${Math.round(e.durationMs)} ms` +
      (e.attempt > 1 ? ` (attempt ${e.attempt})` : '');
    if (e.outcome === 'ok') this.channel.info(line);
    else this.channel.warn(line);
  }

  info(message: string): void {
    this.channel.info(scrubSecrets(message));
  }

  warn(message: string): void {
    this.channel.warn(scrubSecrets(message));
  }

  error(message: string): void {
    this.channel.error(scrubSecrets(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
