// The maintainers' contract test against the real Fly.io API (`npm run test:live`), through our own FlyClient.
// It creates one deploy token (1 hour) and always revokes what it created. What it saw is written out so the
// emulator's beliefs (test/emulator/README.md, "Facts and guesses") can be compared with reality.
import { BatchMemory, FlyClient } from '../../src/fly/client';
import { FlyError } from '../../src/fly/errors';
import { profileParamsOf, tokenAppId } from '../../src/fly/tokenKinds';
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

  let created: { id: string } | undefined;
  let revoked = false;
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
    created = { id: mint.id };
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

    const [outcome] = await client.revokeTokens([mint.id]);
    obs.revokedOutcome = outcome?.ok ? (outcome.confirmed ? 'ok (confirmed by reading back)' : 'ok') : clean(outcome?.error.message ?? 'no outcome');
    if (!outcome?.ok) throw outcome?.error ?? new Error('no revoke outcome');
    revoked = true;
    await step('revoked');

    const [final] = await client.listAppTokens([appName]);
    const gone = final?.ok ? final.tokens.find((t) => t.id === mint.id) : undefined;
    if (!gone?.revokedAt) throw new Error('the revoked token is not shown as revoked');
    obs.revokedAtFormat = shapeOf(gone.revokedAt).format;
    await step('seen revoked');
    return { kind: 'passed', observations: obs };
  } catch (err) {
    record('contract', err);
    const failure = clean(err instanceof Error ? err.message : String(err));
    return { kind: 'failed', failure, observations: obs };
  } finally {
    if (created && !revoked) {
      // Whatever failed, the token we made does not outlive the run (it would expire within the hour anyway).
      const [outcome] = await client.revokeTokens([created.id]).catch((e: unknown) => [{ ok: false as const, error: e as Error }]);
      obs.cleanup = outcome?.ok ? 'revoked the token this run created' : `could not revoke ${created.id}: ${clean(outcome?.error.message ?? '')}`;
      say(obs.cleanup);
    }
  }
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
