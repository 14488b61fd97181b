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
  TOKENS_BY_ID_DOCUMENT,
  TOKENS_BY_ID_OPERATION,
  LOG_OUT_DOCUMENT,
  LOG_OUT_OPERATION,
  ORG_REVIEW_OPERATION,
  TOKEN_APPS_DOCUMENT,
  TOKEN_APPS_OPERATION,
  TOKEN_PROBE_DOCUMENT,
  TOKEN_PROBE_OPERATION,
  orgReviewAlias,
  orgReviewDocument,
  type OrgReviewPart,
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
  CancelledError,
  FlyError,
  ForbiddenError,
  GraphQLError,
  NotFoundError,
  ProtocolError,
  UnauthorizedError,
  REFUSED_STATUSES,
  RequestRefusedError,
  ServerError,
  errorFromGraphQL,
  isSignedOutEntry,
  isTimeoutEntry,
  isUnauthorizedEntry,
  type GraphQLErrorEntry,
} from './errors';
import { scrubSecrets, summarise } from '../http/redact';
import { GraphQLResponse, Transport, TransportOptions } from './transport';
import type {
  AppRef,
  AppTokensResult,
  CreatedToken,
  Organization,
  OrganizationList,
  OrgTokens,
  PartialWarning,
  RevokeOutcome,
  OrgReview,
  TokenInfo,
  TokenProbe,
  Viewer,
} from './types';

export interface FlyClientOptions extends TransportOptions {
  /** Where refused batch sizes are remembered; by default one memory per API base URL for the whole session. */
  batchMemory?: BatchMemory;
}

/**
 * How many apps (or revocations) one request may carry. Starts at APPS_PER_REQUEST; when Fly refuses a batch as a
 * whole and a half-size one then works, that size is kept for the session (per API base URL), so one refusal costs
 * its extra requests once, not on every refresh.
 */
export class BatchMemory {
  private static readonly shared = new Map<string, BatchMemory>();
  appsPerRequest = APPS_PER_REQUEST;
  revokesPerRequest = APPS_PER_REQUEST;

  /** Forgets what every API's clients learned (a new session starts from APPS_PER_REQUEST again). */
  static forgetAll(): void {
    BatchMemory.shared.clear();
  }

  static forBaseUrl(baseUrl: string): BatchMemory {
    let memory = BatchMemory.shared.get(baseUrl);
    if (!memory) {
      memory = new BatchMemory();
      BatchMemory.shared.set(baseUrl, memory);
    }
    return memory;
  }

  /**
   * A request of up to `limit` items went through. Only a size that worked after a refusal is kept: a refusal that
   * goes on down to one item was not about size, and changes nothing.
   */
  worked(what: 'apps' | 'revokes', limit: number): void {
    if (what === 'apps') this.appsPerRequest = Math.min(this.appsPerRequest, limit);
    else this.revokesPerRequest = Math.min(this.revokesPerRequest, limit);
  }
}

export interface CallOptions {
  /** Aborting it rejects the call with CancelledError. */
  signal?: AbortSignal;
}

export interface CreateOrgTokenInput {
  organization: Organization;
  name: string;
  /** Go's canonical duration text */
  expiry: string;
}

export interface CreateDeployTokenInput {
  app: AppRef;
  name: string;
  /** Go's canonical duration text, e.g. "2160h0m0s" (see parseExpiry). */
  expiry: string;
}

/**
 * Apps asked for in one request at first; more are asked for in further requests. With TOKEN_PAGE_SIZE tokens each,
 * a request asks for at most 10 × 50 = 500 tokens where it once asked for 50 × 100 = 5,000: Fly's token lists time
 * out on its side (flyctl 66432ff2e, 08a141633), and a request that fails costs all the apps in it. Most workspaces
 * name fewer than 10 apps, so they still take one request; 20 apps take two. A guess (test/emulator/README.md).
 */
export const APPS_PER_REQUEST = 10;

/** A server that keeps saying "more pages" must not keep us looping. */
const MAX_PAGES = 500;


export class FlyClient {
  private readonly transport: Transport;
  private readonly memory: BatchMemory;

