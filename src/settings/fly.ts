import * as vscode from 'vscode';
import { parseExpiry } from '../fly/duration';
import { isSafeApiUrl } from '../http/loopback';

export const SECTION = 'flyTokens';
const DEFAULT_API_BASE_URL = 'https://api.fly.io';

export type ApiBaseUrl = { ok: true; url: string; source: 'default' | 'env' | 'setting' } | { ok: false; message: string };

/** Checks a base URL: https anywhere, plain http only to a loopback address (a token must never cross a network in clear). */
function checkApiBaseUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: vscode.l10n.t('The Fly.io API URL "{0}" is not a URL. Use https://api.fly.io or leave the setting empty.', raw) };
  }
  if (url.username || url.password) {
    return { ok: false, message: vscode.l10n.t('The Fly.io API URL must not contain a user name or password.') };
  }
  if (isSafeApiUrl(url)) {
    return { ok: true, url: url.toString().replace(/\/+$/, '') };
  }
  if (url.protocol === 'http:') {
    return {
      ok: false,
      message: vscode.l10n.t('Refusing the Fly.io API URL "{0}": plain http is only allowed for 127.0.0.1, localhost or [::1]. Use https.', url.origin),
    };
  }
  return { ok: false, message: vscode.l10n.t('The Fly.io API URL must start with https:// (got "{0}").', url.protocol) };
}

/**
 * Where API calls go. FLY_API_BASE_URL wins (as for flyctl); then the setting, read from the user's
 * (application) settings only — a workspace must never redirect the auth token elsewhere.
 */
export function resolveApiBaseUrl(env: NodeJS.ProcessEnv = process.env): ApiBaseUrl {
  const fromEnv = env.FLY_API_BASE_URL?.trim();
  if (fromEnv) {
    const r = checkApiBaseUrl(fromEnv);
    return r.ok ? { ...r, source: 'env' } : r;
  }
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<string>('apiBaseUrl');
  const fromUser = inspected?.globalValue?.trim();
  if (fromUser) {
    const r = checkApiBaseUrl(fromUser);
    return r.ok ? { ...r, source: 'setting' } : r;
  }
  return { ok: true, url: DEFAULT_API_BASE_URL, source: 'default' };
}

export interface Settings {
  defaultTokenName: string;
  defaultExpiry: string;
  expiryWarningDays: number;
  showRevoked: boolean;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const expiry = c.get<string>('defaultExpiry', '90d');
  return {
    defaultTokenName: c.get<string>('defaultTokenName', '{app}-deploy-{date}') || '{app}-deploy-{date}',
    defaultExpiry: parseExpiry(expiry).ok ? expiry : '90d',
    expiryWarningDays: Math.max(0, c.get<number>('expiryWarningDays', 14)),
    showRevoked: c.get<boolean>('showRevoked', false),
  };
}

export function setShowRevoked(value: boolean): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update('showRevoked', value, vscode.ConfigurationTarget.Global);
}
