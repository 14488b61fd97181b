// The default world every emulator starts with (unless `seed: false`). Names are fixed; dates are relative to
// the start time so "expired" and "active" stay true whenever the tests run.
import type { World } from './world';

export const DEMO_EMAIL = 'demo@example.com';
export const TEAMMATE_EMAIL = 'alex@example.com';
/** A former member of acme: the token they made still works after they left. */
export const DEPARTED_EMAIL = 'sam@example.com';

const DAY = 86_400_000;

export function seedDefaultWorld(world: World, demoToken: string, now = Date.now()): void {
  world.addUser({ email: DEMO_EMAIL, token: demoToken, name: 'Demo User' });
  world.addUser({ email: TEAMMATE_EMAIL, name: 'Alex Example' });

  world.addOrg({ slug: 'personal', name: 'Demo User', members: [DEMO_EMAIL], type: 'PERSONAL' });
  world.addApp({ name: 'demo-app', org: 'personal' });
  world.addToken({ app: 'demo-app', name: 'github actions', user: DEMO_EMAIL, createdAt: new Date(now - 30 * DAY) });
  world.addToken({
    app: 'demo-app',
    name: 'old laptop',
    user: DEMO_EMAIL,
    createdAt: new Date(now - 400 * DAY),
    expiresAt: new Date(now - 35 * DAY),
  });
  world.addToken({
    app: 'demo-app',
    name: 'leaked in a log',
    user: DEMO_EMAIL,
    createdAt: new Date(now - 90 * DAY),
    revokedAt: new Date(now - 60 * DAY),
  });

  world.addOrg({ slug: 'acme', name: 'Acme Corp', members: [DEMO_EMAIL, TEAMMATE_EMAIL], type: 'SHARED' });
  world.addApp({ name: 'acme-web', org: 'acme' });
  world.addApp({ name: 'acme-api', org: 'acme' });
  world.addToken({ app: 'acme-web', name: 'github actions', user: DEMO_EMAIL, createdAt: new Date(now - 20 * DAY) });
  world.addToken({ app: 'acme-web', name: 'staging deploy', user: TEAMMATE_EMAIL, createdAt: new Date(now - 10 * DAY) });
  world.addToken({ app: 'acme-api', name: 'github actions', user: DEMO_EMAIL, createdAt: new Date(now - 15 * DAY) });
  world.addToken({
    app: 'acme-api',
    name: 'flyctl deploy token',
    user: TEAMMATE_EMAIL,
    createdAt: new Date(now - 5 * DAY),
    expiresAt: new Date(now + 25 * DAY),
  });
  world.addToken({ org: 'acme', name: 'Org deploy token', user: DEMO_EMAIL, createdAt: new Date(now - 3 * DAY) });

  // The other kinds an organization's list holds (flyctl ad0172f, internal/command/tokens/create.go): SSH and
  // machine-exec tokens are `deploy` tokens attenuated locally, read-only org and WireGuard tokens are
  // `deploy_organization`, LiteFS Cloud has its own profile. Names are flyctl's defaults. `acme-ops` is named by no
  // fly.toml of the sample workspaces: its tokens show in organization scope.
  world.addApp({ name: 'acme-ops', org: 'acme' });
  world.addToken({ app: 'acme-ops', name: 'flyctl ssh token', user: DEMO_EMAIL, createdAt: new Date(now - 8 * DAY) });
  world.addToken({ app: 'acme-ops', name: 'flyctl machine-exec token', user: DEMO_EMAIL, createdAt: new Date(now - 7 * DAY) });
  world.addToken({ org: 'acme', name: 'Read-only org token', user: DEMO_EMAIL, createdAt: new Date(now - 6 * DAY) });
  world.addToken({ org: 'acme', name: 'WireGuard token', user: DEMO_EMAIL, createdAt: new Date(now - 6 * DAY) });
  world.addToken({
    org: 'acme',
    name: 'LiteFS Cloud token',
    user: DEMO_EMAIL,
    profile: 'litefs_cloud',
    profileParams: { cluster: 'acme-litefs' },
    createdAt: new Date(now - 4 * DAY),
  });
  // flyctl's housekeeping: its metrics token (internal/metrics/token.go) and the 10-minute org token it mints for
  // an organization its config bundle has no macaroon for (internal/config/tokens.go).
  world.addToken({ org: 'personal', name: 'flyctl-metrics', user: DEMO_EMAIL, profile: 'identity', profileParams: {}, createdAt: new Date(now - 40 * DAY) });
  world.addToken({
    org: 'acme',
    name: 'flyctl',
    user: DEMO_EMAIL,
    createdAt: new Date(now - 2 * 60_000),
    expiresAt: new Date(now + 8 * 60_000),
  });

  seedFlyctlLeftovers(world, now);

  world.addUser({ email: DEPARTED_EMAIL, name: 'Sam Former' });
  world.addMember('acme', DEPARTED_EMAIL);
  world.addToken({ org: 'acme', name: 'nightly backups', user: DEPARTED_EMAIL, createdAt: new Date(now - 200 * DAY) });
  world.removeMember('acme', DEPARTED_EMAIL);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What flyctl (ad0172f) and its agent leave in an organization's list, with the name, profile and expiry each asks
 * CreateLimitedAccessToken for, some long expired and some still live; the app token `fly launch` makes for GitHub
 * Actions; and a long-lived token that only borrows one of flyctl's names.
 */
function seedFlyctlLeftovers(world: World, now: number): void {
  const minted = (org: string, name: string, profile: string, agoMs: number, lifetimeMs: number, params: Record<string, unknown> = {}) => {
    const createdAt = new Date(now - agoMs);
    const expiresAt = new Date(createdAt.getTime() + lifetimeMs);
    world.addToken({ org, name, user: DEMO_EMAIL, profile, profileParams: params, createdAt, expiresAt });
  };
  // internal/metrics/synthetics/token.go: one per organization each time the agent starts.
  for (const org of ['personal', 'acme']) {
    minted(org, 'Flynthetics read-only token', 'flynthetics_read', 2 * DAY, HOUR);
    minted(org, 'Flynthetics read-only token', 'flynthetics_read', 20 * MINUTE, HOUR);
  }
  // internal/command/deploy/statics/util.go, internal/command/extensions/kubernetes/auth.go
  minted('acme', 'Flyctl statics push token', 'deploy_organization', 4 * DAY, HOUR);
  minted('acme', 'FKS org deploy token', 'deploy_organization', 10 * MINUTE, HOUR);
  // internal/command/registry/scantron.go (5m), internal/command/lfsc/lfsc.go (1m, {cluster})
  minted('acme', 'ScantronToken', 'registry_token', 6 * DAY, 5 * MINUTE);
  minted('acme', 'flyctl-lfsc', 'litefs_cloud', 4 * DAY, MINUTE, { cluster: 'acme-litefs' });

  // A year-long org token under the statics push name: the name alone hides nothing.
  world.addToken({
    org: 'acme',
    name: 'Flyctl statics push token',
    user: DEMO_EMAIL,
    createdAt: new Date(now - 12 * DAY),
    expiresAt: new Date(now - 12 * DAY + 365 * DAY),
  });

  // internal/command/launch/launch_frameworks.go (since 1228408a6): `fly launch` with GitHub Actions mints a deploy
  // token named after the app, expiry "999999h", and sets it as FLY_API_TOKEN. The user's, and long-lived.
  // acme-ops was launched from a repository outside the sample workspaces, so the token shows in organization scope.
  const launched = new Date(now - 120 * DAY);
  world.addToken({ app: 'acme-ops', name: 'acme-ops', user: DEMO_EMAIL, createdAt: launched, expiresAt: new Date(launched.getTime() + 999_999 * HOUR) });
}
