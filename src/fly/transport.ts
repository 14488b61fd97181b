// One GraphQL POST to Fly's API: headers as flyctl sends them, timeout, cancellation, retries for queries only,
// and every failure turned into a typed FlyError.
import * as http from 'node:http';
import * as https from 'node:https';
import { authorizationHeader, tokenParts } from './authHeader';
import {
  CancelledError,
  FlyError,
  ForbiddenError,
  GraphQLErrorEntry,
  NetworkError,
  NetworkReason,
  NotFoundError,
  ProtocolError,
  RateLimitedError,
  REFUSED_STATUSES,
  RequestRefusedError,
  ServerError,
  UnauthorizedError,
  errorFromGraphQL,
  parseRetryAfter,
} from './errors';
import { isRecord } from '../http/json';
import { scrubSecrets, summarise } from '../http/redact';
import { userAgent } from '../http/userAgent';
import type { RequestEvent } from './types';
import { lazyFetch } from '../http/lazyFetch';
import { NO_REDIRECTS, redirectHost } from '../http/redirect';

export const DEFAULT_BASE_URL = 'https://api.fly.io';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = userAgent();
/** A 429 asking for a longer pause than this is reported at once rather than waited out. */
export const MAX_HONOURED_RETRY_AFTER_S = 10;

/** The subset of fetch this transport uses, so node-fetch, the platform fetch or a test double all fit. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** node-fetch's per-request agent; other fetch implementations ignore it. */
  agent?: http.Agent;
  /** Always 'manual': a redirect is answered, never followed (see http/redirect.ts). */
  redirect: typeof NO_REDIRECTS;
}
export interface FetchResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface RetryOptions {
  /** Attempts in total for a query, the first included. Mutations always get exactly one. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface TransportOptions {
  getToken: () => Promise<string | undefined> | string | undefined;
  /** Overrides FLY_API_BASE_URL and the default; a trailing slash is ignored. */
  baseUrl?: string;
  fetch?: FetchFunction;
  userAgent?: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  onRequest?: (event: RequestEvent) => void;
}

export interface GraphQLRequest {
  operationName: string;
  kind: 'query' | 'mutation';
  query: string;
  variables: Record<string, unknown>;
  signal?: AbortSignal;
}

/** A GraphQL answer; error messages are already scrubbed of anything token-like. */
export interface GraphQLResponse {
  data: Record<string, unknown> | null;
  errors: GraphQLErrorEntry[];
  /** HTTP status of the answer (GraphQL-over-HTTP servers may answer 4xx with an `errors` body) */
  status: number;
}

export function resolveBaseUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = [explicit, env.FLY_API_BASE_URL].find((v) => v !== undefined && v.trim() !== '') ?? DEFAULT_BASE_URL;
  return chosen.trim().replace(/\/+$/, '');
}

type Attempt =
  | { ok: true; response: GraphQLResponse; status: number }
  | { ok: false; error: FlyError; status: number | null };

