// The browser side of `fly auth login`: a minimal approval page standing in for Fly's dashboard.
import type { CliSession } from './cliSessions';

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}
code{font-size:1.2rem;word-break:break-all}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>
`;
}

export function approvalPage(session: CliSession, emails: string[], defaultEmail: string): string {
  const who =
    emails.length > 1
      ? `<label>Sign in as <select name="email">${emails
          .map((e) => `<option value="${esc(e)}"${e === defaultEmail ? ' selected' : ''}>${esc(e)}</option>`)
          .join('')}</select></label>`
      : `<p>Signed in as <strong data-testid="email">${esc(defaultEmail)}</strong></p>` +
      `<input type="hidden" name="email" value="${esc(defaultEmail)}">`;
  const device = session.name ? `<p>Device: ${esc(session.name)}</p>` : '';
  return page(
    'Authorize CLI access',
    `<p>A command-line session is asking for access to your Fly.io account (emulator).</p>${device}
<form method="post">${who}<p><button type="submit">Approve</button></p></form>`,
  );
}

export function codePage(code: string): string {
  return page('Access approved', `<p>Paste this code into your terminal:</p><p><code data-testid="code">${esc(code)}</code></p>`);
}

export function donePage(): string {
  return page('Access approved', '<p>You can close this window and return to your terminal.</p>');
}

export function notFoundPage(): string {
  return page('Login session not found', '<p>This login link has expired or was already used.</p>');
}
