// Which links the extension lets VS Code open. A link the API sent (or one built from its answers) is opened on the
// user's own machine by VS Code, which hands `file:`, `smb:`, `vscode:` or any registered custom scheme to whatever
// handles it there: a hostile or hijacked API must not be able to pick what runs. Pure, no `vscode`.
import { isLoopbackHost } from './loopback';

/** Fly's web site: the dashboard and the sign-in pages (flyctl opens its auth_url there). */
export const FLY_WEB_ORIGIN = 'https://fly.io';

export type LinkProblem = 'notUrl' | 'credentials' | 'scheme' | 'origin';

export type LinkCheck = { ok: true; url: string } | { ok: false; problem: LinkProblem };

/**
 * The origins a link from the Fly API may lead to: Fly's web site and the API's own origin, where the API is https,
 * or plain http on a loopback address (a local emulator or proxy, whose pages are on this machine). An API URL of
 * any other shape adds nothing.
 */
export function flyLinkOrigins(apiBase: string): string[] {
  const out = [FLY_WEB_ORIGIN];
  let api: URL;
  try {
    api = new URL(apiBase);
  } catch {
    return out;
  }
  if (api.protocol === 'https:' || (api.protocol === 'http:' && isLoopbackHost(api.hostname))) out.push(api.origin);
  return out;
}

/**
 * Whether `raw` may be opened: an absolute https URL (http only where the allowed origin itself is a loopback http
 * one) whose origin (scheme, host and port) is exactly one of `allowedOrigins`, without a user name or password.
 * The URL to open is the parsed one, so what is checked is what is opened.
 */
export function checkLink(raw: string, allowedOrigins: readonly string[]): LinkCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'notUrl' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: 'scheme' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return { ok: false, problem: 'scheme' };
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  const allowed = new Set(allowedOrigins.map((o) => o.toLowerCase()));
  if (!allowed.has(url.origin.toLowerCase())) return { ok: false, problem: 'origin' };
  return { ok: true, url: url.href };
}
