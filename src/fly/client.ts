// FlyClient: the Fly operations the extension needs, each one HTTP request (plus further pages when Fly has more).
import {
  APP_DOCUMENT,
  APP_OPERATION,
  APP_TOKENS_OPERATION,
  CREATE_TOKEN_DOCUMENT,
  CREATE_TOKEN_OPERATION,
  ORGANIZATIONS_DOCUMENT,
  ORGANIZATIONS_OPERATION,
  ORG_TOKENS_DOCUMENT,
  ORG_TOKENS_OPERATION,
  REVOKE_TOKENS_OPERATION,
  VIEWER_DOCUMENT,
  VIEWER_OPERATION,
  appAlias,
  appTokensDocument,
  revokeAlias,
  revokeTokensDocument,
} from './documents';
import { isRecord } from '../http/json';
import { parseGoDuration } from './duration';
import {
  FlyError,
  GraphQLError,
  NotFoundError,
  ProtocolError,
  UnauthorizedError,
  errorFromGraphQL,
} from './errors';
import { scrubSecrets } from '../http/redact';
import { GraphQLResponse, Transport, TransportOptions } from './transport';
import type { AppRef, AppTokensResult, CreatedToken, Organization, OrgTokens, RevokeOutcome, TokenInfo, Viewer } from './types';

export type FlyClientOptions = TransportOptions;

export interface CallOptions {
  /** Aborting it rejects the call with CancelledError. */
  signal?: AbortSignal;
}

export interface CreateDeployTokenInput {
  app: AppRef;
  name: string;
  /** Go's canonical duration text, e.g. "2160h0m0s" (see parseExpiry). */
  expiry: string;
}

/** A server that keeps saying "more pages" must not keep us looping. */
const MAX_PAGES = 500;

/** Apps asked for in one request; more are asked for in further requests. */
export const APPS_PER_REQUEST = 50;

export class FlyClient {
  private readonly transport: Transport;

  constructor(options: FlyClientOptions) {
    this.transport = new Transport(options);
  }

  /** The API base in use (explicit option, else FLY_API_BASE_URL, else Fly's). */
  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  async viewer(options: CallOptions = {}): Promise<Viewer> {
    const res = await this.query(VIEWER_OPERATION, VIEWER_DOCUMENT, {}, options);
    const viewer = requireRecord(requireData(res).viewer, 'viewer');
    const email = requireString(viewer, 'email', 'viewer');
    if (viewer.__typename === 'Macaroon') return { kind: 'macaroon', email, id: null };
    return { kind: 'user', email, id: optionalString(viewer, 'id') };
  }

  async getApp(name: string, options: CallOptions = {}): Promise<AppRef> {
    const res = await this.query(APP_OPERATION, APP_DOCUMENT, { name }, options);
    const appError = res.errors.find((e) => e.path?.[0] === 'app') ?? (res.data?.app ? undefined : res.errors[0]);
    if (appError) throw errorFromGraphQL(appError, { appName: name });
    const data = requireData(res);
    if (data.app === null || data.app === undefined) throw NotFoundError.app(name);
    return readAppRef(data.app, 'app');
  }

  /**
   * Tokens of several apps in one request (aliases a0, a1, …), then one request per further page for the apps that
   * have more. An app Fly cannot find (or won't show) gives an `ok: false` entry; the others still succeed.
   */
  async listAppTokens(names: readonly string[], options: CallOptions = {}): Promise<AppTokensResult[]> {
    interface Progress {
      name: string;
      app?: AppRef;
      tokens: TokenInfo[];
      cursor: string | null;
      done: boolean;
      error?: FlyError;
    }
    const progress: Progress[] = [...new Set(names)].map((name) => ({ name, tokens: [], cursor: null, done: false }));

    // At most APPS_PER_REQUEST apps in one document keeps it a size any server takes (a monorepo can name hundreds).
    const rounds = MAX_PAGES + Math.ceil(progress.length / APPS_PER_REQUEST);
    for (let round = 0; round < rounds; round++) {
      const batch = progress.filter((p) => !p.done).slice(0, APPS_PER_REQUEST);
      if (batch.length === 0) break;
      const variables: Record<string, unknown> = {};
      batch.forEach((p, i) => {
        variables[`n${i}`] = p.name;
        variables[`c${i}`] = p.cursor;
      });
      const res = await this.query(APP_TOKENS_OPERATION, appTokensDocument(batch.length), variables, options);
      throwIfWholeRequestFailed(res);
      batch.forEach((p, i) => {
        const alias = appAlias(i);
        const where = `${alias} (app "${p.name}")`;
        const fault = res.errors.find((e) => e.path?.[0] === alias);
        const value = res.data?.[alias];
        p.done = true;
        if (fault) {
          p.error = errorFromGraphQL(fault, { appName: p.name });
        } else if (value === null || value === undefined) {
          p.error = NotFoundError.app(p.name);
        } else {
          try {
            p.app ??= readAppRef(value, where);
            const conn = readTokenConnection(requireRecord(value, where).limitedAccessTokens, `${where}.limitedAccessTokens`);
            p.tokens.push(...conn.tokens);
            if (conn.nextCursor !== null) {
              if (conn.nextCursor === p.cursor) throw shapeError(`${where} repeats its page cursor`);
              p.cursor = conn.nextCursor;
              p.done = false;
            }
          } catch (err) {
            p.error = err instanceof FlyError ? err : shapeError(where);
          }
        }
      });
    }
    return progress.map((p): AppTokensResult => {
      if (p.error) return { name: p.name, ok: false, error: p.error };
      if (!p.app || !p.done) return { name: p.name, ok: false, error: shapeError(`app "${p.name}" has too many pages`) };
      return { name: p.name, ok: true, app: p.app, tokens: p.tokens };
    });
  }

