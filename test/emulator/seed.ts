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

  world.addUser({ email: DEPARTED_EMAIL, name: 'Sam Former' });
  world.addMember('acme', DEPARTED_EMAIL);
  world.addToken({ org: 'acme', name: 'nightly backups', user: DEPARTED_EMAIL, createdAt: new Date(now - 200 * DAY) });
  world.removeMember('acme', DEPARTED_EMAIL);
}
