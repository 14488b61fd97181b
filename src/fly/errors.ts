// Typed failures of the Fly API. Each `message` is one user-facing sentence and never carries a token.
import { scrubSecrets, summarise } from '../http/redact';

export type FlyErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'rateLimited'
  | 'server'
  | 'network'
  | 'protocol'
  | 'graphql'
  | 'cancelled';

function endSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

export interface FlyErrorOptions {
  /** For mutations: the request may have reached Fly and taken effect although we saw a failure. */
  mayHaveSucceeded?: boolean;
}

export class FlyError extends Error {
  mayHaveSucceeded: boolean;

  constructor(
    readonly kind: FlyErrorKind,
    message: string,
    options: FlyErrorOptions = {},
  ) {
    super(scrubSecrets(message));
    this.name = new.target.name;
    this.mayHaveSucceeded = options.mayHaveSucceeded ?? false;
  }
}

export class UnauthorizedError extends FlyError {
  constructor(message = 'Fly.io did not accept your sign-in. Sign in to Fly.io again.', options?: FlyErrorOptions) {
    super('unauthorized', message, options);
  }
}

export class ForbiddenError extends FlyError {
  constructor(
    message = 'Your Fly.io account is not allowed to do this. Check that you are a member of the organization, or sign in as another user.',
    options?: FlyErrorOptions,
  ) {
    super('forbidden', message, options);
  }
}

export class NotFoundError extends FlyError {
  constructor(
    message: string,
    /** The app the lookup was for, when known. */
    readonly appName?: string,
    options?: FlyErrorOptions,
  ) {
    super('notFound', message, options);
  }

  static app(name: string): NotFoundError {
    return new NotFoundError(
      `Fly.io has no app named "${scrubSecrets(name)}" that you can see. ` +
        'Check the name in fly.toml, or sign in as a member of its organization.',
      name,
    );
  }
}

export class RateLimitedError extends FlyError {
  constructor(
    readonly retryAfterSeconds: number | undefined,
    options?: FlyErrorOptions,
  ) {
    super(
      'rateLimited',
      retryAfterSeconds === undefined
        ? 'Fly.io is limiting how fast requests may be made. Wait a minute and try again.'
        : `Fly.io is limiting how fast requests may be made. Try again in ${formatWait(retryAfterSeconds)}.`,
      options,
    );
  }
}

export class ServerError extends FlyError {
  constructor(
    readonly status: number,
    detail: string | undefined,
    options?: FlyErrorOptions,
  ) {
    const what = detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
    super('server', `Fly.io had a server problem (${what}). Try again in a minute; if it persists, check Fly.io's status page.`, options);
  }
}

export type NetworkReason = 'refused' | 'reset' | 'dns' | 'timeout' | 'other';

export class NetworkError extends FlyError {
  constructor(
    readonly reason: NetworkReason,
    message: string,
    options?: FlyErrorOptions,
  ) {
    super('network', message, options);
  }
}

export class ProtocolError extends FlyError {
  constructor(message: string, options?: FlyErrorOptions) {
    super('protocol', message, options);
  }
}

/** Statuses with which a server or proxy refuses a request for its size or shape, before running it. */
export const REFUSED_STATUSES: ReadonlySet<number> = new Set([400, 413, 414, 422, 431]);

/**
 * Fly (or a proxy in front of it) refused the request as a whole before running it: HTTP 400/413/414/422/431
 * without a GraphQL answer. Nothing ran, so a smaller request may be sent instead.
 */
export class RequestRefusedError extends ProtocolError {
  constructor(readonly status: number) {
    super(`Fly.io refused the request as too large or malformed (HTTP ${status}). Try again; if it keeps happening, update the extension.`);
  }
}

export class GraphQLError extends FlyError {
  readonly messages: string[];

  constructor(messages: readonly string[], options?: FlyErrorOptions) {
    const clean = messages.map((m) => summarise(m));
    const first = clean[0] ?? 'no reason given';
    const more = clean.length > 1 ? ` (and ${clean.length - 1} more)` : '';
    super('graphql', `Fly.io refused the request: ${endSentence(first)}${more}`, options);
    this.messages = clean;
  }
}