  async listOrgTokens(slug: string, options: CallOptions = {}): Promise<OrgTokens> {
    let organization: Organization | undefined;
    const tokens: TokenInfo[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.query(ORG_TOKENS_OPERATION, ORG_TOKENS_DOCUMENT, { slug, cursor }, options);
      const orgError = res.errors.find((e) => e.path?.[0] === 'organization') ?? (res.data?.organization ? undefined : res.errors[0]);
      if (orgError) throw errorFromGraphQL(orgError);
      const value = requireData(res).organization;
      if (value === null || value === undefined) throw organizationNotFound(slug);
      organization ??= readOrganization(value, 'organization');
      const conn = readTokenConnection(requireRecord(value, 'organization').limitedAccessTokens, 'organization.limitedAccessTokens');
      tokens.push(...conn.tokens);
      if (conn.nextCursor === null) return { organization, tokens };
      if (conn.nextCursor === cursor) throw shapeError('organization.limitedAccessTokens repeats its page cursor');
      cursor = conn.nextCursor;
    }
    throw shapeError('organization.limitedAccessTokens has too many pages');
  }

  async listOrganizations(options: CallOptions = {}): Promise<Organization[]> {
    const organizations: Organization[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.query(ORGANIZATIONS_OPERATION, ORGANIZATIONS_DOCUMENT, { cursor }, options);
      throwIfWholeRequestFailed(res);
      if (res.errors[0]) throw errorFromGraphQL(res.errors[0]);
      const conn = requireRecord(requireData(res).organizations, 'organizations');
      const nodes = requireArray(conn.nodes, 'organizations.nodes');
      for (const node of nodes) {
        if (node !== null) organizations.push(readOrganization(node, 'organizations.nodes[]'));
      }
      const next = nextCursor(conn.pageInfo, 'organizations.pageInfo');
      if (next === null) return organizations;
      if (next === cursor) throw shapeError('organizations repeats its page cursor');
      cursor = next;
    }
    throw shapeError('organizations has too many pages');
  }

  /**
   * Mints a deploy token for one app. Never retried: when the outcome is unknown (5xx, reset, timeout, cut-off answer)
   * the error has `mayHaveSucceeded: true`, and the token may exist.
   */
  async createDeployToken(input: CreateDeployTokenInput, options: CallOptions = {}): Promise<CreatedToken> {
    const name = input.name.trim();
    if (name === '') throw new RangeError('A deploy token needs a name.');
    const expiryNs = parseGoDuration(input.expiry);
    if (expiryNs === null || expiryNs <= 0n) throw new RangeError(`expiry must be a positive Go duration such as "720h0m0s"; got "${input.expiry}"`);
    const res = await this.transport.request({
      operationName: CREATE_TOKEN_OPERATION,
      kind: 'mutation',
      query: CREATE_TOKEN_DOCUMENT,
      variables: {
        name,
        organizationId: input.app.organization.id,
        profile: 'deploy',
        profileParams: { app_id: input.app.id },
        expiry: input.expiry,
      },
      signal: options.signal,
    });
    if (res.errors[0]) throw errorFromGraphQL(res.errors[0], { appName: input.app.name });
    try {
      const payload = requireRecord(requireData(res).createLimitedAccessToken, 'createLimitedAccessToken');
      const token = requireRecord(payload.limitedAccessToken, 'createLimitedAccessToken.limitedAccessToken');
      const where = 'limitedAccessToken';
      return {
        id: requireString(token, 'id', where),
        name: requireString(token, 'name', where),
        createdAt: requireString(token, 'createdAt', where),
        expiresAt: requireString(token, 'expiresAt', where),
        tokenHeader: requireString(token, 'tokenHeader', where),
      };
    } catch (err) {
      // The server answered 200 without errors: the token most likely exists even though we could not read it.
      if (err instanceof FlyError) err.mayHaveSucceeded = true;
      throw err;
    }
  }

