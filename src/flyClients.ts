import * as vscode from 'vscode';
import { FlyClient } from './fly/client';
import { SECTION, resolveApiBaseUrl } from './settings/fly';
import { userAgent } from './http/userAgent';
import type { Log } from './log';

/** A problem with our own settings, not with Fly: its message says which setting to fix. */
export class SettingsError extends Error {}

export type ClientFactory = (getToken: () => Promise<string | undefined>) => FlyClient;

/** Builds Fly API clients with the current base URL (re-read on every call, so setting changes apply at once). */
export function clientFactory(log: Log, extensionVersion: string): ClientFactory {
  const agent = userAgent(extensionVersion, vscode.version);
  return (getToken) => {
    const base = resolveApiBaseUrl();
    if (!base.ok) throw new SettingsError(base.message);
    const timeoutSeconds = vscode.workspace.getConfiguration(SECTION).get<number>('requestTimeoutSeconds', 30);
    return new FlyClient({
      baseUrl: base.url,
      getToken,
      userAgent: agent,
      timeoutMs: Math.min(600, Math.max(1, timeoutSeconds)) * 1000,
      onRequest: (e) => log.request(e),
    });
  };
}
