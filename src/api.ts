import * as vscode from 'vscode';
import { FlyClient } from './fly/client';
import { resolveApiBaseUrl } from './config';
import type { Log } from './log';

/** A problem with our own settings, not with Fly: its message says which setting to fix. */
export class SettingsError extends Error {}

export type ClientFactory = (getToken: () => Promise<string | undefined>) => FlyClient;

/** Builds Fly API clients with the current base URL (re-read on every call, so setting changes apply at once). */
export function clientFactory(log: Log, extensionVersion: string): ClientFactory {
  const userAgent = `fly-deploy-tokens-vscode/${extensionVersion} (vscode/${vscode.version})`;
  return (getToken) => {
    const base = resolveApiBaseUrl();
    if (!base.ok) throw new SettingsError(base.message);
    return new FlyClient({ baseUrl: base.url, getToken, userAgent, onRequest: (e) => log.request(e) });
  };
}
