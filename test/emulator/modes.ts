// Ways the emulator can answer where Fly's real behaviour is unknown (issue 10). Each mode is one plausible
// answer; the defaults are our best guesses, listed with their sources in README.md ("Facts and guesses").
import { getOperationAST, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

export interface EmulatorModes {
  /**
   * How a token that fails verification is refused. 'graphql' (default): HTTP 200, `data: null`,
   * `errors[0].extensions.code = "UNAUTHORIZED"`, "You must be authenticated to view this.".
   * 'http401': HTTP 401 `{"errors":[{"message":"unauthorized"}]}` before the document is read.
   */
  unauthorized: 'graphql' | 'http401';
  /**
   * Refuse a document whose complexity (here: root fields, i.e. aliases, + nested connections) exceeds this, with
   * graphql-ruby's message and no data, as `max_complexity` does. 0 = no limit.
   */
  maxComplexity: number;
  /**
   * Nested fields that fail, as graphql-ruby reports them: null in place, an error with the full `path`.
   * 'tokenUser': `LimitedAccessToken.user` fails for tokens the teammate (alex@example.com) created; `user` is
   * non-null, so the token's node becomes null. 'orgName': `Organization.name` fails for `acme`.
   */
  partialErrors: ('tokenUser' | 'orgName')[];
  /** `profileParams` sent as JSON text (`"{\"app_id\":\"…\"}"`) instead of an object. */
  profileParamsAsText: boolean;
  /**
   * Organizations (slugs) that require SSO or a third-party login: a user token alone cannot reach them; a request
   * reaches their data only when a macaroon of theirs comes with it (as flyctl's bundle carries one per organization).
   * Without one the organization is out of the caller's sight, as one the user is not a member of.
   */
  ssoOrgs: string[];
  /**
   * How an app or organization that exists but that the caller may not see is refused. 'unauthorized' (default): a
   * field-level error with `path` and `extensions.code: "UNAUTHORIZED"`, "Not authorized to access this App" (or
   * Organization), the rest of `data` intact. 'notFound': as if it did not exist ("Could not find App").
   */
  refusals: 'unauthorized' | 'notFound';
  /** Apps and organizations Fly refuses to every caller, members included (a permission the session lacks). */
  forbidden: { apps: string[]; orgs: string[] };
  /**
   * `LimitedAccessToken.revokedAt` of the token with this name fails with "Timeout on LimitedAccessToken.revokedAt"
   * (null in place, an error with the path to that field; the rest of the page is fine). `everywhere: false`: in token
   * lists only (reading it again by id works); true: in `nodes(ids:)` too.
   */
  revokedAtTimeout: { token: string; everywhere: boolean } | null;
  /** A query whose answer holds more than this many token nodes gets HTTP 504 instead (a gateway gave up). 0 = off. */
  gatewayTimeoutAboveTokens: number;
  /**
   * `Queries.apps` asked with a deploy or organization token (a macaroon): 'listed' (default) answers the apps it
   * reaches; 'refused' refuses the field with `extensions.code` "UNAUTHORIZED" while `viewer` still answers — and as
   * `apps` is non-null, `data` is null. A live token refused one field.
   */
  macaroonApps: 'listed' | 'refused';
  /** LogOut answers `ok: true` but the credential keeps working (a Fly whose revocation has not taken hold yet). */
  logOutKeepsToken: boolean;
  /**
   * A hostile or hijacked API, for tests: the browser sign-in's `auth_url` is this (e.g. `file:///etc/passwd`)
   * instead of the emulator's own approval page. null (default): the emulator's page.
   */
  hostileAuthUrl: string | null;
}

export const DEFAULT_MODES: EmulatorModes = {
  unauthorized: 'graphql',
  maxComplexity: 0,
  partialErrors: [],
  profileParamsAsText: false,
  ssoOrgs: [],
  refusals: 'unauthorized',
  forbidden: { apps: [], orgs: [] },
  revokedAtTimeout: null,
  gatewayTimeoutAboveTokens: 0,
  macaroonApps: 'listed',
  logOutKeepsToken: false,
  hostileAuthUrl: null,
};

/** The message graphql-ruby's field timeout gives (the text flyctl 08a141633 is titled after). */
export function timeoutMessage(type: string, field: string): string {
  return `Timeout on ${type}.${field}`;
}

/** Parses `--revoked-at-timeout <token name>[:everywhere]`. */
export function parseRevokedAtTimeout(text: string): EmulatorModes['revokedAtTimeout'] {
  const everywhere = text.endsWith(':everywhere');
  const token = everywhere ? text.slice(0, -':everywhere'.length) : text;
  if (token.trim() === '') throw new Error('--revoked-at-timeout needs a token name');
  return { token, everywhere };
}

/** Token nodes in a GraphQL answer's data: what a `gatewayTimeoutAboveTokens` limit counts. */
export function tokenNodeCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + tokenNodeCount(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'limitedAccessTokens' && v !== null && typeof v === 'object' && Array.isArray((v as { nodes?: unknown }).nodes)) {
      n += ((v as { nodes: unknown[] }).nodes).length;
    } else n += tokenNodeCount(v);
  }
  return n;
}

export const UNAUTHORIZED_MESSAGE = 'You must be authenticated to view this.';

/** graphql-ruby's `max_complexity` refusal (GraphQL::Analysis::AST::MaxQueryComplexity). */
export function complexityMessage(complexity: number, max: number): string {
  return `Query has complexity of ${complexity}, which exceeds max complexity of ${max}`;
}

/** Parses `--partial-errors tokenUser,orgName`. */
export function parsePartialErrors(text: string): EmulatorModes['partialErrors'] {
  const out: EmulatorModes['partialErrors'] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part !== 'tokenUser' && part !== 'orgName') throw new Error(`--partial-errors takes tokenUser and/or orgName, not "${part}"`);
    out.push(part);
  }
  return out;
}

/**
 * Complexity as graphql-ruby counts it with every field's complexity left at its default of 1 (a simplification:
 * Fly's own weights are unknown): one per field selected, fragments included.
 */
export function documentComplexity(document: DocumentNode, operationName: string | null): number {
  const op = getOperationAST(document, operationName);
  const count = (set: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) total += 1 + count(sel.selectionSet);
      else if (sel.kind === Kind.INLINE_FRAGMENT) total += count(sel.selectionSet);
    }
    return total;
  };
  return op ? count(op.selectionSet) : 0;
}
