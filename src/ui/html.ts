// Text into HTML (no vscode): every value that reaches a webview goes through here — token names come from anyone
// in an organization.
import { randomBytes } from 'node:crypto';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** A nonce for a webview's Content-Security-Policy (scripts and styles run only with it). */
export function nonce(): string {
  return randomBytes(18).toString('base64');
}
