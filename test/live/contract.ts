// The maintainers' contract test against the real Fly.io API (`npm run test:live`), through our own FlyClient.
// It creates one deploy token (1 hour) and always revokes what it created. What it saw is written out so the
// emulator's beliefs (test/emulator/README.md, "Facts and guesses") can be compared with reality.
import { BatchMemory, FlyClient } from '../../src/fly/client';
import { FlyError } from '../../src/fly/errors';
import { authorizationHeader } from '../../src/fly/authHeader';
import { TOKENS_BY_ID_DOCUMENT } from '../../src/fly/documents';
import { classifyToken, profileParamsOf, tokenAppId } from '../../src/fly/tokenKinds';
import type { AppRef, TokenInfo } from '../../src/fly/types';
import { isSafeApiUrl } from '../../src/http/loopback';
import { scrubSecrets } from '../../src/http/redact';
import { userAgent } from '../../src/http/userAgent';

export const TOKEN_NAME_PREFIX = 'fly-deploy-tokens-live-';
const DEFAULT_BASE_URL = 'https://api.fly.io';

export interface LiveOptions {
  env: NodeJS.ProcessEnv;
  /** progress, one short line per step; never carries a token */
  say?: (line: string) => void;
  /** called after each step by name (tests use it to break the API at a given point) */
  onStep?: (step: string) => void | Promise<void>;
  now?: () => Date;
}

export type LiveResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'passed'; observations: Observations }
  | { kind: 'failed'; failure: string; observations: Observations };

interface FieldShape {
  type: string;
  format?: string;
}

