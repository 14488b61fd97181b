// Fly.io's browser sign-in (the flow `fly auth login` uses), in plain Node so it runs outside VS Code too.
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { scrubSecrets, summarise } from '../http/redact';
import { isRecord } from '../http/json';
import { lazyFetch } from '../http/lazyFetch';
import { NO_REDIRECTS, redirectHost } from '../http/redirect';

/** The part of `fetch` this flow uses; node-fetch@2 and the global fetch both fit. */
export type LoginFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal; redirect: typeof NO_REDIRECTS },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface BrowserLoginOptions {
  /** e.g. `https://api.fly.io`, without a trailing slash */
  baseUrl: string;
  fetch?: LoginFetch;
  /** Shown on Fly's approval page, e.g. "VS Code on <hostname>". */
  sessionName: string;
  signal?: AbortSignal;
  /** default 15 min, as flyctl */
  timeoutMs?: number;
  /** each request (create, redeem, poll), until its whole answer has arrived; default 30 s */
  requestTimeoutMs?: number;
  /** legacy (non-PKCE) polling interval; default 1000 */
  pollIntervalMs?: number;
  userAgent?: string;
  /**
   * The port on the browser's machine that reaches the loopback listener's `localPort`, or null when none does (a
   * remote window whose forwarding is a proxy address): Fly then gets no redirect port, nothing listens, and the
   * user pastes the code the page shows. Without it, Fly gets the listener's own port.
   */
  forwardPort?: (localPort: number) => Promise<number | null>;
  /**
   * The code Fly's page delivered to the loopback callback did not redeem. As flyctl does, the flow keeps waiting
   * (for a pasted code, or another callback); this tells the user why nothing happened yet.
   */
  onCallbackCodeRefused?: (error: LoginError) => void;
}

export interface BrowserLogin {
  /** Open this in the browser. */
  readonly authUrl: string;
  readonly pkce: boolean;
  /** The port Fly's page redirects to (the listener's, or the one forwarded to it); null when none is listening. */
  readonly redirectPort: number | null;
  /** The auth token: from the loopback callback, a pasted code (submitCode), or legacy polling. */
  readonly token: Promise<string>;
  /**
   * Redeems a code the user pasted (the approval page may be on another machine). Resolves once the code was
   * redeemed (then `token` resolves too). A refused code throws a LoginError and the flow keeps waiting, except an
   * expired session, which ends the flow: `token` rejects with the same error.
   */
  submitCode(code: string): Promise<void>;
  /** Closes the listener and stops polling; `token` rejects with a LoginCancelledError. */
  cancel(): void;
}

/** A failure meant for the user: the message says what happened and what to do. Never carries a secret. */
export class LoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class LoginCancelledError extends LoginError {
  constructor() {
    super('Sign-in was cancelled.');
  }
}

const DEFAULT_TIMEOUT_MS = 15 * 60 * 1000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
const CALLBACK_PATH = '/callback';
const EXPIRED_MESSAGE = 'This sign-in session expired. Start Sign In again.';

