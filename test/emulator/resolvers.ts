// Field resolvers, attached by type and field name so they work on the subset SDL and on Fly's full schema alike.
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { canSeeApp, canSeeOrg, isAppScoped, isMacaroon, roleIn, type Principal } from './auth';
import { paginate, type PageArgs } from './connection';
import { goParseDuration } from './goDuration';
import { timeoutMessage, type EmulatorModes } from './modes';
import { TEAMMATE_EMAIL } from './seed';
import { DEFAULT_TOKEN_LIFETIME_MS, type AppRecord, type OrgRecord, type TokenRecord, type UserRecord, type World } from './world';

export interface RequestContext {
  world: World;
  principal: Principal | null;
  pageSize: number;
  now: number;
  /** tokens minted by this request: only these show their tokenHeader */
  revealed: Set<TokenRecord>;
  modes: EmulatorModes;
}

type Args = Record<string, unknown>;
type Resolver = (source: never, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) => unknown;
export type ResolverMap = Record<string, Record<string, Resolver>>;

/** The Macaroon principal: a limited token acting for the user who created it. */
interface MacaroonView {
  macaroonOf: TokenRecord;
  user: UserRecord;
}

export const NOT_AUTHENTICATED = 'You must be authenticated to view this.';
export const APP_NOT_FOUND = 'Could not find App';
export const ORG_NOT_FOUND = 'Could not find Organization';
export const TOKEN_NOT_FOUND = 'Could not find LimitedAccessToken';
export const NOT_AUTHORIZED = 'Not authorized to manage tokens of this organization';
// flynthetics_read: flyctl's agent mints it (internal/metrics/synthetics/token.go, flyctl ad0172f).
export const KNOWN_PROFILES = new Set(['deploy', 'deploy_organization', 'litefs_cloud', 'identity', 'registry_token', 'flynthetics_read']);
/** A field refused to a caller Fly does accept (flyctl's test/preflight/testlib/test_env.go, d27117e67, retries on "Not authorized"). */
export const NOT_AUTHORIZED_FIELD = 'Not authorized to access this field';

/** RFC 3339 without fractional seconds, as Fly's ISO8601DateTime renders. */
export function iso(d: Date | null): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

