// The emulator's in-memory Fly account data: users, organizations, apps and limited access tokens.
// Lists are kept per app and per organization in creation order, so a page is a slice, never a scan of all tokens.
import { randomBytes } from 'node:crypto';
import {
  Action,
  Location,
  addThirdParty,
  caveatsOfType,
  formatMacaroonPart,
  mintDischarge,
  mintMacaroon,
  parseMacaroonPart,
  type Caveat,
} from '../../src/fly/macaroon';
import { macaroonRoot, opaqueId, userAuthToken } from './ids';

export type OrgRole = 'admin' | 'member';

export interface UserRecord {
  id: string;
  internalNumericId: number;
  email: string;
  name: string;
  token: string;
  createdAt: Date;
}

export interface OrgRecord {
  id: string;
  internalNumericId: number;
  slug: string;
  rawSlug: string;
  name: string;
  type: 'PERSONAL' | 'SHARED';
  paidPlan: boolean;
  members: Map<string, OrgRole>;
  apps: AppRecord[];
  /** every token of the organization, app tokens included */
  tokens: TokenRecord[];
}

export interface AppRecord {
  id: string;
  internalId: string;
  internalNumericId: number;
  name: string;
  org: OrgRecord;
  createdAt: Date;
  tokens: TokenRecord[];
}

/** A limited access token as tests see it (`tokens()`, `GET /__emulator/tokens`): plain, JSON-serialisable. */
export interface TokenRecord {
  id: string;
  name: string;
  profile: string;
  profileParams: Record<string, unknown> | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** creator's email */
  user: string;
  /** organization slug */
  org: string;
  /** app name for app-scoped (deploy) tokens */
  app: string | null;
  /** the secret: `FlyV1 fm2_…,fm2_…` */
  header: string;
  /** LimitedAccessToken.token: identifies the macaroon's root; not a credential */
  root: string;
}

export interface AddTokenInput {
  app?: string;
  org?: string;
  name: string;
  user?: string;
  createdAt?: Date;
  expiresAt?: Date;
  revokedAt?: Date | null;
  revokedBy?: string | null;
  profile?: string;
  profileParams?: Record<string, unknown> | null;
}

/** Fly's default token lifetime (flyctl's `--expiry` default, 175200h). */
export const DEFAULT_TOKEN_LIFETIME_MS = 175_200 * 3_600_000;

export class World {
  private readonly usersByEmail = new Map<string, UserRecord>();
  private readonly usersByToken = new Map<string, UserRecord>();
  private readonly orgsBySlug = new Map<string, OrgRecord>();
  private readonly orgsById = new Map<string, OrgRecord>();
  private readonly appsByName = new Map<string, AppRecord>();
  private readonly appsById = new Map<string, AppRecord>();
  private readonly tokensById = new Map<string, TokenRecord>();
  private readonly tokensByRoot = new Map<string, TokenRecord>();
  /** each token's macaroon key id (hex) → its token and the key that signed it; nothing else is kept of a header */
  private readonly tokensByKid = new Map<string, { token: TokenRecord; key: Uint8Array }>();
  /** the key Fly's authentication service opens third-party tickets with (location `https://api.fly.io/aaa/v1`) */
  readonly authenticationKey = new Uint8Array(randomBytes(32));
  private readonly allTokens: TokenRecord[] = [];
  private readonly minted: string[] = [];
  private seq = 0;
  /** LogOut answers `ok: false` and ends nothing (flyctl's "the API did not accept the revocation"; when Fly says so is unknown) */
  refuseLogOut = false;

  addUser(input: { email: string; token?: string; name?: string }): { email: string; token: string } {
    if (this.usersByEmail.has(input.email)) throw new Error(`user ${input.email} exists`);
    const n = ++this.seq;
    const user: UserRecord = {
      id: opaqueId('user', n),
      internalNumericId: 1000 + n,
      email: input.email,
      name: input.name ?? input.email.split('@')[0],
      token: input.token ?? userAuthToken(),
      createdAt: new Date(Date.UTC(2023, 0, 1) + n * 86_400_000),
    };
    this.usersByEmail.set(user.email, user);
    this.usersByToken.set(user.token, user);
    return { email: user.email, token: user.token };
  }

  addOrg(input: { slug: string; name: string; members: string[]; type?: 'PERSONAL' | 'SHARED'; paidPlan?: boolean; admins?: string[] }): { id: string; slug: string } {
    if (this.orgsBySlug.has(input.slug)) throw new Error(`organization ${input.slug} exists`);
    const n = ++this.seq;
    const type = input.type ?? (input.slug === 'personal' ? 'PERSONAL' : 'SHARED');
    const members = new Map<string, OrgRole>();
    // Without an explicit admin list the first member is the admin, as the creator of an org is.
    const admins = input.admins ?? input.members.slice(0, 1);
    for (const email of input.members) {
      this.requireUser(email);
      members.set(email, admins.includes(email) ? 'admin' : 'member');
    }
    const org: OrgRecord = {
      id: opaqueId('org', n, 20),
      internalNumericId: 50_000 + n,
      slug: input.slug,
      rawSlug: type === 'PERSONAL' ? slugify(input.name) : input.slug,
      name: input.name,
      type,
      paidPlan: input.paidPlan ?? type === 'SHARED',
      members,
      apps: [],
      tokens: [],
    };
    this.orgsBySlug.set(org.slug, org);
    this.orgsById.set(org.id, org);
    return { id: org.id, slug: org.slug };
  }