export interface Observations {
  startedAt: string;
  baseUrl: string;
  viewer?: { kind: string; hasId: boolean };
  tokenFields?: Record<string, FieldShape[]>;
  profiles?: Record<string, number>;
  profileParams?: { type: string; keys: string[]; appIdType?: string }[];
  pages?: { list: string; tokens: number; requests: number }[];
  created?: { name: string; id: string; tokenHeaderPrefix: string; expiresInMinutes: number; warnings: string[] };
  listedAfterCreate?: boolean;
  revokedOutcome?: string;
  revokedAtFormat?: string;
  cleanup?: string;
  /** the organization's tokens flyctl and its agent mint for themselves, as listed (names, profiles, lifetimes; no secret) */
  housekeeping?: { name: string; profile: string; lifetimeMinutes: number; state: 'active' | 'expired' | 'revoked'; classifiedHousekeeping: boolean }[];
  /** two tokens revoked in one call: how many requests it took and what came back */
  batchedRevoke?: { tokens: number; requests: number; outcomes: string[] };
  /** `nodes(ids:)` with the ids of the tokens it made */
  nodes?: { accepted: boolean; asked: number; resolved: number; revoked: number; errors: string[] };
  /** a token it just made, pasted as a leak: what the probe said, LogOut, and whether Fly refuses it afterwards */
  leak?: { probe: string; apps: string; logOut: string; refusedAfter: 'refused' | 'accepted' | string };
  errors: { what: string; status?: number | null; kind?: string; message?: string; shape?: unknown }[];
  steps: string[];
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function shapeOf(value: unknown): FieldShape {
  if (value === null) return { type: 'null' };
  if (typeof value === 'string') {
    if (RFC3339.test(value)) return { type: 'string', format: value.endsWith('Z') ? (value.includes('.') ? 'rfc3339-fraction-Z' : 'rfc3339-Z') : 'rfc3339-offset' };
    return { type: 'string' };
  }
  if (Array.isArray(value)) return { type: 'array' };
  return { type: typeof value };
}

function addShape(into: Record<string, FieldShape[]>, token: TokenInfo): void {
  for (const [key, value] of Object.entries(token)) {
    const shape = shapeOf(value);
    const list = (into[key] ??= []);
    if (!list.some((s) => s.type === shape.type && s.format === shape.format)) list.push(shape);
  }
}

export async function runLive(options: LiveOptions): Promise<LiveResult> {
  const { env } = options;
  const say = options.say ?? (() => undefined);
  const token = env.FLY_LIVE_TOKEN?.trim();
  const appName = env.FLY_LIVE_APP?.trim();
  if (!token || !appName) {
    const missing = [!token && 'FLY_LIVE_TOKEN', !appName && 'FLY_LIVE_APP'].filter(Boolean).join(' and ');
    return { kind: 'skipped', reason: `${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set` };
  }
  const baseUrl = (env.FLY_API_BASE_URL?.trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return { kind: 'failed', failure: `FLY_API_BASE_URL is not a URL`, observations: { startedAt: new Date().toISOString(), baseUrl, errors: [], steps: [] } };
  }
  const now = options.now ?? (() => new Date());
  const obs: Observations = { startedAt: now().toISOString(), baseUrl: parsed.origin, errors: [], steps: [] };
  if (!isSafeApiUrl(parsed)) return { kind: 'failed', failure: 'FLY_API_BASE_URL must be https (plain http only to a loopback address)', observations: obs };

  const requests: string[] = [];
  const client = new FlyClient({
    baseUrl,
    getToken: () => token,
    userAgent: `${userAgent()} live-check`,
    batchMemory: new BatchMemory(),
    onRequest: (e) => requests.push(e.operation),
  });
  const step = async (name: string): Promise<void> => {
    obs.steps.push(name);
    say(`ok ${name}`);
    await options.onStep?.(name);
  };
  const clean = (text: string): string => scrubSecrets(text, [token]);
  const record = (what: string, err: unknown): void => {
    if (err instanceof FlyError) obs.errors.push({ what, kind: err.kind, message: clean(err.message) });
    else obs.errors.push({ what, message: clean(err instanceof Error ? err.message : String(err)) });
  };
  const counted = async <T>(list: string, run: () => Promise<T>, size: (t: T) => number): Promise<T> => {
    const before = requests.length;
    const result = await run();
    (obs.pages ??= []).push({ list, tokens: size(result), requests: requests.length - before });
    return result;
  };
  const observeTokens = (tokens: readonly TokenInfo[]): void => {
    obs.tokenFields ??= {};
    obs.profiles ??= {};
    obs.profileParams ??= [];
    for (const t of tokens) {
      addShape(obs.tokenFields, t);
      obs.profiles[t.profile] = (obs.profiles[t.profile] ?? 0) + 1;
      const params = profileParamsOf(t.profileParams);
      const entry = {
        type: t.profileParams === null ? 'null' : Array.isArray(t.profileParams) ? 'array' : typeof t.profileParams,
        keys: Object.keys(params).sort(),
        ...(params.app_id !== undefined ? { appIdType: typeof params.app_id } : {}),
      };
      if (!obs.profileParams.some((p) => JSON.stringify(p) === JSON.stringify(entry))) obs.profileParams.push(entry);
    }
  };

  const made: { id: string; revoked: boolean }[] = [];
  try {
    const viewer = await client.viewer();
    obs.viewer = { kind: viewer.kind, hasId: viewer.id !== null };
    await step('viewer');

    const app: AppRef = await client.getApp(appName);
    await step('app');

    const [listing] = await counted('app', () => client.listAppTokens([appName]), (r) => (r[0]?.ok ? r[0].tokens.length : 0));
    if (!listing?.ok) throw listing?.error ?? new Error('no answer for the app');
    observeTokens(listing.tokens);
    if (listing.warning) obs.errors.push({ what: 'app listing was partial', message: listing.warning.reasons.join('; ') });
    await step('app tokens');

    try {
      const org = await counted('organization', () => client.listOrgTokens(app.organization.slug), (r) => r.tokens.length);
      observeTokens(org.tokens);
      obs.housekeeping = housekeepingSeen(org.tokens, now().getTime());
      if (org.warning) obs.errors.push({ what: 'organization listing was partial', message: org.warning.reasons.join('; ') });
      await step('organization tokens');
    } catch (err) {
      // A deploy token as FLY_LIVE_TOKEN may not see its organization's list: observed, not fatal.
      record('organization tokens', err);
    }

    try {
      await client.getApp(`${TOKEN_NAME_PREFIX}missing-${Date.now()}`);
      obs.errors.push({ what: 'unknown app', message: 'no error' });
    } catch (err) {
      record('unknown app', err);
    }
    await observeUnauthorized(baseUrl, obs);

    const name = `${TOKEN_NAME_PREFIX}${now().toISOString().replace(/[:.]/g, '-')}`;
    const mint = await client.createDeployToken({ app, name, expiry: '1h0m0s' });
    made.push({ id: mint.id, revoked: false });
    const minutes = Math.round((Date.parse(mint.expiresAt) - Date.parse(mint.createdAt)) / 60_000);
    obs.created = {
      name,
      id: mint.id,
      tokenHeaderPrefix: mint.tokenHeader.split(/[\s_]/, 1)[0] ?? '',
      expiresInMinutes: minutes,
      warnings: (mint.warnings ?? []).map(clean),
    };
    await step('created');

    const [after] = await client.listAppTokens([appName]);
    if (!after?.ok) throw after?.error ?? new Error('no answer for the app after create');
    const listed = after.tokens.find((t) => t.id === mint.id);
    if (!listed) throw new Error(`the created token ${mint.id} is not in the app's list`);
    const problems: string[] = [];
    if (listed.name !== name) problems.push(`name is "${listed.name}"`);
    if (listed.profile !== 'deploy') problems.push(`profile is "${listed.profile}"`);
    if (tokenAppId(listed.profileParams) !== app.id) problems.push('profileParams.app_id is not the app id');
    if (!RFC3339.test(listed.createdAt) || !RFC3339.test(listed.expiresAt)) problems.push('dates are not RFC 3339');
    const life = (Date.parse(listed.expiresAt) - Date.parse(listed.createdAt)) / 60_000;
    if (!(life > 55 && life < 65)) problems.push(`lifetime is ${Math.round(life)} minutes, not 60`);
    if (listed.revokedAt !== null) problems.push('it is already revoked');
    if (listed.createdBy !== viewer.email) problems.push('user.email is not the viewer');
    obs.listedAfterCreate = problems.length === 0;
    if (problems.length > 0) throw new Error(`the created token is listed, but ${problems.join(', ')}`);
    await step('listed');

    // A second token, so that one revocation call carries two: whether Fly takes a batched revoke.
    const second = await client.createDeployToken({ app, name: `${name}-batch`, expiry: '1h0m0s' });
    made.push({ id: second.id, revoked: false });
    const before = requests.length;
    const outcomes = await client.revokeTokens([mint.id, second.id]);
    obs.batchedRevoke = {
      tokens: 2,
      requests: requests.length - before,
      outcomes: outcomes.map((o) => (o.ok ? (o.confirmed ? 'ok (confirmed by reading back)' : 'ok') : clean(o.error.message))),
    };
    const [outcome] = outcomes;
    obs.revokedOutcome = obs.batchedRevoke.outcomes[0];
    if (!outcome?.ok) throw outcome?.error ?? new Error('no revoke outcome');
    for (const o of outcomes) if (o.ok) made.forEach((m) => m.id === o.id && (m.revoked = true));
    await step('revoked');

    const [final] = await client.listAppTokens([appName]);
    const gone = final?.ok ? final.tokens.find((t) => t.id === mint.id) : undefined;
    if (!gone?.revokedAt) throw new Error('the revoked token is not shown as revoked');
    obs.revokedAtFormat = shapeOf(gone.revokedAt).format;
    obs.nodes = await observeNodes(baseUrl, token, [mint.id, second.id], clean);
    await step('seen revoked');

    // A leak drill on a token made for it: what the probe says, LogOut with the token itself, then Fly must refuse it.
    const leak = await client.createDeployToken({ app, name: `${name}-leak`, expiry: '1h0m0s' });
    const leakEntry = { id: leak.id, revoked: false };
    made.push(leakEntry);
    const leaked = new FlyClient({
      baseUrl,
      getToken: () => leak.tokenHeader,
      userAgent: `${userAgent()} live-check`,
      batchMemory: new BatchMemory(),
    });
    const drill: NonNullable<Observations['leak']> = { probe: '', apps: '', logOut: '', refusedAfter: '' };
    obs.leak = drill;
    const probe = await leaked.probeToken('macaroon');
    drill.probe = `${probe.principal}, acts for the viewer: ${probe.email === viewer.email}`;
    drill.apps = probe.apps === null ? 'not answered' : `${probe.apps.totalCount} app(s)${probe.apps.apps.some((a) => a.name === appName) ? `, ${appName} among them` : ''}`;
    await step('leak probed');
    const loggedOut = await leaked.logOut();
    drill.logOut = loggedOut.ok ? 'ok' : 'ok: false';
    if (!loggedOut.ok) throw new Error('LogOut with a token it just made answered ok: false');
    try {
      drill.refusedAfter = await leaked.tokenAccepted();
    } catch (err) {
      drill.refusedAfter = `could not ask: ${clean(err instanceof Error ? err.message : String(err))}`;
    }
    // Only a refusal proves it gone; otherwise the clean-up below revokes it by id.
    leakEntry.revoked = drill.refusedAfter === 'refused';
    if (drill.refusedAfter !== 'refused') throw new Error(`after LogOut answered ok, Fly ${drill.refusedAfter === 'accepted' ? 'still accepts the token' : drill.refusedAfter}`);
    await step('leak revoked and refused');
    return { kind: 'passed', observations: obs };
  } catch (err) {
    record('contract', err);
    const failure = clean(err instanceof Error ? err.message : String(err));
    return { kind: 'failed', failure, observations: obs };
  } finally {
    const left = made.filter((m) => !m.revoked).map((m) => m.id);
    if (left.length > 0) {
      // Whatever failed, the tokens we made do not outlive the run (they would expire within the hour anyway).
      const outcomes = await client
        .revokeTokens(left)
        .catch((e: unknown) => left.map((id) => ({ id, ok: false as const, error: e as Error })));
      const failed = outcomes.filter((o) => !o.ok);
      obs.cleanup =
        failed.length === 0
          ? `revoked the ${left.length === 1 ? 'token' : `${left.length} tokens`} this run created`
          : `could not revoke ${failed.map((o) => o.id).join(', ')}: ${failed.map((o) => (o.ok ? '' : clean(o.error.message))).join('; ')}`;
      say(obs.cleanup);
    }
  }
}

const HOUSEKEEPING_NAMES = new Set(['flyctl', 'flyctl-metrics', 'flyctl-lfsc', 'Flynthetics read-only token', 'Flyctl statics push token', 'FKS org deploy token', 'ScantronToken']);

/** The tokens flyctl and its agent leave behind, as listed: by their known names or profiles, or by our own classification. */
function housekeepingSeen(tokens: readonly TokenInfo[], now: number): NonNullable<Observations['housekeeping']> {
  return tokens
    .filter((t) => HOUSEKEEPING_NAMES.has(t.name) || t.profile === 'flynthetics_read' || t.profile === 'identity' || classifyToken(t).housekeeping)
    .map((t) => ({
      name: t.name,
      profile: t.profile,
      lifetimeMinutes: Math.round((Date.parse(t.expiresAt) - Date.parse(t.createdAt)) / 60_000),
      state: t.revokedAt ? ('revoked' as const) : Date.parse(t.expiresAt) <= now ? ('expired' as const) : ('active' as const),
      classifiedHousekeeping: classifyToken(t).housekeeping,
    }));
}

/** Whether Fly takes `nodes(ids:)` for LimitedAccessToken ids (the client reads revocations back with it). */
async function observeNodes(baseUrl: string, token: string, ids: string[], clean: (t: string) => string): Promise<NonNullable<Observations['nodes']>> {
  const out = { accepted: false, asked: ids.length, resolved: 0, revoked: 0, errors: [] as string[] };
  try {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: authorizationHeader(token), 'User-Agent': userAgent() },
      body: JSON.stringify({ query: TOKENS_BY_ID_DOCUMENT, operationName: 'TokensById', variables: { ids } }),
      redirect: 'manual',
    });
    const body = (await res.json()) as { data?: { nodes?: unknown } | null; errors?: { message?: unknown }[] };
    out.errors = (body.errors ?? []).map((e) => clean(String(e.message)));
    const nodes = body.data?.nodes;
    if (res.status === 200 && Array.isArray(nodes)) {
      out.accepted = true;
      for (const n of nodes as ({ id?: unknown; revokedAt?: unknown } | null)[]) {
        if (n && typeof n.id === 'string' && ids.includes(n.id)) {
          out.resolved++;
          if (typeof n.revokedAt === 'string') out.revoked++;
        }
      }
    } else if (res.status !== 200) out.errors.push(`HTTP ${res.status}`);
  } catch (err) {
    out.errors.push(clean(err instanceof Error ? err.message : String(err)));
  }
  return out;
}

/** How the API refuses a token it does not know: HTTP status and the body's shape (no secret is sent). */
async function observeUnauthorized(baseUrl: string, obs: Observations): Promise<void> {
  try {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer fo1_not-a-real-token-for-a-live-check', 'User-Agent': userAgent() },
      body: JSON.stringify({ query: 'query Viewer { viewer { __typename } }', operationName: 'Viewer', variables: {} }),
      redirect: 'manual',
    });
    const text = await res.text();
    let shape: unknown = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { data?: unknown; errors?: { message?: unknown; extensions?: unknown; path?: unknown }[] };
      shape = {
        hasData: 'data' in body,
        data: body.data === null ? null : typeof body.data,
        errors: (body.errors ?? []).map((e) => ({ message: e.message, extensions: e.extensions, path: e.path })),
      };
    } catch {
      // not JSON: keep the start of the text
    }
    obs.errors.push({ what: 'unknown token', status: res.status, shape });
  } catch (err) {
    obs.errors.push({ what: 'unknown token', status: null, message: err instanceof Error ? err.message : String(err) });
  }
}