export class Transport {
  readonly baseUrl: string;
  private readonly fetchFn: FetchFunction;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.fetchFn = options.fetch ?? (lazyFetch);
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.attempts = Math.max(1, Math.floor(options.retry?.attempts ?? 3));
    this.baseDelayMs = options.retry?.baseDelayMs ?? 250;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 2_000;
  }

  get endpoint(): string {
    return `${this.baseUrl}/graphql`;
  }

  async request(req: GraphQLRequest): Promise<GraphQLResponse> {
    const token = await this.options.getToken();
    if (token === undefined || tokenParts(token).length === 0) {
      throw new UnauthorizedError('You are not signed in to Fly.io. Sign in and try again.');
    }
    const secrets = tokenParts(token);
    // fly-go prunes a bundle before it is used and never asks again with the user token alone: a refusal of what
    // is left is a refusal (the caller asks the user to sign in again). Pruned parts are never sent.
    // The macaroon reader and its MessagePack library load with the first request, not at activation.
    const { pruneCredential } = await import('./bundle');
    const { parts } = pruneCredential(token);
    if (parts.length === 0) {
      // fly-go would send an empty credential and get a 401; nothing is gained by asking.
      throw new UnauthorizedError('Your Fly.io sign-in has expired. Sign in again.');
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: authorizationHeader(parts.join(',')),
      'User-Agent': this.userAgent,
    };
    const body = JSON.stringify({ query: req.query, variables: req.variables, operationName: req.operationName });
    return this.send(req, headers, body, secrets);
  }

  private async send(req: GraphQLRequest, headers: Record<string, string>, body: string, secrets: string[]): Promise<GraphQLResponse> {
    const maxAttempts = req.kind === 'mutation' ? 1 : this.attempts;
    let waitedForRateLimit = false;

    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError();
      const started = Date.now();
      const result = await this.once(headers, body, secrets, req.signal);
      this.emit(req, attempt, started, result);
      if (result.ok) return result.response;

      const error = result.error;
      if (req.kind === 'mutation') {
        error.mayHaveSucceeded = mayHaveReachedServer(error);
        throw error;
      }
      if (attempt >= maxAttempts) throw error;
      if (isTransient(error)) {
        await sleep(this.backoff(attempt), req.signal);
      } else if (
        error instanceof RateLimitedError &&
        !waitedForRateLimit &&
        error.retryAfterSeconds !== undefined &&
        error.retryAfterSeconds <= MAX_HONOURED_RETRY_AFTER_S
      ) {
        waitedForRateLimit = true;
        await sleep(error.retryAfterSeconds * 1000, req.signal);
      } else {
        throw error;
      }
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private emit(req: GraphQLRequest, attempt: number, started: number, result: Attempt): void {
    if (!this.options.onRequest) return;
    const firstError = result.ok ? result.response.errors[0] : undefined;
    const errorKind = result.ok ? (firstError ? errorFromGraphQL(firstError).kind : undefined) : result.error.kind;
    const event: RequestEvent = {
      operation: req.operationName,
      method: 'POST',
      path: pathOf(this.endpoint),
      status: result.status,
      durationMs: Date.now() - started,
      attempt,
      outcome: errorKind === undefined ? 'ok' : 'error',
      ...(errorKind === undefined ? {} : { errorKind }),
    };
    try {
      this.options.onRequest(event);
    } catch {
      // A failing log listener must not fail the request it is logging.
    }
  }

  private async once(headers: Record<string, string>, body: string, secrets: string[], signal?: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    let cutOff = false;
    let reading = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onCancel = (): void => controller.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    const url = this.endpoint;
    // A complete body has been handed over by the time this grace period ends; an incomplete one never will be.
    const agent = closeWatchingAgent(url, () => {
      graceTimer = setTimeout(() => {
        if (!reading) return;
        cutOff = true;
        controller.abort();
      }, 25);
    });
    let status: number | null = null;
    try {
      const invalid = invalidUrlError(url);
      if (invalid) return { ok: false, error: invalid, status };
      const res = await this.fetchFn(url, { method: 'POST', headers, body, signal: controller.signal, agent, redirect: NO_REDIRECTS });
      status = res.status;
      const redirectedTo = redirectHost(res.status, res.headers.get('location'), url);
      if (redirectedTo !== undefined) return { ok: false, error: redirectError(redirectedTo), status };
      let text: string;
      reading = true;
      try {
        text = await res.text();
      } catch {
        if (signal?.aborted) return { ok: false, error: new CancelledError(), status };
        if (timedOut && !cutOff) return { ok: false, error: this.timeoutError(), status };
        return { ok: false, error: truncatedError(), status };
      } finally {
        reading = false;
      }
      return interpret(res, text, secrets);
    } catch (err) {
      if (signal?.aborted) return { ok: false, error: new CancelledError(), status };
      if (timedOut) return { ok: false, error: this.timeoutError(), status };
      return { ok: false, error: networkError(err, this.baseUrl), status };
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener('abort', onCancel);
      agent.destroy();
    }
  }

  private timeoutError(): NetworkError {
    const seconds = this.timeoutMs >= 1000 ? Math.round(this.timeoutMs / 1000) : Math.round(this.timeoutMs / 100) / 10;
    return new NetworkError('timeout', `Fly.io did not answer within ${seconds} s. Check your connection and try again.`);
  }
}