  constructor(options: FlyClientOptions) {
    this.transport = new Transport(options);
    this.memory = options.batchMemory ?? BatchMemory.forBaseUrl(this.transport.baseUrl);
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
   * A request Fly refuses as a whole (too complex, too large), answers with HTTP 504, or whose token list of an app
   * times out (`Timeout on …`) is split in halves down to one app; a size that worked after a refusal is remembered
   * for the session (`batchMemory`). A nested field Fly could not resolve drops only what came back null and leaves a
   * `warning` on that app; a token one of whose fields failed is read again by id, or marked `stateUnknown`.
   */
  async listAppTokens(names: readonly string[], options: CallOptions = {}): Promise<AppTokensResult[]> {
    interface Progress {
      name: string;
      app?: AppRef;
      tokens: TokenInfo[];
      cursor: string | null;
      done: boolean;
      error?: FlyError;
      partial: PartialCollector;
      /** this app's token list timed out in a request of one app: the next timeout is its answer */
      timedOutAlone: boolean;
    }
    const progress: Progress[] = [...new Set(names)].map((name) => ({
      name,
      tokens: [],
      cursor: null,
      done: false,
      partial: new PartialCollector(),
      timedOutAlone: false,
    }));

    // Every round either finishes a page for an app, halves the batch size, or ends an app's second lone timeout,
    // so this bounds the loop.
    const rounds = MAX_PAGES + 3 * progress.length + 2 * Math.ceil(Math.log2(APPS_PER_REQUEST + 1));
    let limit = this.memory.appsPerRequest;
    for (let round = 0; round < rounds; round++) {
      const batch = progress.filter((p) => !p.done).slice(0, limit);
      if (batch.length === 0) break;
      const variables: Record<string, unknown> = {};
      batch.forEach((p, i) => {
        variables[`n${i}`] = p.name;
        variables[`c${i}`] = p.cursor;
      });
      let res: GraphQLResponse;
      try {
        res = await this.query(APP_TOKENS_OPERATION, appTokensDocument(batch.length), variables, options);
      } catch (err) {
        if (batch.length > 1 && (err instanceof RequestRefusedError || isGatewayTimeout(err))) {
          limit = half(batch.length);
          continue;
        }
        throw err;
      }
      if (batch.length > 1 && refusedAsWhole(res)) {
        limit = half(batch.length);
        continue;
      }
      throwIfWholeRequestFailed(res);
      let timedOut = false;
      batch.forEach((p, i) => {
        const alias = appAlias(i);
        const where = `${alias} (app "${p.name}")`;
        const faults = res.errors.filter((e) => e.path?.[0] === alias);
        const value = res.data?.[alias];
        p.done = true;
        const failWith = (fallback: () => FlyError): void => {
          const own = faults[0];
          p.error = own ? errorFromGraphQL(own, { appName: p.name }) : fallback();
        };
        const connValue = isRecord(value) ? value.limitedAccessTokens : undefined;
        // The app's list (not one token of it) timed out: asked again in a smaller request, once more when alone.
        if ((connValue === null || connValue === undefined) && faults.some((f) => isTimeoutEntry(f) && !insideToken(f))) {
          if (batch.length > 1 || !p.timedOutAlone) {
            p.timedOutAlone = batch.length === 1;
            p.done = false;
            timedOut = true;
            return;
          }
        }
        if (value === null || value === undefined) {
          failWith(() => NotFoundError.app(p.name));
          return;
        }
        try {
          p.app ??= readAppRef(value, where);
          if (connValue === null || connValue === undefined) {
            failWith(() => shapeError(`${where}.limitedAccessTokens`));
            return;
          }
          const conn = readTokenConnection(connValue, `${where}.limitedAccessTokens`, p.partial, faults);
          p.tokens.push(...conn.tokens);
          p.partial.addErrors(faults.filter((f) => !conn.placed.has(f)));
          if (conn.nextCursor !== null) {
            if (conn.nextCursor === p.cursor) throw shapeError(`${where} repeats its page cursor`);
            p.cursor = conn.nextCursor;
            p.done = false;
          }
        } catch (err) {
          if (faults.length > 0) failWith(() => shapeError(where));
          else p.error = err instanceof FlyError ? err : shapeError(where);
        }
      });
      // The rest of this answer is kept; the apps whose list timed out go again, fewer to a request.
      if (timedOut) limit = half(batch.length);
      else this.memory.worked('apps', limit);
    }
    await this.readUnknownStates(progress.flatMap((p) => p.tokens), options);
    return progress.map((p): AppTokensResult => {
      if (p.error) return { name: p.name, ok: false, error: p.error };
      if (!p.app || !p.done) return { name: p.name, ok: false, error: shapeError(`app "${p.name}" has too many pages`) };
      const warning = p.partial.warning();
      return { name: p.name, ok: true, app: p.app, tokens: p.tokens, ...(warning ? { warning } : {}) };
    });
  }

  /**
   * Tokens one of whose fields Fly could not send (a `Timeout on LimitedAccessToken.revokedAt`) are read again by id in
   * one request (`Queries.nodes`, as after a lost revocation). A token whose state that settles loses its
   * `stateUnknown`; the others keep it, and no one may take them for active ones.
   */
  private async readUnknownStates(tokens: readonly TokenInfo[], options: CallOptions): Promise<void> {
    const unknown = tokens.filter((t) => t.stateUnknown && unknownFields.get(t)?.every((f) => f === 'revokedAt' || f === 'revokedBy'));
    if (unknown.length === 0) return;
    const seen = await this.readRevocations([...new Set(unknown.map((t) => t.id))], options).catch(() => new Map<string, string | null>());
    for (const t of unknown) {
      const revokedAt = seen.get(t.id);
      if (revokedAt === undefined) continue;
      t.revokedAt = revokedAt;
      delete t.stateUnknown;
    }
  }

  async listOrgTokens(slug: string, options: CallOptions = {}): Promise<OrgTokens> {
    let organization: Organization | undefined;
    const tokens: TokenInfo[] = [];
    const partial = new PartialCollector();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.query(ORG_TOKENS_OPERATION, ORG_TOKENS_DOCUMENT, { slug, cursor }, options);
      throwIfWholeRequestFailed(res);
      const value = res.data?.organization;
      const own = res.errors.filter((e) => e.path?.[0] === 'organization');
      if (value === null || value === undefined) {
        const first = own[0] ?? res.errors[0];
        throw first ? errorFromGraphQL(first) : organizationNotFound(slug);
      }
      try {
        organization ??= readOrganization(value, 'organization');
        const connValue = requireRecord(value, 'organization').limitedAccessTokens;
        if ((connValue === null || connValue === undefined) && own[0]) throw errorFromGraphQL(own[0]);
        const conn = readTokenConnection(connValue, 'organization.limitedAccessTokens', partial, own);
        tokens.push(...conn.tokens);
        partial.addErrors(own.filter((f) => !conn.placed.has(f)));
        if (conn.nextCursor === null) {
          await this.readUnknownStates(tokens, options);
          const warning = partial.warning();
          return { organization, tokens, ...(warning ? { warning } : {}) };
        }
        if (conn.nextCursor === cursor) throw shapeError('organization.limitedAccessTokens repeats its page cursor');
        cursor = conn.nextCursor;
      } catch (err) {
        // A field of the organization itself came back null: the error Fly gave for it says more than "unreadable".
        if (err instanceof ProtocolError && own[0]) throw errorFromGraphQL(own[0]);
        throw err;
      }
    }
    throw shapeError('organization.limitedAccessTokens has too many pages');
  }