function who(ctx: RequestContext): Principal {
  if (!ctx.principal) throw new Error(NOT_AUTHENTICATED);
  return ctx.principal;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function page(args: Args): PageArgs {
  return args;
}

function findApp(ctx: RequestContext, args: Args): AppRecord {
  const p = who(ctx);
  const w = ctx.world;
  const name = str(args.name) ?? str(args.key);
  const app =
    name !== null
      ? w.app(name)
      : str(args.internalId) !== null
        ? w.apps().find((a) => a.internalId === args.internalId)
        : str(args.id) !== null
          ? w.appById(args.id as string)
          : undefined;
  if (!app) throw new Error(APP_NOT_FOUND);
  if (!canSeeApp(p, app) || ctx.modes.forbidden.apps.includes(app.name)) throw refusal(ctx, 'App');
  return app;
}

/**
 * An app or organization that exists but that the caller may not see: a field-level refusal with a path (graphql-js
 * adds it) and the code flyctl's tests see, or "Could not find …" in the 'notFound' mode. Both are guesses (README).
 */
function refusal(ctx: RequestContext, model: 'App' | 'Organization'): Error {
  if (ctx.modes.refusals === 'notFound') return new Error(model === 'App' ? APP_NOT_FOUND : ORG_NOT_FOUND);
  return new GraphQLError(`Not authorized to access this ${model}`, { extensions: { code: 'UNAUTHORIZED' } });
}

function findOrg(ctx: RequestContext, args: Args): OrgRecord {
  const p = who(ctx);
  const w = ctx.world;
  const org =
    str(args.slug) !== null
      ? w.org(args.slug as string)
      : str(args.id) !== null
        ? w.orgById(args.id as string)
        : str(args.name) !== null
          ? w.orgs().find((o) => o.name === args.name)
          : undefined;
  if (!org) throw new Error(ORG_NOT_FOUND);
  if (!canSeeOrg(p, org) || ctx.modes.forbidden.orgs.includes(org.slug)) throw refusal(ctx, 'Organization');
  return org;
}

function visibleApps(p: Principal, w: World, orgId: string | null): AppRecord[] {
  if (orgId !== null) {
    const org = w.orgById(orgId);
    return org && canSeeOrg(p, org) ? org.apps.filter((a) => canSeeApp(p, a)) : [];
  }
  return w.orgs().filter((o) => canSeeOrg(p, o)).flatMap((o) => o.apps.filter((a) => canSeeApp(p, a)));
}

function createToken(ctx: RequestContext, input: Args): TokenRecord {
  const p = who(ctx);
  const w = ctx.world;
  const org = w.orgById(String(input.organizationId ?? ''));
  if (!org || !canSeeOrg(p, org)) throw new Error(ORG_NOT_FOUND);
  const profile = String(input.profile);
  if (!KNOWN_PROFILES.has(profile)) throw new Error(`Unknown token profile "${profile}"`);
  const params = input.profileParams;
  const profileParams = params && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : params === null || params === undefined ? null : undefined;
  if (profileParams === undefined) throw new Error('profileParams must be a JSON object');
  let app: AppRecord | null = null;
  if (profile === 'deploy') {
    const appId = profileParams?.app_id;
    const found = typeof appId === 'string' ? w.appById(appId) : undefined;
    if (!found || found.org !== org || !canSeeApp(p, found)) throw new Error(APP_NOT_FOUND);
    app = found;
  }
  // A deploy token may mint deploy tokens for its own app only; it cannot widen its own reach.
  if (isAppScoped(p) && (profile !== 'deploy' || app === null || p.kind !== 'macaroon' || p.token.app !== app.name)) {
    throw new Error(NOT_AUTHORIZED);
  }
  const expiry = input.expiry;
  let lifetimeMs = DEFAULT_TOKEN_LIFETIME_MS;
  if (expiry !== null && expiry !== undefined && expiry !== '') {
    const parsed = goParseDuration(String(expiry));
    if (!parsed.ok) throw new Error(`Invalid expiry: ${parsed.error}`);
    const ns = parsed.ns;
    if (ns <= 0n) throw new Error(`Invalid expiry: ${JSON.stringify(String(expiry))} must be a positive duration`);
    lifetimeMs = Number(ns / 1_000_000n);
  }
  const createdAt = new Date(ctx.now);
  const token = w.mintToken({
    name: String(input.name),
    profile,
    profileParams,
    createdAt,
    expiresAt: new Date(Math.min(ctx.now + lifetimeMs, 8.64e15)),
    user: p.user.email,
    org: org.slug,
    app: app ? app.name : null,
  });
  ctx.revealed.add(token);
  return token;
}

function deleteToken(ctx: RequestContext, input: Args): TokenRecord {
  const p = who(ctx);
  const w = ctx.world;
  const token =
    str(input.id) !== null ? w.tokenById(input.id as string) : str(input.token) !== null ? w.tokenByRoot(input.token as string) : undefined;
  const org = token ? w.org(token.org) : undefined;
  if (!token || !org || !canSeeOrg(p, org)) throw new Error(TOKEN_NOT_FOUND);
  if (isAppScoped(p) && (p.kind !== 'macaroon' || token.app !== p.token.app)) throw new Error(TOKEN_NOT_FOUND);
  // Revoking twice succeeds and keeps the first revocation, as the real service does (flyctl issue #3667).
  w.revoke(token, str(input.revokedBy) ?? p.user.email, new Date(ctx.now));
  return token;
}

/**
 * LogOut (`fly auth logout`, `fly tokens revoke supplied`): ends every credential the request carried — a user's
 * auth token stops working (their session ends), each macaroon's token is revoked. Revoked by: the creator's email
 * (a guess: the holder is acting as its creator, as `viewer` says).
 */
function logOut(ctx: RequestContext): boolean {
  const p = who(ctx);
  const w = ctx.world;
  if (w.refuseLogOut) return false;
  if (ctx.modes.logOutKeepsToken) return true;
  for (const part of p.parts ?? []) {
    if (isMacaroon(part)) {
      const token = w.tokenByPart(part);
      if (token) w.revoke(token, token.user, new Date(ctx.now));
    } else {
      const user = w.userByToken(part);
      if (user) w.endSession(user.email);
    }
  }
  return true;
}

/** An organization's members as Fly's OrganizationMembershipsConnection: edges carry the role and join date. */
function members(o: OrgRecord, args: Args, ctx: RequestContext): unknown {
  // Tokens (macaroons) may not read who is a member: a guess (README, decisions) that gives clients the refusal to handle.
  if (who(ctx).kind === 'macaroon') throw new Error(NOT_AUTHORIZED);
  const users = [...o.members.keys()].map((email) => ctx.world.user(email)).filter((u): u is UserRecord => !!u);
  const conn = paginate(users, page(args), ctx.pageSize);
  return {
    ...conn,
    edges: conn.edges.map((e) => ({
      ...e,
      role: o.members.get(e.node.email) === 'admin' ? 'ADMIN' : 'MEMBER',
      joinedAt: iso(e.node.createdAt),
      alertsEnabled: 'NOT_ENABLED',
    })),
  };
}

const emptyConnection = () => paginate([], {}, 25);

function avatar(user: UserRecord): string {
  return `https://avatars.emulator.invalid/${user.id}.png`;
}

export const resolvers: ResolverMap = {
  Queries: {
    app: (_s, args, ctx) => findApp(ctx, args),
    apps: (_s, args, ctx) => {
      if (ctx.modes.macaroonApps === 'refused' && who(ctx).kind === 'macaroon') {
        throw new GraphQLError(NOT_AUTHORIZED_FIELD, { extensions: { code: 'UNAUTHORIZED' } });
      }
      return paginate(visibleApps(who(ctx), ctx.world, str(args.organizationId)), page(args), ctx.pageSize);
    },
    // Relay's node look-up; only tokens are served (the extension reads tokens back by id after a lost revoke answer).
    // Whether Fly resolves LimitedAccessToken ids here is a guess (README, decisions).
    nodes: (_s, args, ctx) => {
      const p = who(ctx);
      const ids = Array.isArray(args.ids) ? (args.ids as unknown[]) : [];
      return ids.map((id) => {
        const token = typeof id === 'string' ? ctx.world.tokenById(id) : undefined;
        const org = token ? ctx.world.org(token.org) : undefined;
        if (!token || !org || !canSeeOrg(p, org)) return null;
        if (isAppScoped(p) && (p.kind !== 'macaroon' || token.app !== p.token.app)) return null;
        return token;
      });
    },
    organization: (_s, args, ctx) => findOrg(ctx, args),
    organizations: (_s, args, ctx) => {
      const p = who(ctx);
      const orgs = ctx.world
        .orgs()
        .filter((o) => canSeeOrg(p, o))
        .filter((o) => args.admin !== true || roleIn(p, o) === 'admin')
        .filter((o) => args.type === undefined || args.type === null || o.type === args.type);
      return paginate(orgs, page(args), ctx.pageSize);
    },
    personalOrganization: (_s, _a, ctx) => {
      const p = who(ctx);
      const org = ctx.world.orgs().find((o) => o.type === 'PERSONAL' && canSeeOrg(p, o) && roleIn(p, o) === 'admin');
      if (!org) throw new Error(ORG_NOT_FOUND);
      return org;
    },
    viewer: (_s, _a, ctx): UserRecord | MacaroonView => {
      const p = who(ctx);
      return p.kind === 'user' ? p.user : { macaroonOf: p.token, user: p.user };
    },
  },
  Mutations: {
    createLimitedAccessToken: (_s, args, ctx) => {
      const input = args.input as Args;
      return { clientMutationId: input.clientMutationId ?? null, limitedAccessToken: createToken(ctx, input) };
    },
    deleteLimitedAccessToken: (_s, args, ctx) => {
      const input = args.input as Args;
      const token = deleteToken(ctx, input);
      return { clientMutationId: input.clientMutationId ?? null, revokedBy: token.revokedBy, token: token.root };
    },
    logOut: (_s, args, ctx) => ({ clientMutationId: (args.input as Args | undefined)?.clientMutationId ?? null, ok: logOut(ctx) }),
  },
  App: {
    appUrl: (a: AppRecord) => `https://${a.name}.fly.dev`,
    cnameTarget: (a: AppRecord) => `${a.name}.fly.dev`,
    createdAt: (a: AppRecord) => iso(a.createdAt),
    deployed: () => true,
    hostIssues: () => emptyConnection(),
    hostname: (a: AppRecord) => `${a.name}.fly.dev`,
    id: (a: AppRecord) => a.id,
    internalId: (a: AppRecord) => a.internalId,
    internalNumericId: (a: AppRecord) => a.internalNumericId,
    key: (a: AppRecord) => a.name,
    limitedAccessTokens: (a: AppRecord, args, ctx) => paginate(a.tokens, page(args), ctx.pageSize),
    name: (a: AppRecord) => a.name,
    network: () => 'default',
    organization: (a: AppRecord) => a.org,
    platformVersion: () => 'machines',
    role: () => null,
    state: () => 'DEPLOYED',
    status: () => 'deployed',
  },
  Organization: {
    apps: (o: OrgRecord, args, ctx) => paginate(o.apps.filter((a) => canSeeApp(who(ctx), a)), page(args), ctx.pageSize),
    billable: () => true,
    id: (o: OrgRecord) => o.id,
    internalNumericId: (o: OrgRecord) => String(o.internalNumericId),
    limitedAccessTokens: (o: OrgRecord, args, ctx) => {
      if (isAppScoped(who(ctx))) throw new Error(NOT_AUTHORIZED);
      return paginate(o.tokens, page(args), ctx.pageSize);
    },
    name: (o: OrgRecord, _a, ctx) => {
      if (ctx.modes.partialErrors.includes('orgName') && o.slug === 'acme') throw new Error('Could not load the organization name');
      return o.name;
    },
    paidPlan: (o: OrgRecord) => o.paidPlan,
    rawSlug: (o: OrgRecord) => o.rawSlug,
    slug: (o: OrgRecord) => o.slug,
    type: (o: OrgRecord) => o.type,
    viewerRole: (o: OrgRecord, _a, ctx) => roleIn(who(ctx), o),
    members: (o: OrgRecord, args, ctx) => members(o, args, ctx),
  },
  LimitedAccessToken: {
    createdAt: (t: TokenRecord) => iso(t.createdAt),
    expiresAt: (t: TokenRecord) => iso(t.expiresAt),
    id: (t: TokenRecord) => t.id,
    name: (t: TokenRecord) => t.name,
    organization: (t: TokenRecord, _a, ctx) => ctx.world.org(t.org),
    profile: (t: TokenRecord) => t.profile,
    profileParams: (t: TokenRecord, _a, ctx) =>
      ctx.modes.profileParamsAsText && t.profileParams !== null ? JSON.stringify(t.profileParams) : t.profileParams,
    revokedAt: (t: TokenRecord, _a, ctx, info) => {
      const timeout = ctx.modes.revokedAtTimeout;
      if (timeout && timeout.token === t.name && (timeout.everywhere || inTokenList(info))) {
        throw new Error(timeoutMessage('LimitedAccessToken', 'revokedAt'));
      }
      return iso(t.revokedAt);
    },
    revokedBy: (t: TokenRecord) => t.revokedBy,
    token: (t: TokenRecord) => t.root,
    // The secret is shown once, in the answer to the mutation that minted it; listings give null.
    tokenHeader: (t: TokenRecord, _a, ctx) => (ctx.revealed.has(t) ? t.header : null),
    user: (t: TokenRecord, _a, ctx) => {
      if (ctx.modes.partialErrors.includes('tokenUser') && t.user === TEAMMATE_EMAIL) throw new Error('Could not load the user who created this token');
      return ctx.world.user(t.user);
    },
  },
  User: {
    avatarUrl: (u: UserRecord) => avatar(u),
    createdAt: (u: UserRecord) => iso(u.createdAt),
    email: (u: UserRecord) => u.email,
    enablePaidHobby: () => false,
    id: (u: UserRecord) => u.id,
    name: (u: UserRecord) => u.name,
    username: () => null,
  },
  Macaroon: {
    avatarUrl: (m: MacaroonView) => avatar(m.user),
    email: (m: MacaroonView) => m.user.email,
    id: () => null,
    name: (m: MacaroonView) => m.user.name,
  },
};

/** Whether a field is being resolved inside a `limitedAccessTokens` list (not `nodes(ids:)`). */
function inTokenList(info: GraphQLResolveInfo): boolean {
  for (let at: GraphQLResolveInfo['path'] | undefined = info.path; at; at = at.prev) if (at.key === 'limitedAccessTokens') return true;
  return false;
}

export function principalTypeName(value: unknown): 'User' | 'Macaroon' {
  return value !== null && typeof value === 'object' && 'macaroonOf' in value ? 'Macaroon' : 'User';
}

/** The Node type of a record served through `Queries.nodes` (tokens only). */
export function nodeTypeName(value: unknown): 'LimitedAccessToken' | undefined {
  return value !== null && typeof value === 'object' && 'root' in value && 'profile' in value ? 'LimitedAccessToken' : undefined;
}