/**
 * node-fetch v2 pipes the response into its body without passing on socket errors, so a connection closed in the
 * middle of a body would leave `text()` waiting until the timeout. An agent of our own lets us see the close.
 */
function closeWatchingAgent(url: string, onClose: () => void): http.Agent {
  const agent = url.startsWith('https:') ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options: http.ClientRequestArgs, callback?: (err: Error | null, stream: import('node:stream').Duplex) => void) => {
    const socket = create(options, callback);
    socket?.once('close', onClose);
    return socket;
  };
  return agent;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/graphql';
  }
}

function invalidUrlError(url: string): FlyError | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return undefined;
  } catch {
    // fall through: unparseable
  }
  return new NetworkError('other', `The Fly.io API URL "${summarise(url, 80)}" is not a valid http(s) address. Fix the API URL setting.`);
}

function isTransient(error: FlyError): boolean {
  if (error instanceof ServerError) return error.status === 502 || error.status === 503;
  return error instanceof NetworkError && error.reason === 'reset';
}

/** Whether a failed mutation might still have been carried out by Fly (the UI then suggests refreshing). */
function mayHaveReachedServer(error: FlyError): boolean {
  if (error instanceof NetworkError) return error.reason === 'reset' || error.reason === 'timeout' || error.reason === 'other';
  return error.kind === 'server' || error.kind === 'protocol' || error.kind === 'cancelled';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const code = (err as { code?: unknown; errno?: unknown }).code ?? (err as { errno?: unknown }).errno;
  return typeof code === 'string' ? code : '';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function networkError(err: unknown, baseUrl: string): NetworkError {
  const code = errorCode(err);
  const host = hostOf(baseUrl);
  const reason: NetworkReason =
    code === 'ECONNREFUSED'
      ? 'refused'
      : code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(errorText(err))
        ? 'reset'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'dns'
          : code === 'ETIMEDOUT'
            ? 'timeout'
            : 'other';
  switch (reason) {
    case 'refused':
      return new NetworkError(
        reason,
        `Could not connect to Fly.io at ${host}: the connection was refused. Check your connection and the API URL setting.`,
      );
    case 'reset':
      return new NetworkError(reason, 'The connection to Fly.io was interrupted. Try again.');
    case 'dns':
      return new NetworkError(
        reason,
        `Could not look up Fly.io's address (${host}). Check your internet connection and the API URL setting.`,
      );
    case 'timeout':
      return new NetworkError(reason, 'The connection to Fly.io timed out. Check your connection and try again.');
    default:
      return new NetworkError(reason, `Could not reach Fly.io${code ? ` (${code})` : ''}. Check your connection and try again.`);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}

/** Fly's API never redirects; following one would carry the token elsewhere or replay a mutation. */
function redirectError(host: string): ProtocolError {
  return new ProtocolError(
    `The Fly.io API address redirected to ${host}; the extension does not follow redirects, so nothing was sent there. ` +
      'Check the API URL setting and any proxy in between.',
  );
}

function truncatedError(): ProtocolError {
  return new ProtocolError("Fly.io's answer was cut off before it was complete. Try again.");
}

const HTML = /^\s*(?:<!doctype|<html|<head|<body|<)/i;

function isHtml(res: FetchResponse, text: string): boolean {
  return /html/i.test(res.headers.get('content-type') ?? '') || HTML.test(text);
}

/** A web page shown as its title, never as its markup. */
function htmlSummary(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const clean = title ? summarise(title.replace(/<[^>]*>/g, ' '), 80) : '';
  return clean ? `an error page titled "${clean}"` : 'an error page';
}

function interpret(res: FetchResponse, text: string, secrets: string[]): Attempt {
  const status = res.status;
  const fail = (error: FlyError): Attempt => ({ ok: false, error, status });

  if (status === 401) return fail(new UnauthorizedError());
  if (status === 403) return fail(new ForbiddenError());
  if (status === 404) {
    return fail(new NotFoundError("Fly.io's API was not found at the configured address (HTTP 404). Check the API URL setting."));
  }
  if (status === 429) return fail(new RateLimitedError(parseRetryAfter(res.headers.get('retry-after'))));
  if (status >= 500) return fail(new ServerError(status, serverDetail(res, text, secrets)));
  const refused = REFUSED_STATUSES.has(status) ? new RequestRefusedError(status) : undefined;

  if (isHtml(res, text)) {
    if (refused) return fail(refused);
    return fail(
      new ProtocolError(
        `Fly.io answered with a web page (${htmlSummary(scrubSecrets(text, secrets))}) instead of data. ` +
          'Check the API URL setting and any proxy in between.',
      ),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (refused) return fail(refused);
    // A body cut off in transit fails while reading (see `once`); here the server sent something complete but broken.
    return fail(new ProtocolError('Fly.io sent an answer that is not valid JSON. Try again; if it keeps happening, check the API URL setting.'));
  }
  const response = readGraphQLResponse(parsed, secrets, status);
  if (refused && (!response || response.errors.length === 0)) return fail(refused);
  if (!response) {
    return fail(new ProtocolError('Fly.io sent an answer in a shape this extension does not understand. Check the API URL setting or update the extension.'));
  }
  // GraphQL-over-HTTP servers answer validation errors with 4xx and an `errors` body; those are GraphQL answers.
  if (status < 200 || (status >= 300 && response.errors.length === 0)) {
    return fail(new ProtocolError(`Fly.io answered with an unexpected status (HTTP ${status}). Try again.`));
  }
  return { ok: true, response, status };
}

/**
 * Fly refused the caller before running anything: HTTP 401, or a GraphQL answer with no data whose errors say
 * "not authenticated" (the shape flyctl's tests use: 200 with `extensions.code` "UNAUTHORIZED").
 */
function serverDetail(res: FetchResponse, text: string, secrets: string[]): string | undefined {
  const clean = scrubSecrets(text, secrets);
  if (clean.trim() === '') return res.statusText ? summarise(res.statusText, 60) : undefined;
  if (isHtml(res, clean)) return htmlSummary(clean);
  try {
    const parsed: unknown = JSON.parse(clean);
    const response = readGraphQLResponse(parsed, secrets, 0);
    if (response?.errors[0]) return summarise(response.errors[0].message, 120);
    if (isRecord(parsed) && typeof parsed.error === 'string') return summarise(parsed.error, 120);
  } catch {
    // not JSON: a short plain-text excerpt is still useful
  }
  return summarise(clean, 120);
}

function readGraphQLResponse(parsed: unknown, secrets: string[], status: number): GraphQLResponse | undefined {
  if (!isRecord(parsed)) return undefined;
  const { data, errors } = parsed;
  if (data !== undefined && data !== null && !isRecord(data)) return undefined;
  if (errors !== undefined && errors !== null && !Array.isArray(errors)) return undefined;
  if ((data === undefined || data === null) && !Array.isArray(errors)) return undefined;
  const entries: GraphQLErrorEntry[] = [];
  for (const raw of Array.isArray(errors) ? errors : []) {
    if (!isRecord(raw)) return undefined;
    const message = typeof raw.message === 'string' ? scrubSecrets(raw.message, secrets) : 'unknown error';
    const entry: GraphQLErrorEntry = { message };
    if (Array.isArray(raw.path) && raw.path.every((p) => typeof p === 'string' || typeof p === 'number')) {
      entry.path = raw.path;
    }
    const code = isRecord(raw.extensions) ? raw.extensions.code : undefined;
    if (typeof code === 'string') entry.code = code;
    entries.push(entry);
  }
  return { data: isRecord(data) ? data : null, errors: entries, status };
}