  async listOrganizations(options: CallOptions = {}): Promise<Organization[]> {
    return (await this.listOrganizationsWithWarning(options)).organizations;
  }

  /** The organizations, keeping what Fly could send when some of them came back null (with a `warning`). */
  async listOrganizationsWithWarning(options: CallOptions = {}): Promise<OrganizationList> {
    const organizations: Organization[] = [];
    const partial = new PartialCollector();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.query(ORGANIZATIONS_OPERATION, ORGANIZATIONS_DOCUMENT, { cursor }, options);
      throwIfWholeRequestFailed(res);
      const value = res.data?.organizations;
      // Only an error deeper than the list itself (one organization, one field) leaves the rest usable.
      const deep = res.errors.filter((e) => e.path?.[0] === 'organizations' && e.path.length > 2);
      const other = res.errors.find((e) => !deep.includes(e));
      if (other || value === null || value === undefined) {
        if (other) throw errorFromGraphQL(other);
        throw shapeError('organizations');
      }
      const conn = requireRecord(value, 'organizations');
      for (const node of requireArray(conn.nodes, 'organizations.nodes')) {
        if (node === null) {
          partial.omit();
          continue;
        }
        try {
          organizations.push(readOrganization(node, 'organizations.nodes[]'));
        } catch {
          partial.omit();
        }
      }
      partial.addErrors(deep);
      const next = nextCursor(conn.pageInfo, 'organizations.pageInfo');
      if (next === null) {
        const warning = partial.warning();
        return { organizations, ...(warning ? { warning } : {}) };
      }
      if (next === cursor) throw shapeError('organizations repeats its page cursor');
      cursor = next;
    }
    throw shapeError('organizations has too many pages');
  }

  /**
   * Mints a deploy token for one app. Never retried: when the outcome is unknown (5xx, reset, timeout, cut-off answer)
   * the error has `mayHaveSucceeded: true`, and the token may exist.
   */
  createDeployToken(input: CreateDeployTokenInput, options: CallOptions = {}): Promise<CreatedToken> {
    const { app } = input;
    return this.createLimitedToken(input, app.organization, 'deploy', { app_id: app.id }, options, app.name);
  }

  /** The one create request (flyctl's CreateLimitedAccessToken variables): checked before sending, sent once. */
  private async createLimitedToken(
    input: { name: string; expiry: string },
    organization: Organization,
    profile: 'deploy' | 'deploy_organization',
    profileParams: Record<string, unknown>,
    options: CallOptions,
    appName?: string,
  ): Promise<CreatedToken> {
    const name = input.name.trim();
    if (name === '') throw new RangeError('A deploy token needs a name.');
    const expiryNs = parseGoDuration(input.expiry);
    if (expiryNs === null || expiryNs <= 0n) {
      throw new RangeError(`expiry must be a positive Go duration such as "720h0m0s"; got "${input.expiry}"`);
    }
    const res = await this.transport.request({
      operationName: CREATE_TOKEN_OPERATION,
      kind: 'mutation',
      query: CREATE_TOKEN_DOCUMENT,
      variables: { name, organizationId: organization.id, profile, profileParams, expiry: input.expiry },
      signal: options.signal,
    });
    return readCreated(res, appName);
  }

  /**
   * Revokes ids in as few mutations as Fly takes (aliases r0, r1, …). Never throws for Fly's answers: each id gets
   * its own outcome. A mutation Fly refuses as a whole without running any of it (no data at all, HTTP 400/413/422)
   * is split in halves down to one id. When the outcome is unknown (timeout, reset, 5xx after sending, an answer
   * without the alias) it is never re-sent: the tokens are read back and reported as they are.
   */
  async revokeTokens(ids: readonly string[], options: CallOptions = {}): Promise<RevokeOutcome[]> {
    const unique = [...new Set(ids)];
    const outcomes = new Map<string, RevokeOutcome>();
    const unknown = new Map<string, FlyError>();
    let queue = unique;
    let limit = this.memory.revokesPerRequest;
    let guard = unique.length + 2 * Math.ceil(Math.log2(unique.length + 1)) + 2;
    while (queue.length > 0 && guard-- > 0) {
      const batch = queue.slice(0, limit);
      const variables: Record<string, unknown> = {};
      batch.forEach((id, i) => {
        variables[`i${i}`] = { id };
      });
      let res: GraphQLResponse;
      try {
        res = await this.transport.request({
          operationName: REVOKE_TOKENS_OPERATION,
          kind: 'mutation',
          query: revokeTokensDocument(batch.length),
          variables,
          signal: options.signal,
        });
      } catch (err) {
        if (!(err instanceof FlyError)) throw err;
        if (batch.length > 1 && err instanceof RequestRefusedError) {
          limit = half(batch.length);
          continue;
        }
        queue = queue.slice(batch.length);
        for (const id of batch) {
          if (err.mayHaveSucceeded) unknown.set(id, err);
          else outcomes.set(id, { id, ok: false, error: err });
        }
        continue;
      }
      if (batch.length > 1 && refusedAsWhole(res)) {
        limit = half(batch.length);
        continue;
      }
      queue = queue.slice(batch.length);
      let whole: FlyError | undefined;
      try {
        throwIfWholeRequestFailed(res);
      } catch (err) {
        if (!(err instanceof FlyError)) throw err;
        whole = err;
      }
      batch.forEach((id, i) => {
        const alias = revokeAlias(i);
        const fault = res.errors.find((e) => e.path?.[0] === alias);
        if (fault) outcomes.set(id, { id, ok: false, error: errorFromGraphQL(fault) });
        else if (res.data && alias in res.data && res.data[alias] !== null) outcomes.set(id, { id, ok: true });
        else if (whole) outcomes.set(id, { id, ok: false, error: whole });
        else {
          const lost = shapeError(alias);
          lost.mayHaveSucceeded = true;
          unknown.set(id, lost);
        }
      });
      if (!whole) this.memory.worked('revokes', limit);
    }
    if (unknown.size > 0) {
      const seen = await this.readRevocations([...unknown.keys()], options).catch(() => new Map<string, string | null>());
      for (const [id, error] of unknown) {
        const revokedAt = seen.get(id);
        if (typeof revokedAt === 'string') outcomes.set(id, { id, ok: true, confirmed: true });
        else if (revokedAt === null) outcomes.set(id, { id, ok: false, error: notRevoked() });
        else outcomes.set(id, { id, ok: false, error });
      }
    }
    return unique.map((id) => outcomes.get(id) ?? { id, ok: false, error: shapeError(`revocation of ${id}`) });
  }

  /**
   * `revokedAt` of each token Fly could read back by id (`Queries.nodes`): a string when revoked, null when still
   * active; an id Fly could not resolve is absent (its outcome stays unknown).
   */
  private async readRevocations(ids: string[], options: CallOptions): Promise<Map<string, string | null>> {
    const seen = new Map<string, string | null>();
    const res = await this.query(TOKENS_BY_ID_OPERATION, TOKENS_BY_ID_DOCUMENT, { ids }, options);
    const nodes = res.data?.nodes;
    if (!Array.isArray(nodes)) return seen;
    // A node with an error of its own (its `revokedAt` timed out again) says nothing: null there is not "active".
    const faulted = new Set(res.errors.map((e) => (e.path?.[0] === 'nodes' ? e.path[1] : undefined)));
    for (const [index, node] of nodes.entries()) {
      if (faulted.has(index)) continue;
      if (!isRecord(node) || typeof node.id !== 'string' || !ids.includes(node.id)) continue;
      if (typeof node.revokedAt === 'string') seen.set(node.id, node.revokedAt);
      else if (node.revokedAt === null) seen.set(node.id, null);
    }
    return seen;
  }

  /**
   * Mints an organization deploy token (flyctl's `tokens create org`: profile `deploy_organization`, params `{}`).
   * Never retried, like createDeployToken.
   */
  createOrgDeployToken(input: CreateOrgTokenInput, options: CallOptions = {}): Promise<CreatedToken> {
    return this.createLimitedToken(input, input.organization, 'deploy_organization', {}, options);
  }

  /**
   * flyctl's LogOut, authenticated by this client's own token (`fly tokens revoke supplied`): revokes that credential.
   * `ok: false` is Fly declining. Fly refusing the credential itself (already revoked, expired, unknown) is an
   * UnauthorizedError. Never retried.
   */
  async logOut(options: CallOptions = {}): Promise<{ ok: boolean }> {
    const res = await this.transport.request({ operationName: LOG_OUT_OPERATION, kind: 'mutation', query: LOG_OUT_DOCUMENT, variables: {}, signal: options.signal });
    if (res.errors[0]) throw errorFromGraphQL(res.errors[0]);
    try {
      const payload = requireRecord(requireData(res).logOut, 'logOut');
      if (typeof payload.ok !== 'boolean') throw shapeError('logOut.ok');
      return { ok: payload.ok };
    } catch (err) {
      if (err instanceof FlyError) err.mayHaveSucceeded = true;
      throw err;
    }
  }

  /**
   * What this client's own token is, asked with it (read-only): a user's login, or a macaroon and the apps it reaches.
   * `viewer` is asked on its own first and only its refusal means Fly does not accept the token (UnauthorizedError);
   * the apps are asked after, and a refusal or odd answer there leaves `apps: null`. A token Fly accepts may well be
   * refused `apps` (a non-null root field: its refusal nulls the whole answer), which says nothing about its life.
   */
  async probeToken(kind: 'user' | 'macaroon', options: CallOptions = {}): Promise<TokenProbe> {
    const viewer = await this.probeViewer(options);
    if (kind === 'user' || viewer.principal === 'user') return { ...viewer, apps: null };
    return { ...viewer, apps: await this.probeApps(options) };
  }

  /**
   * Whether Fly accepts this client's own token now, by `viewer` alone: 'refused' (it is revoked, expired or
   * unknown), 'accepted', or the failure that kept us from knowing (network, server, an answer we cannot read).
   */
  async tokenAccepted(options: CallOptions = {}): Promise<'accepted' | 'refused'> {
    try {
      await this.probeViewer(options);
      return 'accepted';
    } catch (err) {
      if (err instanceof UnauthorizedError && !err.mayHaveSucceeded) return 'refused';
      throw err;
    }
  }

  private async probeViewer(options: CallOptions): Promise<Omit<TokenProbe, 'apps'>> {
    const res = await this.query(TOKEN_PROBE_OPERATION, TOKEN_PROBE_DOCUMENT, {}, options);
    const viewer = res.data?.viewer;
    if (!isRecord(viewer)) {
      const entry = res.errors.find((e) => e.path?.[0] === 'viewer') ?? res.errors[0];
      if (!entry) throw shapeError('viewer');
      const error = errorFromGraphQL(entry);
      // `viewer` is the one question every live token answers: any refusal of it (not a timeout or a server fault
      // reported as an error) means Fly does not take the token.
      if (error instanceof UnauthorizedError || error instanceof ForbiddenError) throw new UnauthorizedError();
      throw error;
    }
    const email = requireString(viewer, 'email', 'viewer');
    return { principal: viewer.__typename === 'User' ? 'user' : 'macaroon', email };
  }

  private async probeApps(options: CallOptions): Promise<TokenProbe['apps']> {
    let res: GraphQLResponse;
    try {
      res = await this.query(TOKEN_APPS_OPERATION, TOKEN_APPS_DOCUMENT, {}, options);
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      // The apps are extra: what the viewer said stands.
      return null;
    }
    if (res.errors.length > 0 || !isRecord(res.data?.apps)) return null;
    try {
      const conn = res.data.apps;
      const nodes = requireArray(conn.nodes, 'apps.nodes').filter((n) => n !== null);
      const totalCount = typeof conn.totalCount === 'number' ? conn.totalCount : nodes.length;
      return {
        totalCount,
        apps: nodes.map((n) => {
          const app = requireRecord(n, 'apps.nodes[]');
          return { name: requireString(app, 'name', 'apps.nodes[]'), organization: readOrganization(app.organization, 'apps.nodes[].organization') };
        }),
      };
    } catch {
      return null;
    }
  }

  /**
   * Organizations' tokens and members for a hygiene review: all organizations in one request (tokens and members as
   * separate aliases), then one request per further round of pages. An organization Fly cannot find gives an
   * `ok: false` entry; members Fly will not show give `members: null` and the reason.
   */
  async reviewOrganizations(slugs: readonly string[], options: CallOptions = {}): Promise<OrgReview[]> {
    interface Progress {
      slug: string;
      organization?: Organization;
      tokens: TokenInfo[];
      tokenCursor: string | null;
      tokensDone: boolean;
      members: string[] | null;
      memberCursor: string | null;
      membersDone: boolean;
      membersError?: FlyError;
      error?: FlyError;
      partial: PartialCollector;
    }
    const progress: Progress[] = [...new Set(slugs)].map((slug) => ({
      slug,
      partial: new PartialCollector(),
      tokens: [],
      tokenCursor: null,
      tokensDone: false,
      members: [],
      memberCursor: null,
      membersDone: false,
    }));
    for (let round = 0; round < MAX_PAGES; round++) {
      const parts: OrgReviewPart[] = [];
      const variables: Record<string, unknown> = {};
      progress.forEach((p, index) => {
        if (p.error) return;
        if (!p.tokensDone) parts.push({ index, what: 'tokens' });
        if (!p.membersDone) parts.push({ index, what: 'members' });
        if (!p.tokensDone || !p.membersDone) variables[`s${index}`] = p.slug;
        if (!p.tokensDone) variables[`tc${index}`] = p.tokenCursor;
        if (!p.membersDone) variables[`mc${index}`] = p.memberCursor;
      });
      if (parts.length === 0) break;
      const res = await this.query(ORG_REVIEW_OPERATION, orgReviewDocument(parts), variables, options);
      throwIfWholeRequestFailed(res);
      for (const part of parts) {
        const p = progress[part.index];
        const alias = orgReviewAlias(part);
        const fault = res.errors.find((e) => e.path?.[0] === alias);
        const value = res.data?.[alias];
        const where = `${alias} (organization "${p.slug}")`;
        if (part.what === 'tokens') {
          p.tokensDone = true;
          if (value === null || value === undefined) {
            p.error = fault ? errorFromGraphQL(fault) : organizationNotFound(p.slug);
            continue;
          }
          try {
            p.organization ??= readOrganization(value, where);
            const connValue = requireRecord(value, where).limitedAccessTokens;
            if ((connValue === null || connValue === undefined) && fault) throw errorFromGraphQL(fault);
            const own = res.errors.filter((e) => e.path?.[0] === alias);
            const conn = readTokenConnection(connValue, `${where}.limitedAccessTokens`, p.partial, own);
            p.partial.addErrors(own.filter((f) => !conn.placed.has(f)));
            p.tokens.push(...conn.tokens);
            if (conn.nextCursor !== null && conn.nextCursor !== p.tokenCursor) {
              p.tokenCursor = conn.nextCursor;
              p.tokensDone = false;
            }
          } catch (err) {
            p.error = err instanceof FlyError ? err : shapeError(where);
          }
        } else {
          p.membersDone = true;
          if (fault || value === null || value === undefined) {
            p.members = null;
            p.membersError = fault ? errorFromGraphQL(fault) : shapeError(`${where}.members`);
            continue;
          }
          try {
            const conn = requireRecord(requireRecord(value, where).members, `${where}.members`);
            const edges = requireArray(conn.edges, `${where}.members.edges`);
            for (const edge of edges) {
              const email = isRecord(edge) && isRecord(edge.node) ? edge.node.email : undefined;
              if (typeof email === 'string') p.members?.push(email);
            }
            const next = nextCursor(conn.pageInfo, `${where}.members.pageInfo`);
            if (next !== null && next !== p.memberCursor) {
              p.memberCursor = next;
              p.membersDone = false;
            }
          } catch (err) {
            p.members = null;
            p.membersError = err instanceof FlyError ? err : shapeError(`${where}.members`);
          }
        }
      }
    }
    await this.readUnknownStates(progress.flatMap((p) => p.tokens), options);
    return progress.map((p): OrgReview => {
      if (p.error || !p.organization) {
        return { slug: p.slug, ok: false, error: p.error ?? shapeError(`organization "${p.slug}" has too many pages`) };
      }
      if (!p.tokensDone) return { slug: p.slug, ok: false, error: shapeError(`organization "${p.slug}" has too many pages`) };
      const warning = p.partial.warning();
      return {
        slug: p.slug,
        ok: true,
        organization: p.organization,
        tokens: p.tokens,
        members: p.membersDone ? p.members : null,
        ...(p.membersError ? { membersError: p.membersError } : {}),
        ...(warning ? { warning } : {}),
      };
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
  // A refusal that points into one app, organization or field is left for the caller to pin on it (isSignedOutEntry).
  if (res.errors.some((entry) => isSignedOutEntry(entry, res.data === null))) throw new UnauthorizedError();
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
  return new NotFoundError(
    `Fly.io has no organization "${scrubSecrets(slug)}" that you can see. Check the slug, or sign in as one of its members.`,
  );
}

function shapeError(where: string): ProtocolError {
  return new ProtocolError(
    `Fly.io sent an answer this extension does not understand (at ${scrubSecrets(where)}). ` +
      'Try again; if it keeps happening, update the extension.',
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

/** The fields of a token Fly could not send, for tokens marked `stateUnknown` (kept off TokenInfo itself). */
const unknownFields = new WeakMap<TokenInfo, string[]>();

/** Whether an error points inside one token of a list: `[alias, "limitedAccessTokens", "nodes", 3, "revokedAt"]`. */
function insideToken(entry: GraphQLErrorEntry): boolean {
  return tokenIndex(entry) !== undefined;
}

function tokenIndex(entry: GraphQLErrorEntry): number | undefined {
  const path = entry.path ?? [];
  const at = path.indexOf('limitedAccessTokens');
  if (at < 0 || path[at + 1] !== 'nodes' || typeof path[at + 2] !== 'number' || path.length < at + 4) return undefined;
  return path[at + 2] as number;
}

/**
 * A page of tokens; a node Fly sent null (or without a field we need) is left out and counted in `partial`. A node
 * that came back with an error inside it (`faults`) is kept with `stateUnknown`: a failed `revokedAt` reads as null,
 * and such a token must never pass for an active one. `placed`: the faults that mark a token.
 */
function readTokenConnection(
  value: unknown,
  where: string,
  partial: PartialCollector,
  faults: readonly GraphQLErrorEntry[] = [],
): { tokens: TokenInfo[]; nextCursor: string | null; placed: Set<GraphQLErrorEntry> } {
  const conn = requireRecord(value, where);
  const tokens: TokenInfo[] = [];
  const placed = new Set<GraphQLErrorEntry>();
  requireArray(conn.nodes, `${where}.nodes`).forEach((node, index) => {
    if (node === null) {
      partial.omit();
      return;
    }
    let token: TokenInfo;
    try {
      token = readToken(node, `${where}.nodes[]`);
    } catch {
      partial.omit();
      return;
    }
    const own = faults.filter((f) => tokenIndex(f) === index);
    if (own.length > 0) {
      token.stateUnknown = true;
      unknownFields.set(token, own.map((f) => String(f.path?.[f.path.length - 1] ?? '')));
      for (const f of own) placed.add(f);
    }
    tokens.push(token);
  });
  return { tokens, nextCursor: nextCursor(conn.pageInfo, `${where}.pageInfo`), placed };
}

/** HTTP 504 to a query: a gateway gave up waiting for Fly, most likely on a request too large to answer in time. */
function isGatewayTimeout(err: unknown): boolean {
  return err instanceof ServerError && err.status === 504;
}

/** What a partial answer left out: counted entries and Fly's reasons. */
class PartialCollector {
  private omitted = 0;
  private readonly reasons = new Set<string>();

  omit(): void {
    this.omitted += 1;
  }

  addErrors(errors: readonly GraphQLErrorEntry[]): void {
    for (const e of errors) this.reasons.add(summarise(e.message));
  }

  warning(): PartialWarning | undefined {
    if (this.omitted === 0 && this.reasons.size === 0) return undefined;
    return { omitted: this.omitted, reasons: [...this.reasons] };
  }
}

/**
 * Fly refused the whole request without running any of it: no data, and errors that name no field (a complexity,
 * depth or size limit), or a message that says so. Such a request may be sent again in smaller parts.
 */
function refusedAsWhole(res: GraphQLResponse): boolean {
  if (res.errors.length === 0 || res.errors.some(isUnauthorizedEntry)) return false;
  if (res.data !== null && Object.values(res.data).some((v) => v !== null)) return false;
  if (REFUSED_STATUSES.has(res.status)) return true;
  return res.errors.every((e) => !e.path || e.path.length === 0) || res.errors.some((e) => LIMIT_MESSAGE.test(e.message));
}

/** graphql-ruby's limit messages ("Query has complexity of 1203, which exceeds max complexity of 1000", depth,
 * "This query is too large to execute.") and the like from proxies. */
const LIMIT_MESSAGE = /complexity|\bdepth\b|too (?:large|big|long|many|complex)|exceeds|max(?:imum)? (?:size|aliases)|aliases/i;

/** The created token when the answer holds its header (with or without errors beside it). */
function mintedToken(res: GraphQLResponse): Omit<CreatedToken, 'warnings'> | undefined {
  const payload = res.data?.createLimitedAccessToken;
  const token = isRecord(payload) ? payload.limitedAccessToken : undefined;
  if (!isRecord(token) || typeof token.tokenHeader !== 'string' || token.tokenHeader.trim() === '') return undefined;
  const text = (key: string): string => {
    const value = token[key];
    return typeof value === 'string' ? value : '';
  };
  return { id: text('id'), name: text('name'), createdAt: text('createdAt'), expiresAt: text('expiresAt'), tokenHeader: token.tokenHeader };
}

function half(size: number): number {
  return Math.max(1, Math.ceil(size / 2));
}

function notRevoked(): GraphQLError {
  return new GraphQLError(['The token is still active: Fly.io did not carry out the revocation. Try again.']);
}

/**
 * The token in a create's answer. A token header means the token exists, whatever errors came with it: the caller
 * gets it, and the errors as warnings. Without one, the first error is the failure; a 200 without errors that we
 * cannot read may still have made one (`mayHaveSucceeded`).
 */
function readCreated(res: GraphQLResponse, appName?: string): CreatedToken {
  const minted = mintedToken(res);
  if (minted) return { ...minted, warnings: res.errors.map((e) => summarise(e.message)) };
  if (res.errors[0]) throw errorFromGraphQL(res.errors[0], { appName });
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
      warnings: [],
    };
  } catch (err) {
    // The server answered 200 without errors: the token most likely exists even though we could not read it.
    if (err instanceof FlyError) err.mayHaveSucceeded = true;
    throw err;
  }
}
