import * as vscode from 'vscode';
import { FlyClient } from './fly/client';
import { SECTION, apiHost, apiOrigin, resolveApiBaseUrl } from './settings/fly';
import { userAgent } from './http/userAgent';
import type { Log } from './log';

/** A problem with our own settings, not with Fly: its message says which setting to fix. */
export class SettingsError extends Error {}

/** The stored session was made for another API than the one in effect now: its token is not sent there. */
export class SessionElsewhereError extends SettingsError {
  constructor(
    readonly sessionApi: string,
    readonly currentApi: string,
  ) {
    super(
      vscode.l10n.t(
        'Your Fly.io sign-in belongs to {0}, but the API in effect is now {1}. Your token is not sent there: sign in to {1}, or change the API URL back.',
        apiHost(sessionApi),
        apiHost(currentApi),
      ),
    );
  }
}

/** A token and the API origin it belongs to (`api`); it is only ever sent to that origin. */
export interface Credentials {
  token: string;
  api: string;
}

export type ClientFactory = (getCredentials: () => Promise<Credentials | undefined>) => FlyClient;

/**
 * Builds Fly API clients with the current base URL (re-read on every call, so setting changes apply at once). A
 * token goes out only to the origin it belongs to: for any other, the request fails before anything is sent.
 */
export function clientFactory(log: Log, extensionVersion: string): ClientFactory {
  const agent = userAgent(extensionVersion, vscode.version);
  return (getCredentials) => {
    const base = resolveApiBaseUrl();
    if (!base.ok) throw new SettingsError(base.message);
    const origin = apiOrigin(base.url);
    const timeoutSeconds = vscode.workspace.getConfiguration(SECTION).get<number>('requestTimeoutSeconds', 30);
    return new FlyClient({
      baseUrl: base.url,
      getToken: async () => {
        const c = await getCredentials();
        if (!c) return undefined;
        if (apiOrigin(c.api) !== origin) throw new SessionElsewhereError(c.api, base.url);
        return c.token;
      },
      userAgent: agent,
      timeoutMs: Math.min(600, Math.max(1, timeoutSeconds)) * 1000,
      onRequest: (e) => log.request(e),
    });
  };
}

/** The API origin in effect now, or undefined when the settings are wrong or still to be confirmed. */
export function currentApiOrigin(): string | undefined {
  const base = resolveApiBaseUrl();
  return base.ok ? apiOrigin(base.url) : undefined;
}