  addApp(input: { name: string; org: string }): { id: string; name: string } {
    if (this.appsByName.has(input.name)) throw new Error(`app ${input.name} exists`);
    const org = this.requireOrg(input.org);
    const n = ++this.seq;
    const app: AppRecord = {
      id: opaqueId('app', n, 20),
      internalId: opaqueId('app-internal', n, 12),
      internalNumericId: 200_000 + n,
      name: input.name,
      org,
      createdAt: new Date(Date.UTC(2024, 0, 1) + n * 86_400_000),
      tokens: [],
    };
    org.apps.push(app);
    this.appsByName.set(app.name, app);
    this.appsById.set(app.id, app);
    return { id: app.id, name: app.name };
  }

  addToken(input: AddTokenInput): { id: string; header: string } {
    const app = input.app !== undefined ? this.requireApp(input.app) : null;
    const org = app ? app.org : this.requireOrg(input.org ?? '');
    const user = input.user !== undefined ? this.requireUser(input.user) : this.firstAdmin(org);
    const createdAt = input.createdAt ?? new Date();
    const token = this.insertToken({
      name: input.name,
      profile: input.profile ?? (app ? 'deploy' : 'deploy_organization'),
      profileParams: input.profileParams !== undefined ? input.profileParams : app ? { app_id: app.id } : {},
      createdAt,
      expiresAt: input.expiresAt ?? new Date(createdAt.getTime() + DEFAULT_TOKEN_LIFETIME_MS),
      revokedAt: input.revokedAt ?? null,
      revokedBy: input.revokedBy ?? (input.revokedAt ? user.email : null),
      user: user.email,
      org: org.slug,
      app: app ? app.name : null,
    });
    return { id: token.id, header: token.header };
  }

  /**
   * A credential as flyctl's config keeps it: for each organization a macaroon with its discharge (flyctl's own
   * 10-minute "flyctl" org token, internal/config/tokens.go), then the user token. Organizations in `expired` get
   * one that expired a minute ago.
   */
  bundle(email: string, orgs: { live?: string[]; expired?: string[] }, now = Date.now()): string {
    const user = this.requireUser(email);
    const headers = [
      ...(orgs.expired ?? []).map((slug) => ({ slug, createdAt: now - 11 * 60_000, expiresAt: now - 60_000 })),
      ...(orgs.live ?? []).map((slug) => ({ slug, createdAt: now - 60_000, expiresAt: now + 9 * 60_000 })),
    ].map(({ slug, createdAt, expiresAt }) =>
      this.addToken({ org: slug, name: 'flyctl', user: email, createdAt: new Date(createdAt), expiresAt: new Date(expiresAt) }).header,
    );
    return `FlyV1 ${[...headers.map((h) => h.replace(/^FlyV1 /, '')), user.token].join(',')}`;
  }

  /**
   * A credential as flyctl's config keeps it after its macaroon expired: `FlyV1 <expired macaroon + discharge>,<user
   * token>`. The macaroon is an org token of the user's first organization that expired a minute ago.
   */
  expiredBundle(email: string, now = Date.now()): string {
    const org = this.orgs().find((o) => o.members.has(email));
    if (!org) throw new Error(`${email} is in no organization`);
    return this.bundle(email, { expired: [org.slug] }, now);
  }

  /** All tokens in creation order (test-only view, headers included). */
  tokens(): TokenRecord[] {
    return this.allTokens.slice();
  }

  /** Headers of tokens minted through createLimitedAccessToken, in order. */
  mintedHeaders(): string[] {
    return this.minted.slice();
  }

  /** Called by the GraphQL mutation; records the header for `mintedHeaders()`. */
  mintToken(input: Omit<TokenRecord, 'id' | 'header' | 'root' | 'revokedAt' | 'revokedBy'>): TokenRecord {
    const token = this.insertToken({ ...input, revokedAt: null, revokedBy: null });
    this.minted.push(token.header);
    return token;
  }

  revoke(token: TokenRecord, by: string, at = new Date()): void {
    if (token.revokedAt) return;
    token.revokedAt = at;
    token.revokedBy = by;
  }

  user(email: string): UserRecord | undefined {
    return this.usersByEmail.get(email);
  }
  userByToken(token: string): UserRecord | undefined {
    return this.usersByToken.get(token);
  }
  users(): UserRecord[] {
    return [...this.usersByEmail.values()];
  }
  org(slug: string): OrgRecord | undefined {
    return this.orgsBySlug.get(slug);
  }
  orgById(id: string): OrgRecord | undefined {
    return this.orgsById.get(id);
  }
  orgs(): OrgRecord[] {
    return [...this.orgsBySlug.values()];
  }
  app(name: string): AppRecord | undefined {
    return this.appsByName.get(name);
  }
  appById(id: string): AppRecord | undefined {
    return this.appsById.get(id);
  }
  apps(): AppRecord[] {
    return [...this.appsByName.values()];
  }
  tokenById(id: string): TokenRecord | undefined {
    return this.tokensById.get(id);
  }
  tokenByRoot(root: string): TokenRecord | undefined {
    return this.tokensByRoot.get(root);
  }
  /** The token a macaroon part belongs to, by its key id; undefined when the part is not one of ours or unreadable. */
  tokenByPart(part: string): TokenRecord | undefined {
    return this.signerOf(part)?.token;
  }