export class CancelledError extends FlyError {
  constructor() {
    super('cancelled', 'The request to Fly.io was cancelled.');
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

/** Retry-After is either delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP-date always names a weekday and month; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** One entry of a GraphQL response's `errors`, reduced to what decides how we report it. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  code?: string;
}

const UNAUTHENTICATED = /must be authenticated|not authenticated|unauthenticated|\bunauthori[sz]ed\b|invalid token|token (?:has )?expired|authentication required|not logged in|login required/i;
const FORBIDDEN = /not authori[sz]ed|forbidden|permission denied|access denied|not allowed|insufficient permission/i;
const NOT_FOUND = /could not find|could not resolve|not found|does not exist/i;

function notFound(message: string, appName: string | undefined): NotFoundError {
  if (/\bapp\b/i.test(message)) {
    return appName !== undefined
      ? NotFoundError.app(appName)
      : new NotFoundError('Fly.io could not find that app. Check the name, or sign in as a member of its organization.');
  }
  if (/organi[sz]ation/i.test(message)) {
    return new NotFoundError('Fly.io could not find that organization. Check the slug, or sign in as one of its members.', appName);
  }
  if (/token/i.test(message)) return new NotFoundError('Fly.io could not find that token; it may already be gone. Refresh the list.', appName);
  return new NotFoundError(`Fly.io could not find it (${summarise(message, 100)}). Refresh and try again.`, appName);
}

/** Whether one GraphQL error reads as an authentication refusal (by its code or its message), wherever it points. */
export function isUnauthorizedEntry(entry: GraphQLErrorEntry): boolean {
  const code = (entry.code ?? '').toUpperCase();
  return code === 'UNAUTHENTICATED' || code === 'UNAUTHORIZED' || UNAUTHENTICATED.test(entry.message);
}

/**
 * Whether one GraphQL error means the session itself is no good. fly-go decides "not authenticated" from HTTP 401
 * alone (`IsNotAuthenticatedError`, fly-go `error.go` 22d6e51), and flyctl's own tests retry a valid session that got
 * "Not authorized" (`test/preflight/testlib/test_env.go`, f58ce93c2) or a LimitedAccessTokenConnection error
 * (`test/preflight/apps_v2_integration_test.go`, d27117e67): a refusal with a `path` into one app, organization or
 * field is about that thing, not the sign-in. So only a refusal of `viewer` itself, or one that names no field while
 * no data came back, signs the user out.
 */
export function isSignedOutEntry(entry: GraphQLErrorEntry, dataIsNull: boolean): boolean {
  if (!isUnauthorizedEntry(entry)) return false;
  const path = entry.path ?? [];
  if (path.length === 0) return dataIsNull;
  return path[0] === 'viewer';
}

/** A refusal that points at one thing: Fly would not show it to this caller, and may later. */
function refusedAccess(entry: GraphQLErrorEntry, options: FlyErrorOptions & { appName?: string }): ForbiddenError {
  const reason = endSentence(summarise(entry.message, 120));
  const what = options.appName !== undefined ? `the app "${scrubSecrets(options.appName)}"` : 'this';
  return new ForbiddenError(
    `Fly.io refused access to ${what} (${reason.replace(/\.$/, '')}). Your sign-in still works for everything else; ` +
      'refresh later, or ask an organization admin for access.',
    options,
  );
}

/**
 * Reads one GraphQL error as the typed failure it stands for (auth, forbidden, not found) or a plain GraphQLError.
 * An authentication-looking refusal with a path (not `viewer`) is a ForbiddenError of that one thing: see
 * isSignedOutEntry.
 */
export function errorFromGraphQL(entry: GraphQLErrorEntry, options: FlyErrorOptions & { appName?: string } = {}): FlyError {
  const code = (entry.code ?? '').toUpperCase();
  if (isUnauthorizedEntry(entry)) {
    const path = entry.path ?? [];
    return path.length > 0 && path[0] !== 'viewer' ? refusedAccess(entry, options) : new UnauthorizedError(undefined, options);
  }
  if (code === 'FORBIDDEN' || FORBIDDEN.test(entry.message)) return new ForbiddenError(undefined, options);
  if (code === 'NOT_FOUND' || NOT_FOUND.test(entry.message)) {
    return notFound(entry.message, options.appName);
  }
  return new GraphQLError([entry.message], options);
}

/**
 * Fly's API gives up on one field under load: "Timeout on LimitedAccessToken.revokedAt" (flyctl 08a141633 is titled
 * after it; fly-go dropped `limitedAccessTokens` from its app and org queries because "the query fails sometimes",
 * flyctl 66432ff2e). Such an error is about the request's size and moment, not about the caller.
 */
export function isTimeoutEntry(entry: GraphQLErrorEntry): boolean {
  return /^\s*timeout on \w+\.\w+/i.test(entry.message) || (entry.code ?? '').toUpperCase() === 'TIMEOUT';
}
