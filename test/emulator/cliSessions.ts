// `fly auth login` sessions (NOTES.md §2): created by the CLI, approved in a browser, then redeemed with the
// PKCE verifier (or, for legacy servers, polled until approved).
import { createHash, randomBytes } from 'node:crypto';

export interface CliSession {
  id: string;
  pkce: boolean;
  challenge: string | null;
  state: string | null;
  redirectPort: number | null;
  name: string | null;
  approvedEmail: string | null;
  accessToken: string | null;
  code: string | null;
  consumed: boolean;
}

export type SessionAnswer = { status: number; body: Record<string, unknown> };

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class CliSessions {
  private readonly sessions = new Map<string, CliSession>();

  /** `legacy` answers as an old server would: no PKCE, the CLI polls. */
  create(body: Record<string, unknown>, legacy: boolean): CliSession {
    const challenge = typeof body.code_challenge === 'string' && body.code_challenge !== '' ? body.code_challenge : null;
    const port = Number(body.redirect_port);
    const session: CliSession = {
      id: randomBytes(12).toString('hex'),
      pkce: !legacy && challenge !== null,
      challenge,
      state: typeof body.state === 'string' ? body.state : null,
      redirectPort: Number.isInteger(port) && port > 0 && port < 65536 ? port : null,
      name: typeof body.name === 'string' ? body.name : null,
      approvedEmail: null,
      accessToken: null,
      code: null,
      consumed: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): CliSession | undefined {
    return this.sessions.get(id);
  }

  /** Marks the session approved for a user; returns the completion code and, with a loopback port, the redirect. */
  approve(id: string, email: string, accessToken: string): { code: string; redirectUrl: string | null } {
    const session = this.sessions.get(id);
    if (!session || session.consumed) throw new Error(`no open CLI session ${id}`);
    session.approvedEmail = email;
    session.accessToken = accessToken;
    session.code ??= randomBytes(18).toString('base64url');
    let redirectUrl: string | null = null;
    if (session.pkce && session.redirectPort !== null) {
      const q = new URLSearchParams({ state: session.state ?? '', code: session.code });
      redirectUrl = `http://127.0.0.1:${session.redirectPort}/callback?${q.toString()}`;
    }
    return { code: session.code, redirectUrl };
  }

  redeem(id: string, body: Record<string, unknown>): SessionAnswer {
    const session = this.sessions.get(id);
    if (!session || session.consumed) return { status: 404, body: { error: 'login session not found or expired' } };
    if (!session.pkce || session.challenge === null) return { status: 400, body: { error: 'this login session does not use PKCE' } };
    if (session.code === null || session.accessToken === null) return { status: 400, body: { error: 'login session has not been approved yet' } };
    if (typeof body.code !== 'string' || body.code !== session.code) return { status: 400, body: { error: 'invalid code' } };
    if (typeof body.code_verifier !== 'string' || s256(body.code_verifier) !== session.challenge) {
      return { status: 400, body: { error: 'invalid code_verifier' } };
    }
    session.consumed = true;
    return { status: 200, body: { access_token: session.accessToken } };
  }

  /** Legacy polling: 404 until approved, then the token. A PKCE session never answers here: the code is its proof. */
  poll(id: string): SessionAnswer {
    const session = this.sessions.get(id);
    if (!session || session.pkce || session.accessToken === null) return { status: 404, body: { error: 'Not Found' } };
    return { status: 200, body: { id: session.id, access_token: session.accessToken } };
  }

  clear(): void {
    this.sessions.clear();
  }
}