  /** The token and signing key for a macaroon part's key id (what Fly's verifier looks up). */
  signerOf(part: string): { token: TokenRecord; key: Uint8Array } | undefined {
    try {
      return this.tokensByKid.get(Buffer.from(parseMacaroonPart(part).nonce.kid).toString('hex'));
    } catch {
      return undefined;
    }
  }

  private insertToken(fields: Omit<TokenRecord, 'id' | 'header' | 'root'>): TokenRecord {
    const n = ++this.seq;
    const root = macaroonRoot();
    const token: TokenRecord = { id: opaqueId('token', n), ...fields, header: '', root };
    const org = this.requireOrg(token.org);
    const app = token.app ? this.requireApp(token.app) : null;
    const key = new Uint8Array(randomBytes(32));
    const kid = new Uint8Array(Buffer.from(root, 'hex'));
    token.header = this.mintHeader(kid, key, org, app, token);
    org.tokens.push(token);
    if (app) app.tokens.push(token);
    this.allTokens.push(token);
    this.tokensById.set(token.id, token);
    this.tokensByRoot.set(token.root, token);
    this.tokensByKid.set(root, { token, key });
    return token;
  }

  /**
   * `FlyV1 <permission macaroon>,<discharge>`: the permission macaroon (location https://api.fly.io/v1) limited to
   * the organization, to the app for a deploy token, and to the token's lifetime, with a third-party caveat for
   * Fly's authentication service that the discharge satisfies (flyctl `tokens create ssh` reads a deploy token as
   * one permission token plus discharges: internal/command/tokens/create.go). Which caveats Fly writes, and in
   * which order, is our guess (README).
   */
  private mintHeader(kid: Uint8Array, key: Uint8Array, org: OrgRecord, app: AppRecord | null, t: TokenRecord): string {
    const window: Caveat = {
      type: 'ValidityWindow',
      notBefore: Math.floor(t.createdAt.getTime() / 1000),
      notAfter: Math.floor(t.expiresAt.getTime() / 1000),
    };
    const caveats: Caveat[] = [
      { type: 'Organization', id: org.internalNumericId, mask: Action.All },
      ...(app ? [{ type: 'Apps', apps: new Map([[app.internalNumericId, Action.All]]) } satisfies Caveat] : []),
      window,
    ];
    const confine: Caveat = { type: 'ConfineOrganization', id: org.internalNumericId };
    const root = mintMacaroon(kid, Location.Permission, key, caveats);
    const permission = addThirdParty(root, this.authenticationKey, Location.Authentication, [confine]);
    const ticket = caveatsOfType(permission.caveats, 'ThirdParty')[0]?.ticket ?? null;
    const discharge = ticket && mintDischarge(ticket, this.authenticationKey, Location.Authentication, [window]);
    if (!discharge) throw new Error('the emulator could not discharge its own ticket');
    return `FlyV1 ${formatMacaroonPart(permission)},${formatMacaroonPart(discharge)}`;
  }

  // Memberships change: people join and leave; their tokens stay (a departed member's tokens keep working).

  addMember(slug: string, email: string, role: OrgRole = 'member'): void {
    this.requireUser(email);
    this.requireOrg(slug).members.set(email, role);
  }

  removeMember(slug: string, email: string): void {
    const org = this.requireOrg(slug);
    if (!org.members.delete(email)) throw new Error(`${email} is not a member of ${slug}`);
  }

  /**
   * Ends a user's session (LogOut with their auth token): the token stops working everywhere. A later sign-in
   * gets a new one, as a new `fly auth login` would.
   */
  endSession(email: string): void {
    const user = this.requireUser(email);
    this.usersByToken.delete(user.token);
    user.token = userAuthToken();
    this.usersByToken.set(user.token, user);
  }

  private requireUser(email: string): UserRecord {
    const user = this.usersByEmail.get(email);
    if (!user) throw new Error(`no user ${email}`);
    return user;
  }
  private requireOrg(slug: string): OrgRecord {
    const org = this.orgsBySlug.get(slug);
    if (!org) throw new Error(`no organization ${slug}`);
    return org;
  }
  private requireApp(name: string): AppRecord {
    const app = this.appsByName.get(name);
    if (!app) throw new Error(`no app ${name}`);
    return app;
  }
  private firstAdmin(org: OrgRecord): UserRecord {
    for (const [email, role] of org.members) if (role === 'admin') return this.requireUser(email);
    throw new Error(`organization ${org.slug} has no admin to own the token`);
  }
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