  /**
   * Revokes all ids in one mutation (aliases r0, r1, …). Never throws for Fly's answers: each id gets its own outcome,
   * and a failure of the whole request becomes every id's outcome.
   */
  async revokeTokens(ids: readonly string[], options: CallOptions = {}): Promise<RevokeOutcome[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const variables: Record<string, unknown> = {};
    unique.forEach((id, i) => {
      variables[`i${i}`] = { id };
    });
    let res: GraphQLResponse;
    try {
      res = await this.transport.request({
        operationName: REVOKE_TOKENS_OPERATION,
        kind: 'mutation',
        query: revokeTokensDocument(unique.length),
        variables,
        signal: options.signal,
      });
      throwIfWholeRequestFailed(res);
    } catch (err) {
      if (!(err instanceof FlyError)) throw err;
      return unique.map((id) => ({ id, ok: false, error: err }));
    }
    return unique.map((id, i): RevokeOutcome => {
      const alias = revokeAlias(i);
      const fault = res.errors.find((e) => e.path?.[0] === alias);
      if (fault) return { id, ok: false, error: errorFromGraphQL(fault) };
      if (res.data && alias in res.data) return { id, ok: true };
      const unknown = shapeError(alias);
      unknown.mayHaveSucceeded = true;
      return { id, ok: false, error: unknown };
    });
  }

  private query(operationName: string, query: string, variables: Record<string, unknown>, options: CallOptions): Promise<GraphQLResponse> {
    return this.transport.request({ operationName, kind: 'query', query, variables, signal: options.signal });
  }
}

/**
 * Errors that concern the whole request rather than one alias: the caller is signed out, or nothing came back.
 * Errors that name an alias (`path[0]`) are left for the caller to pin on that app or token.
 */
function throwIfWholeRequestFailed(res: GraphQLResponse): void {
  const unauthorized = res.errors.map((entry) => errorFromGraphQL(entry)).find((e) => e instanceof UnauthorizedError);
  if (unauthorized) throw unauthorized;
  if (res.data !== null) return;
  if (res.errors.length === 0) throw shapeError('data');
  const unplaced = res.errors.filter((e) => !e.path || e.path.length === 0);
  if (unplaced.length === 0) return;
  if (unplaced.length === 1 && unplaced[0]) throw errorFromGraphQL(unplaced[0]);
  throw new GraphQLError(unplaced.map((e) => e.message));
}

function requireData(res: GraphQLResponse): Record<string, unknown> {
  throwIfWholeRequestFailed(res);
  if (res.data === null) throw shapeError('data');
  return res.data;
}

function organizationNotFound(slug: string): NotFoundError {
  return new NotFoundError(`Fly.io has no organization "${scrubSecrets(slug)}" that you can see. Check the slug, or sign in as one of its members.`);
}

function shapeError(where: string): ProtocolError {
  return new ProtocolError(
    `Fly.io sent an answer this extension does not understand (at ${scrubSecrets(where)}). Try again; if it keeps happening, update the extension.`,
  );
}

function requireRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw shapeError(where);
  return value;
}

function requireArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw shapeError(where);
  return value;
}

function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw shapeError(`${where}.${key}`);
  return value;
}

function optionalString(obj: Record<string, unknown>, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' ? value : null;
}

function readOrganization(value: unknown, where: string): Organization {
  const org = requireRecord(value, where);
  return { id: requireString(org, 'id', where), slug: requireString(org, 'slug', where), name: requireString(org, 'name', where) };
}

function readAppRef(value: unknown, where: string): AppRef {
  const app = requireRecord(value, where);
  return {
    id: requireString(app, 'id', where),
    name: requireString(app, 'name', where),
    organization: readOrganization(app.organization, `${where}.organization`),
  };
}

function readToken(value: unknown, where: string): TokenInfo {
  const token = requireRecord(value, where);
  const user = isRecord(token.user) ? token.user : {};
  return {
    id: requireString(token, 'id', where),
    name: requireString(token, 'name', where),
    profile: requireString(token, 'profile', where),
    profileParams: token.profileParams ?? null,
    createdAt: requireString(token, 'createdAt', where),
    expiresAt: requireString(token, 'expiresAt', where),
    revokedAt: optionalString(token, 'revokedAt'),
    revokedBy: optionalString(token, 'revokedBy'),
    createdBy: optionalString(user, 'email') ?? '',
  };
}

/** The cursor of the next page, or null when this was the last one. */
function nextCursor(pageInfo: unknown, where: string): string | null {
  const info = requireRecord(pageInfo, where);
  if (info.hasNextPage !== true) return null;
  const cursor = info.endCursor;
  if (typeof cursor !== 'string' || cursor === '') throw shapeError(`${where}.endCursor`);
  return cursor;
}

function readTokenConnection(value: unknown, where: string): { tokens: TokenInfo[]; nextCursor: string | null } {
  const conn = requireRecord(value, where);
  const tokens = requireArray(conn.nodes, `${where}.nodes`)
    .filter((node) => node !== null)
    .map((node) => readToken(node, `${where}.nodes[]`));
  return { tokens, nextCursor: nextCursor(conn.pageInfo, `${where}.pageInfo`) };
}
