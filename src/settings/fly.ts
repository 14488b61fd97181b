import * as vscode from 'vscode';
import { parseExpiry } from '../fly/duration';
import { isSafeApiUrl } from '../http/loopback';
import { hasHiddenCharacters } from '../ui/visibleText';

export const SECTION = 'flyTokens';
const DEFAULT_API_BASE_URL = 'https://api.fly.io';

export type ApiBaseUrl =
  | { ok: true; url: string; source: 'default' | 'env' | 'setting' }
  /** `confirm`: FLY_API_BASE_URL names this URL in a window whose environment the repository may set; ask first. */
  | { ok: false; message: string; confirm?: string };

/** The API a session belongs to: scheme, host and port, e.g. `https://api.fly.io`. */
export function apiOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The host a user recognises in a question or message, e.g. `api.fly.io` or `127.0.0.1:4000`. */
export function apiHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * In a remote window (Dev Containers, Codespaces, SSH, WSL, code-server) the extension host's environment can come
 * from the repository (`remoteEnv`, `containerEnv`); in an untrusted workspace we trust nothing it may have set.
 */
export function environmentMayComeFromRepository(): boolean {
  return !!vscode.env.remoteName || !vscode.workspace.isTrusted;
}

/** This window's answer to "use FLY_API_BASE_URL?", per URL: asked once, kept until the window closes. */
const envDecisions = new Map<string, boolean>();
const envDecided = new vscode.EventEmitter<void>();
/** fires when the user allowed or ignored FLY_API_BASE_URL (the effective API may have changed) */
export const onDidDecideEnvApi = envDecided.event;

export function decideEnvApi(url: string, allowed: boolean): void {
  envDecisions.set(url, allowed);
  envDecided.fire();
}

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
 * Where API calls go. FLY_API_BASE_URL wins (as for flyctl) — in a remote window or an untrusted workspace only
 * once the user allowed it (`decideEnvApi`; an ignored one falls through); then the setting, read from the user's
 * (application) settings only — a workspace must never redirect the auth token elsewhere.
 */
export function resolveApiBaseUrl(env: NodeJS.ProcessEnv = process.env): ApiBaseUrl {
  const fromEnv = env.FLY_API_BASE_URL?.trim();
  const decision = fromEnv ? envDecisions.get(fromEnv) : undefined;
  if (fromEnv && decision !== false) {
    const r = checkApiBaseUrl(fromEnv);
    if (!r.ok) return r;
    if (decision === undefined && environmentMayComeFromRepository()) {
      return {
        ok: false,
        confirm: fromEnv,
        message: vscode.l10n.t(
          "FLY_API_BASE_URL points to {0}, and this window's environment may come from the repository. Sign in to allow or ignore it.",
          apiHost(r.url),
        ),
      };
    }
    return { ...r, source: 'env' };
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
  /** hygiene reasons the view's badge also counts (flyTokens.badgeReasons; none by default) */
  badgeReasons: string[];
  /** flyctl's housekeeping tokens (metrics, its 10-minute org tokens) */
  showFlyctlTokens: boolean;
}

const DEFAULT_TOKEN_NAME = '{app}-deploy-{date}';
const DEFAULT_EXPIRY = '90d';
const DEFAULT_WARNING_DAYS = 14;
/** Longer than any sensible value; these settings may come from a workspace, so they are bounded. */
export const MAX_TOKEN_NAME_TEMPLATE = 100;
export const MAX_EXPIRY_TEXT = 20;
export const MAX_WARNING_DAYS = 365;

/**
 * The settings a workspace may set, each checked: a value of the wrong type, out of range, too long or holding
 * hidden characters falls back to its default.
 */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const text = (key: string, fallback: string, max: number): string => {
    const v = c.get<unknown>(key);
    return typeof v === 'string' && v.trim() !== '' && v.length <= max && !hasHiddenCharacters(v) ? v : fallback;
  };
  const expiry = text('defaultExpiry', DEFAULT_EXPIRY, MAX_EXPIRY_TEXT);
  const days = c.get<unknown>('expiryWarningDays');
  const badge = c.get<unknown>('badgeReasons');
  return {
    defaultTokenName: text('defaultTokenName', DEFAULT_TOKEN_NAME, MAX_TOKEN_NAME_TEMPLATE),
    defaultExpiry: parseExpiry(expiry).ok ? expiry : DEFAULT_EXPIRY,
    expiryWarningDays: typeof days === 'number' && Number.isFinite(days) ? Math.min(MAX_WARNING_DAYS, Math.max(0, Math.floor(days))) : DEFAULT_WARNING_DAYS,
    showRevoked: c.get<boolean>('showRevoked', false) === true,
    badgeReasons: Array.isArray(badge) ? badge.filter((r): r is string => typeof r === 'string').slice(0, 10) : [],
    showFlyctlTokens: c.get<boolean>('showFlyctlTokens', false) === true,
  };
}

export function setShowFlyctlTokens(value: boolean): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update('showFlyctlTokens', value, vscode.ConfigurationTarget.Global);
}

export function setShowRevoked(value: boolean): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update('showRevoked', value, vscode.ConfigurationTarget.Global);
}