const CLOSE_TAB_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Fly.io sign-in</title></head>
<body style="font-family: system-ui, sans-serif; margin: 4em auto; max-width: 32em; text-align: center">
<h1>Signed in to Fly.io</h1>
<p>You can close this tab and return to VS Code.</p>
</body></html>
`;

// The approval page is served from Fly's origin and calls the loopback address from script, so the listener
// has to allow any origin (and Chrome's private-network preflight), as flyctl's does.
const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Allow-Private-Network': 'true',
};

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

interface Pkce {
  verifier: string;
  challenge: string;
  state: string;
}

function newPkce(): Pkce {
  const verifier = base64url(randomBytes(32));
  return {
    verifier,
    challenge: base64url(createHash('sha256').update(verifier).digest()),
    state: base64url(randomBytes(16)),
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function stringField(body: Record<string, unknown> | null, key: string): string {
  const value = body?.[key];
  return typeof value === 'string' ? value : '';
}

/** A request of the flow that got no complete answer in time (its message is user-facing). */
class RequestTimeoutError extends Error {}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'CanceledError');
}

function describeNetworkError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code) return code;
  return err instanceof Error ? summarise(err.message, 120) : 'network error';
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

async function startListener(onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server | null> {
  const server = createServer(onRequest);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  } catch {
    // Like flyctl: without a listener the user can still paste the code.
    return null;
  }
}

function closeListener(server: Server | null): void {
  if (!server) return;
  server.close();
  // Browsers keep connections alive; without this the port would stay open until they let go.
  server.closeAllConnections();
}

export async function startBrowserLogin(opts: BrowserLoginOptions): Promise<BrowserLogin> {
  const doFetch: LoginFetch = opts.fetch ?? (lazyFetch);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (opts.signal?.aborted) throw new LoginCancelledError();

  const pkce = newPkce();
  // Everything in flight (requests, poll waits) stops when the flow ends, whichever way it ends.
  const flow = new AbortController();
  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (json) h['Content-Type'] = 'application/json';
    if (opts.userAgent) h['User-Agent'] = opts.userAgent;
    return h;
  };
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  /**
   * One request of the flow, answer read in full: redirects refused, cut off after `requestTimeoutMs` (headers and
   * body alike) and whenever the flow ends.
   */
  const call = async (url: string, method: string, body?: string): Promise<{ status: number; text: string }> => {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    flow.signal.addEventListener('abort', stop, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, requestTimeoutMs);
    try {
      const init = { method, headers: headers(body !== undefined), body, signal: controller.signal, redirect: NO_REDIRECTS };
      const res = await doFetch(url, init);
      const to = redirectHost(res.status, res.headers.get('location'), url);
      if (to !== undefined) {
        throw new LoginError(
          `Fly.io's sign-in address redirected to ${to}; the extension does not follow redirects. ` +
            'Check the API URL setting and any proxy in between.',
        );
      }
      return { status: res.status, text: await res.text() };
    } catch (err) {
      if (timedOut && !flow.signal.aborted) {
        throw new RequestTimeoutError(
          `Fly.io did not answer within ${formatDuration(requestTimeoutMs)}. Check your connection and try again.`,
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
      flow.signal.removeEventListener('abort', stop);
      // An unread answer (a redirect's) must not keep its connection open.
      controller.abort();
    }
  };
  /** Server text, scrubbed of our own secrets and anything that looks like a token. */
  const clean = (text: string, code = ''): string => summarise(scrubSecrets(text, [pkce.verifier, code]));

  let settled = false;
  let cancelled = false;
  let resolveToken!: (token: string) => void;
  let rejectToken!: (err: Error) => void;
  const token = new Promise<string>((resolve, reject) => {
    resolveToken = resolve;
    rejectToken = reject;
  });
  // The caller may cancel without ever awaiting `token`; that must not become an unhandled rejection.
  token.catch(() => undefined);

  let server: Server | null = null;
  // assigned once the session exists (below), read by finish() which may run before that
  // eslint-disable-next-line prefer-const
  let timeoutTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let sessionId = '';
  let isPkce = false;
  let redeemChain: Promise<void> = Promise.resolve();

  const finish = (outcome: string | Error): void => {
    if (settled) return;
    settled = true;
    cancelled = outcome instanceof LoginCancelledError;
    clearTimeout(timeoutTimer);
    clearTimeout(pollTimer);
    flow.abort();
    opts.signal?.removeEventListener('abort', onAbort);
    closeListener(server);
    if (typeof outcome === 'string') resolveToken(outcome);
    else rejectToken(outcome);
  };

  const onAbort = (): void => finish(new LoginCancelledError());
  const endedError = (): LoginError =>
    cancelled ? new LoginCancelledError() : new LoginError('This sign-in has already finished. Start Sign In again if you are not signed in.');

  const redeemOnce = async (code: string): Promise<void> => {
    if (settled) throw endedError();
    let status: number;
    let text: string;
    try {
      ({ status, text } = await call(
        `${base}/api/v1/cli_sessions/${encodeURIComponent(sessionId)}/redeem`,
        'POST',
        JSON.stringify({ code, code_verifier: pkce.verifier }),
      ));
    } catch (err) {
      if (settled || isAbort(err)) throw endedError();
      if (err instanceof LoginError) throw err;
      if (err instanceof RequestTimeoutError) throw new LoginError(err.message);
      throw new LoginError(
        `Could not reach Fly.io to finish signing in (${describeNetworkError(err)}). Check your connection and try again.`,
      );
    }
    if (settled) throw endedError();
    const body = parseJsonObject(text);
    if (status === 200) {
      const accessToken = stringField(body, 'access_token');
      // The session is used up either way, so a missing token ends the flow like an expired one.
      const outcome = accessToken || new LoginError('Fly.io accepted the code but sent no token. Start Sign In again.');
      finish(outcome);
      if (typeof outcome !== 'string') throw outcome;
      return;
    }
    if (status === 404) {
      const expired = new LoginError(EXPIRED_MESSAGE);
      finish(expired);
      throw expired;
    }
    const reason = stringField(body, 'error');
    if (reason) throw new LoginError(`Fly.io did not accept the code: ${clean(reason, code)}`);
    throw new LoginError(
      status >= 500
        ? `Fly.io had a problem finishing the sign-in (HTTP ${status}). Try again in a moment.`
        : `Fly.io did not accept the code (HTTP ${status}). Check the code and try again.`,
    );
  };

  // One redemption at a time: a second one racing the first would see the consumed session as "expired".
  const redeem = (code: string): Promise<void> => {
    const run = redeemChain.then(() => redeemOnce(code));
    redeemChain = run.catch(() => undefined);
    return run;
  };

  const onCallback = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { ...CORS_HEADERS, Allow: 'GET, OPTIONS' }).end();
      return;
    }
    const state = url.searchParams.get('state') ?? '';
    const code = url.searchParams.get('code') ?? '';
    if (!isPkce || settled || !sameSecret(state, pkce.state) || !code) {
      res.writeHead(400, { ...CORS_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Invalid sign-in callback\n');
      return;
    }
    res.writeHead(200, { ...CORS_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }).end(CLOSE_TAB_PAGE);
    // As flyctl (webauth/pkce.go, waitForPKCEToken): a code that fails to redeem is reported and the wait goes on,
    // so the user can paste the code the page shows. An expired session or a token-less answer has ended the flow.
    redeem(code).catch((err: unknown) => {
      if (settled) return;
      const error = err instanceof LoginError ? err : new LoginError('Fly.io did not accept the code from your browser. Paste the code the page shows.');
      try {
        opts.onCallbackCodeRefused?.(error);
      } catch {
        // a failing listener must not end the sign-in
      }
    });
  };

  server = await startListener(onCallback);
  let redirectPort = server ? (server.address() as AddressInfo).port : null;
  if (server && redirectPort !== null && opts.forwardPort) {
    // In a remote window the browser is on another machine: Fly gets the port that reaches the listener from there.
    const forwarded = await opts.forwardPort(redirectPort).catch(() => null);
    if (forwarded === null || opts.signal?.aborted) {
      closeListener(server);
      server = null;
      redirectPort = null;
    } else {
      redirectPort = forwarded;
    }
    if (opts.signal?.aborted) throw new LoginCancelledError();
  }

  const payload: Record<string, unknown> = {
    name: opts.sessionName,
    signup: false,
    target: 'auth',
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: pkce.state,
  };
  if (redirectPort !== null) payload.redirect_port = redirectPort;

  const abortStart = (): void => flow.abort();
  opts.signal?.addEventListener('abort', abortStart);
  let created: Record<string, unknown> | null;
  try {
    let res: { status: number; text: string };
    try {
      res = await call(`${base}/api/v1/cli_sessions`, 'POST', JSON.stringify(payload));
    } catch (err) {
      if (opts.signal?.aborted) throw new LoginCancelledError();
      if (err instanceof LoginError) throw err;
      if (err instanceof RequestTimeoutError) throw new LoginError(err.message);
      throw new LoginError(`Could not reach Fly.io at ${base} (${describeNetworkError(err)}). Check your connection and try again.`);
    }
    const text = res.text;
    if (res.status !== 201) {
      const reason = stringField(parseJsonObject(text), 'error');
      throw new LoginError(
        `Fly.io could not start a sign-in session (HTTP ${res.status}${reason ? `: ${clean(reason)}` : ''}). Try again in a moment.`,
      );
    }
    created = parseJsonObject(text);
    sessionId = stringField(created, 'id');
    if (!sessionId || !stringField(created, 'auth_url')) {
      throw new LoginError('Fly.io answered the sign-in request with something unexpected. Try again in a moment.');
    }
  } catch (err) {
    settled = true;
    closeListener(server);
    throw opts.signal?.aborted ? new LoginCancelledError() : err;
  } finally {
    opts.signal?.removeEventListener('abort', abortStart);
  }

  const authUrl = stringField(created, 'auth_url');
  isPkce = created?.pkce === true;

  opts.signal?.addEventListener('abort', onAbort);
  timeoutTimer = setTimeout(
    () => finish(new LoginError(`Sign-in timed out after ${formatDuration(timeoutMs)} without approval. Start Sign In again.`)),
    timeoutMs,
  );

  if (!isPkce) {
    // The old flow has no code to deliver, so nothing should be listening.
    closeListener(server);
    server = null;
    void pollLegacy();
  }

  async function pollLegacy(): Promise<void> {
    while (!settled) {
      try {
        const res = await call(`${base}/api/v1/cli_sessions/${encodeURIComponent(sessionId)}`, 'GET');
        const text = res.text;
        if (settled) return;
        if (res.status === 200) {
          const accessToken = stringField(parseJsonObject(text), 'access_token');
          finish(accessToken ? accessToken : new LoginError('Fly.io finished the sign-in without a token. Start Sign In again.'));
          return;
        }
      } catch (err) {
        // As flyctl: anything but a 200 means "not yet"; only the timeout ends the wait. A redirect is no answer
        // at all: it ends the flow with its reason rather than being polled until the timeout.
        if (settled) return;
        if (err instanceof LoginError) {
          finish(err);
          return;
        }
      }
      await new Promise<void>((resolve) => {
        pollTimer = setTimeout(resolve, pollIntervalMs);
      });
    }
  }

  return {
    authUrl,
    pkce: isPkce,
    redirectPort: server ? redirectPort : null,
    token,
    async submitCode(code: string): Promise<void> {
      if (settled) throw endedError();
      if (!isPkce) {
        throw new LoginError('This sign-in finishes by itself once you approve it in the browser; there is no code to paste.');
      }
      const trimmed = code.trim();
      if (!trimmed) throw new LoginError('Paste the code shown on the Fly.io page.');
      await redeem(trimmed);
    },
    cancel(): void {
      finish(new LoginCancelledError());
    },
  };
}
