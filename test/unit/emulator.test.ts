// flyctl's own documents against the emulator over real HTTP: data, errors, auth and pagination.
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import {
  CREATE_LIMITED_ACCESS_TOKEN,
  GET_APP_COMPACT,
  GET_APP_HOST_ISSUES,
  GET_APP_LIMITED_ACCESS_TOKENS,
  GET_CURRENT_USER,
  GET_ORG_LIMITED_ACCESS_TOKENS,
  GET_ORGANIZATION_BY_SLUG,
  GET_ORGANIZATIONS,
  REVOKE_LIMITED_ACCESS_TOKEN,
} from '../emulator/flyctlDocuments';
import { postGraphql } from '../emulator/testRequests';

type Obj = Record<string, unknown>;
const HOUR = 3_600_000;

interface TokenNode {
  id: string;
  name: string;
  token?: string;
  expiresAt: string;
  revokedAt: string | null;
  user: { email: string };
}

/** The emulator's default refusal of a token that fails verification (modes.ts). */
function assertRefused(r: { status: number; json: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }): void {
  assert.equal(r.status, 200);
  assert.equal(r.json.data, null);
  assert.equal(r.json.errors?.[0]?.extensions?.code, 'UNAUTHORIZED');
}

describe('emulator: flyctl documents', () => {
  let emu: Emulator;
  let auth: string;

  before(async () => {
    emu = await startEmulator();
    auth = `Bearer ${emu.demoToken}`;
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  const gql = (query: string, variables: Obj | null = null, operationName?: string, authorization: string | null = auth) =>
    postGraphql(emu.url, authorization, query, variables, operationName);

  async function appTokens(appName: string, authorization = auth): Promise<TokenNode[]> {
    const r = await gql(GET_APP_LIMITED_ACCESS_TOKENS, { appName }, undefined, authorization);
    assert.equal(r.status, 200);
    assert.equal(r.json.errors, undefined);
    const app = r.json.data?.appLimitedAccessTokens as { limitedAccessTokens: { nodes: TokenNode[] } };
    return app.limitedAccessTokens.nodes;
  }

  async function createDeploy(appName: string, expiry = '175200h0m0s', name = 'flyctl deploy token', authorization = auth) {
    const app = await gql(GET_APP_COMPACT, { appName }, undefined, authorization);
    const compact = app.json.data?.appcompact as { id: string; organization: { id: string } };
    return gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name, organizationId: compact.organization.id, profile: 'deploy', profileParams: { app_id: compact.id }, expiry },
      'CreateLimitedAccessToken',
      authorization,
    );
  }

  it('GetCurrentUser (variables null) returns the demo user', async () => {
    const r = await gql(GET_CURRENT_USER, null);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.errors, undefined);
    const viewer = r.json.data?.viewer as Obj;
    assert.equal(viewer.email, 'demo@example.com');
    assert.equal(viewer.enablePaidHobby, false);
    assert.equal(typeof viewer.id, 'string');
    assert.ok(/^fo1_[A-Za-z0-9_-]{20,}$/.test(emu.demoToken), 'demo token shape');
  });

  it('GetAppCompact returns the app with its opaque id and organization', async () => {
    const r = await gql(GET_APP_COMPACT, { appName: 'acme-web' });
    const app = r.json.data?.appcompact as Obj & { organization: Obj };
    const record = emu.world.app('acme-web');
    assert.ok(record);
    assert.equal(app.id, record.id);
    assert.notEqual(app.id, 'acme-web');
    assert.equal(app.name, 'acme-web');
    assert.equal(app.hostname, 'acme-web.fly.dev');
    assert.equal(app.deployed, true);
    assert.equal(app.platformVersion, 'machines');
    assert.equal(app.postgresAppRole, null);
    assert.equal(app.organization.slug, 'acme');
    assert.equal(app.organization.id, emu.world.org('acme')?.id);
    assert.equal(app.organization.paidPlan, true);
    assert.equal(typeof app.internalNumericId, 'number');
  });

  it('GetOrganizationBySlug returns the organization', async () => {
    const r = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'acme' });
    assert.deepEqual(r.json.data?.organization, {
      id: emu.world.org('acme')?.id,
      internalNumericId: String(emu.world.org('acme')?.internalNumericId),
      slug: 'acme',
      rawSlug: 'acme',
      name: 'Acme Corp',
      type: 'SHARED',
      billable: true,
    });
    const personal = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'personal' });
    assert.equal((personal.json.data?.organization as Obj).name, 'Demo User');
    assert.equal((personal.json.data?.organization as Obj).type, 'PERSONAL');
  });

  it('GetOrganizations lists the viewer\'s organizations with their role; admin:true filters', async () => {
    const all = await gql(GET_ORGANIZATIONS, { admin: false });
    const nodes = (all.json.data?.organizations as { nodes: Obj[] }).nodes;
    assert.deepEqual(nodes.map((o) => [o.slug, o.viewerRole]), [['personal', 'admin'], ['acme', 'admin']]);
    const alex = emu.world.user('alex@example.com');
    assert.ok(alex);
    const alexAll = await gql(GET_ORGANIZATIONS, { admin: false }, undefined, `Bearer ${alex.token}`);
    assert.deepEqual((alexAll.json.data?.organizations as { nodes: Obj[] }).nodes.map((o) => [o.slug, o.viewerRole]), [['acme', 'member']]);
    const alexAdmin = await gql(GET_ORGANIZATIONS, { admin: true }, undefined, `Bearer ${alex.token}`);
    assert.deepEqual((alexAdmin.json.data?.organizations as { nodes: Obj[] }).nodes, []);
  });

  it('GetAppLimitedAccessTokens lists active, expired and revoked tokens in creation order', async () => {
    const nodes = await appTokens('demo-app');
    assert.deepEqual(nodes.map((n) => n.name), ['github actions', 'old laptop', 'leaked in a log']);
    const now = Date.now();
    assert.ok(Date.parse(nodes[0].expiresAt) > now && nodes[0].revokedAt === null);
    assert.ok(Date.parse(nodes[1].expiresAt) < now && nodes[1].revokedAt === null);
    assert.ok(nodes[2].revokedAt !== null && Date.parse(nodes[2].revokedAt) < now);
    assert.ok(nodes.every((n) => n.user.email === 'demo@example.com'));
    assert.ok(nodes.every((n) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(n.expiresAt)));
    // `token` identifies the macaroon; it is not the secret header and does not authenticate.
    const headers = emu.world.tokens().map((t) => t.header);
    for (const n of nodes) {
      assert.equal(typeof n.token, 'string');
      assert.ok(!headers.some((h) => h.includes(n.token as string)));
    }
    const probe = await gql(GET_CURRENT_USER, null, undefined, `FlyV1 ${nodes[0].token}`);
    assertRefused(probe);
  });

  it('GetOrgLimitedAccessTokens lists every token of the organization', async () => {
    const r = await gql(GET_ORG_LIMITED_ACCESS_TOKENS, { slug: 'acme' });
    const nodes = (r.json.data?.orgLimitedAccessTokens as { limitedAccessTokens: { nodes: TokenNode[] } }).limitedAccessTokens.nodes;
    assert.deepEqual(nodes.map((n) => `${n.name}/${n.user.email}`), [
      'github actions/demo@example.com',
      'staging deploy/alex@example.com',
      'github actions/demo@example.com',
      'flyctl deploy token/alex@example.com',
      'Org deploy token/demo@example.com',
      'flyctl ssh token/demo@example.com',
      'flyctl machine-exec token/demo@example.com',
      'Read-only org token/demo@example.com',
      'WireGuard token/demo@example.com',
      'LiteFS Cloud token/demo@example.com',
      'flyctl/demo@example.com',
      'Flynthetics read-only token/demo@example.com',
      'Flynthetics read-only token/demo@example.com',
      'Flyctl statics push token/demo@example.com',
      'FKS org deploy token/demo@example.com',
      'ScantronToken/demo@example.com',
      'flyctl-lfsc/demo@example.com',
      'Flyctl statics push token/demo@example.com',
      'acme-ops/demo@example.com',
      'nightly backups/sam@example.com',
    ]);
    const profiles = emu.world.tokens().filter((t) => t.org === 'acme').map((t) => t.profile);
    assert.deepEqual([...new Set(profiles)], ['deploy', 'deploy_organization', 'litefs_cloud', 'flynthetics_read', 'registry_token']);
  });

  it('CreateLimitedAccessToken (genqlient body, verbatim) mints a FlyV1 deploy token for the app', async () => {
    const before = Date.now();
    const r = await createDeploy('demo-app');
    assert.equal(r.status, 200);
    assert.equal(r.json.errors, undefined);
    const header = ((r.json.data?.createLimitedAccessToken as Obj).limitedAccessToken as Obj).tokenHeader as string;
    assert.ok(/^FlyV1 fm2_[A-Za-z0-9+/]+=*,fm2_[A-Za-z0-9+/]+=*$/.test(header), 'FlyV1 header shape');
    assert.ok(emu.world.mintedHeaders().length === 1 && emu.world.mintedHeaders()[0] === header, 'recorded as minted');
    const record = emu.world.tokens().find((t) => t.header === header);
    assert.ok(record);
    assert.equal(record.app, 'demo-app');
    assert.equal(record.profile, 'deploy');
    assert.deepEqual(record.profileParams, { app_id: emu.world.app('demo-app')?.id });
    assert.equal(record.user, 'demo@example.com');
    const lifetime = record.expiresAt.getTime() - record.createdAt.getTime();
    assert.ok(Math.abs(lifetime - 175_200 * HOUR) < 2000);
    assert.ok(record.createdAt.getTime() >= before - 1000);
    const listed = await appTokens('demo-app');
    assert.equal(listed.length, 4);
    assert.equal(listed[3].name, 'flyctl deploy token');
    assert.equal(emu.graphqlRequests().at(-2)?.operationName, 'CreateLimitedAccessToken');
    assert.equal(emu.graphqlRequests().at(-3)?.operationName, null);
  });

  it('tokenHeader is only revealed by the mutation that minted the token', async () => {
    await createDeploy('demo-app');
    const r = await gql(
      'query ($appName: String!) { app(name: $appName) { limitedAccessTokens { nodes { name tokenHeader profile profileParams createdAt revokedBy organization { slug } } } } }',
      { appName: 'demo-app' },
    );
    const nodes = ((r.json.data?.app as Obj).limitedAccessTokens as { nodes: Obj[] }).nodes;
    assert.equal(nodes.length, 4);
    assert.ok(nodes.every((n) => n.tokenHeader === null));
    assert.deepEqual(nodes[3].profileParams, { app_id: emu.world.app('demo-app')?.id });
    assert.equal(nodes[2].revokedBy, 'demo@example.com');
    assert.equal((nodes[0].organization as Obj).slug, 'personal');
  });

  it('create org token: profile deploy_organization, empty params', async () => {
    const org = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'acme' });
    const r = await gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'Org deploy token', organizationId: (org.json.data?.organization as Obj).id, profile: 'deploy_organization', profileParams: {}, expiry: '720h0m0s' },
      'CreateLimitedAccessToken',
    );
    assert.equal(r.json.errors, undefined);
    const record = emu.world.tokens().at(-1);
    assert.equal(record?.app, null);
    assert.equal(record?.org, 'acme');
    assert.ok(record && Math.abs(record.expiresAt.getTime() - record.createdAt.getTime() - 720 * HOUR) < 2000);
  });

  it('flyctl’s housekeeping: the default world holds what flyctl leaves, and the create mutation takes `flynthetics_read`', async () => {
    const MIN = 60_000;
    const lifetimes = (org: string, name: string) =>
      emu.world
        .tokens()
        .filter((t) => t.org === org && t.name === name)
        .map((t) => [t.profile, Math.round((t.expiresAt.getTime() - t.createdAt.getTime()) / MIN), t.expiresAt.getTime() > Date.now()]);
    for (const org of ['personal', 'acme']) {
      assert.deepEqual(lifetimes(org, 'Flynthetics read-only token'), [
        ['flynthetics_read', 60, false],
        ['flynthetics_read', 60, true],
      ]);
    }
    assert.deepEqual(lifetimes('acme', 'Flyctl statics push token'), [
      ['deploy_organization', 60, false],
      ['deploy_organization', 365 * 24 * 60, true],
    ]);
    assert.deepEqual(lifetimes('acme', 'FKS org deploy token'), [['deploy_organization', 60, true]]);
    assert.deepEqual(lifetimes('acme', 'ScantronToken'), [['registry_token', 5, false]]);
    assert.deepEqual(lifetimes('acme', 'flyctl-lfsc'), [['litefs_cloud', 1, false]]);
    assert.deepEqual(lifetimes('acme', 'acme-ops'), [['deploy', 999_999 * 60, true]], '`fly launch`’s app token');

    const org = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'personal' });
    const r = await gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'Flynthetics read-only token', organizationId: (org.json.data?.organization as Obj).id, profile: 'flynthetics_read', profileParams: {}, expiry: '1h' },
      'CreateLimitedAccessToken',
    );
    assert.equal(r.json.errors, undefined);
    const record = emu.world.tokens().at(-1);
    assert.deepEqual([record?.profile, record?.org, record?.app], ['flynthetics_read', 'personal', null]);
    assert.ok(record && Math.abs(record.expiresAt.getTime() - record.createdAt.getTime() - HOUR) < 2000);
  });

  it('expiry: "" means the 20-year default, Go durations are honoured, invalid ones are GraphQL errors', async () => {
    await createDeploy('demo-app', '');
    await createDeploy('demo-app', '1h30m0s');
    const [def, short] = emu.world.tokens().slice(-2);
    assert.ok(Math.abs(def.expiresAt.getTime() - def.createdAt.getTime() - 175_200 * HOUR) < 2000);
    assert.ok(Math.abs(short.expiresAt.getTime() - short.createdAt.getTime() - 1.5 * HOUR) < 2000);
    for (const bad of ['30d', 'abc', '-5m', '0s']) {
      const r = await createDeploy('demo-app', bad);
      assert.equal(r.status, 200);
      assert.equal(r.json.data?.createLimitedAccessToken, null, bad);
      assert.deepEqual(r.json.errors?.[0].path, ['createLimitedAccessToken'], bad);
      assert.match(r.json.errors?.[0].message ?? '', /expiry/i);
    }
    assert.equal(emu.world.mintedHeaders().length, 2);
  });

  it('create rejects an app id from another organization and an unknown organization', async () => {
    const r = await gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'x', organizationId: emu.world.org('personal')?.id, profile: 'deploy', profileParams: { app_id: emu.world.app('acme-web')?.id }, expiry: '' },
      'CreateLimitedAccessToken',
    );
    assert.equal(r.json.errors?.[0].message, 'Could not find App');
    const r2 = await gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'x', organizationId: 'nope', profile: 'deploy_organization', profileParams: {}, expiry: '' },
      'CreateLimitedAccessToken',
    );
    assert.equal(r2.json.errors?.[0].message, 'Could not find Organization');
    assert.equal(emu.world.mintedHeaders().length, 0);
  });

  it('RevokeLimitedAccessToken revokes; revoked tokens stay listed; revoking again succeeds; unknown id errors', async () => {
    const [active] = await appTokens('acme-web');
    const r = await gql(REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: active.id } });
    assert.equal(r.json.errors, undefined);
    assert.equal((r.json.data?.deleteLimitedAccessToken as Obj).token, active.token);
    const after1 = (await appTokens('acme-web'))[0];
    assert.equal(after1.id, active.id);
    assert.ok(after1.revokedAt !== null);
    const again = await gql(REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: active.id } });
    assert.equal(again.json.errors, undefined);
    assert.equal((await appTokens('acme-web'))[0].revokedAt, after1.revokedAt);
    const unknown = await gql(REVOKE_LIMITED_ACCESS_TOKEN, { input: { id: 'does-not-exist' } });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.json.data?.deleteLimitedAccessToken, null);
    assert.deepEqual(unknown.json.errors?.map((e) => [e.message, e.path]), [['Could not find LimitedAccessToken', ['deleteLimitedAccessToken']]]);
  });

  it('a revoked deploy token no longer authenticates', async () => {
    const r = await createDeploy('acme-api');
    const header = ((r.json.data?.createLimitedAccessToken as Obj).limitedAccessToken as Obj).tokenHeader as string;
    assert.equal((await gql(GET_CURRENT_USER, null, undefined, header)).status, 200);
    const id = emu.world.tokens().find((t) => t.header === header)?.id;
    await gql(REVOKE_LIMITED_ACCESS_TOKEN, { input: { id } });
    assertRefused(await gql(GET_CURRENT_USER, null, undefined, header));
  });

  it('GetAppHostIssues answers with an empty list', async () => {
    const r = await gql(GET_APP_HOST_ISSUES, { appName: 'demo-app' });
    assert.deepEqual(r.json, { data: { apphostissues: { hostIssues: { nodes: [] } } } });
  });

  it('unknown app → "Could not find App" with path, and per-alias errors in a batched query', async () => {
    const r = await gql(GET_APP_COMPACT, { appName: 'no-such-app' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, { appcompact: null });
    assert.equal(r.json.errors?.length, 1);
    assert.equal(r.json.errors?.[0].message, 'Could not find App');
    assert.deepEqual(r.json.errors?.[0].path, ['appcompact']);
    const batch = await gql(
      'query { a0: app(name: "demo-app") { name } a1: app(name: "ghost") { name } a2: app(name: "acme-api") { name } a3: app(name: "") { name } }',
    );
    assert.deepEqual(batch.json.data, { a0: { name: 'demo-app' }, a1: null, a2: { name: 'acme-api' }, a3: null });
    assert.deepEqual(batch.json.errors?.map((e) => [e.message, e.path]), [
      ['Could not find App', ['a1']],
      ['Could not find App', ['a3']],
    ]);
  });

  it('an app of an organization the user is not in is refused with a path and UNAUTHORIZED, or not found in that mode', async () => {
    const alex = emu.world.user('alex@example.com');
    assert.ok(alex);
    const r = await gql(GET_APP_COMPACT, { appName: 'demo-app' }, undefined, `Bearer ${alex.token}`);
    assert.equal(r.json.errors?.[0].message, 'Not authorized to access this App');
    assert.deepEqual(r.json.errors?.[0].path, ['appcompact']);
    assert.equal((r.json.errors?.[0] as { extensions?: { code?: string } }).extensions?.code, 'UNAUTHORIZED');
    const org = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'personal' }, undefined, `Bearer ${alex.token}`);
    assert.equal(org.json.errors?.[0].message, 'Not authorized to access this Organization');
    assert.equal((org.json.errors?.[0] as { extensions?: { code?: string } }).extensions?.code, 'UNAUTHORIZED');
    emu.modes.refusals = 'notFound';
    try {
      const hidden = await gql(GET_APP_COMPACT, { appName: 'demo-app' }, undefined, `Bearer ${alex.token}`);
      assert.equal(hidden.json.errors?.[0].message, 'Could not find App');
      const hiddenOrg = await gql(GET_ORGANIZATION_BY_SLUG, { slug: 'personal' }, undefined, `Bearer ${alex.token}`);
      assert.equal(hiddenOrg.json.errors?.[0].message, 'Could not find Organization');
    } finally {
      emu.modes.refusals = 'unauthorized';
    }
  });

  it('a deploy token authenticates as a Macaroon for its own app only', async () => {
    const r = await createDeploy('acme-web');
    const header = ((r.json.data?.createLimitedAccessToken as Obj).limitedAccessToken as Obj).tokenHeader as string;
    const viewer = await gql(GET_CURRENT_USER, null, undefined, header);
    assert.deepEqual(viewer.json, { data: { viewer: { email: 'demo@example.com' } } });
    const typed = await gql('{ viewer { __typename email } }', null, undefined, header);
    assert.equal((typed.json.data?.viewer as Obj).__typename, 'Macaroon');
    // flyctl's env handling may hand over the header without its scheme; the parts are what count.
    const bare = await gql(GET_APP_COMPACT, { appName: 'acme-web' }, undefined, header.replace(/^FlyV1 /, ''));
    assert.equal((bare.json.data?.appcompact as Obj).name, 'acme-web');
    const own = await appTokens('acme-web', header);
    assert.equal(own.length, 3);
    const other = await gql(GET_APP_COMPACT, { appName: 'acme-api' }, undefined, header);
    assert.deepEqual(other.json.data, { appcompact: null });
    assert.equal(other.json.errors?.[0].message, 'Not authorized to access this App');
    const otherOrg = await gql(GET_APP_COMPACT, { appName: 'demo-app' }, undefined, header);
    assert.equal(otherOrg.json.errors?.[0].message, 'Not authorized to access this App');
    const orgTokens = await gql(GET_ORG_LIMITED_ACCESS_TOKENS, { slug: 'acme' }, undefined, header);
    assert.equal(orgTokens.json.data?.orgLimitedAccessTokens, null);
    assert.match(orgTokens.json.errors?.[0].message ?? '', /Not authorized/);
    const widen = await gql(
      CREATE_LIMITED_ACCESS_TOKEN,
      { name: 'x', organizationId: emu.world.org('acme')?.id, profile: 'deploy_organization', profileParams: {}, expiry: '' },
      'CreateLimitedAccessToken',
      header,
    );
    assert.match(widen.json.errors?.[0].message ?? '', /Not authorized/);
  });

  it('an expired token is refused like an unknown one', async () => {
    const expired = emu.world.tokens().find((t) => t.name === 'old laptop');
    assert.ok(expired);
    assertRefused(await gql(GET_CURRENT_USER, null, undefined, expired.header));
  });

  it('a wrong token is refused as flyctl models it: HTTP 200, no data, extensions.code "UNAUTHORIZED"', async () => {
    for (const [i, header] of ['Bearer fo1_not-a-real-token', 'FlyV1 fm2_bm90IGEgbWFjYXJvb24=', `Bearer ${emu.demoToken},fo1_extra`].entries()) {
      const r = await gql(GET_CURRENT_USER, null, undefined, header);
      assert.equal(r.status, 200, `case ${i}`);
      assert.equal(r.json.data, null);
      assert.deepEqual(r.json.errors, [{ message: 'You must be authenticated to view this.', extensions: { code: 'UNAUTHORIZED' } }]);
    }
  });

  it('mode unauthorized: "http401" refuses a wrong token with HTTP 401 and a JSON errors body', async () => {
    emu.modes.unauthorized = 'http401';
    const r = await gql(GET_CURRENT_USER, null, undefined, 'Bearer fo1_not-a-real-token');
    assert.equal(r.status, 401);
    assert.equal(r.json.data, undefined);
    assert.equal(r.json.errors?.[0].message, 'unauthorized');
    emu.reset();
    assert.equal(emu.modes.unauthorized, 'graphql', 'reset() restores the default');
  });

  it('a missing token gets the GraphQL error "You must be authenticated to view this."', async () => {
    for (const header of [null, 'Bearer ', '']) {
      const r = await gql(GET_CURRENT_USER, null, undefined, header);
      assert.equal(r.status, 200);
      assert.equal(r.json.data, null);
      assert.deepEqual(r.json.errors?.map((e) => [e.message, e.path]), [['You must be authenticated to view this.', ['viewer']]]);
    }
    const app = await gql(GET_APP_COMPACT, { appName: 'demo-app' }, undefined, 'Bearer ');
    assert.deepEqual(app.json.data, { appcompact: null });
    assert.equal(app.json.errors?.[0].message, 'You must be authenticated to view this.');
  });

  it('a document that does not validate gets standard GraphQL validation errors (HTTP 200, no data)', async () => {
    const r = await gql('query { app(name: "demo-app") { nmae } }');
    assert.equal(r.status, 200);
    assert.equal('data' in r.json, false);
    assert.match(r.json.errors?.[0].message ?? '', /Cannot query field "nmae" on type "App"/);
    assert.ok(Array.isArray(r.json.errors?.[0].locations));
    const syntax = await gql('query { app(name: ');
    assert.equal(syntax.status, 200);
    assert.match(syntax.json.errors?.[0].message ?? '', /^Syntax Error/);
    const missingVar = await gql(GET_APP_COMPACT, {});
    assert.equal(missingVar.status, 200);
    assert.match(missingVar.json.errors?.[0].message ?? '', /Variable "\$appName" of required type "String!" was not provided/);
  });

  it('a body that is not a GraphQL request is a 400 with an errors body', async () => {
    for (const body of ['not json', '[]', '{"variables":{}}', '{"query":"{ viewer { email } }","variables":[1]}']) {
      const res = await fetch(`${emu.url}/graphql`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      const json = (await res.json()) as { errors: { message: string }[] };
      assert.equal(typeof json.errors[0].message, 'string');
    }
    const get = await fetch(`${emu.url}/graphql`);
    assert.equal(get.status, 405);
  });

  describe('pagination', () => {
    type Page = { nodes: { id: string; name: string }[]; edges: { cursor: string }[]; pageInfo: Obj; totalCount: number };
    async function page(appName: string, args: string): Promise<Page> {
      const r = await gql(
        `query ($appName: String!) { app(name: $appName) { limitedAccessTokens${args} { totalCount nodes { id name } ` +
          'edges { cursor node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } } }',
        { appName },
      );
      assert.equal(r.json.errors, undefined, JSON.stringify(r.json.errors));
      return (r.json.data?.app as Obj).limitedAccessTokens as never;
    }

    beforeEach(() => {
      for (let i = 0; i < 130; i++) emu.world.addToken({ app: 'acme-web', name: `bulk ${i}`, user: 'alex@example.com' });
    });

    it('defaults to 25 without first, clamps to 100, and pages through all with cursors', async () => {
      const first = await page('acme-web', '');
      assert.equal(first.totalCount, 132);
      assert.equal(first.nodes.length, 25);
      assert.equal(first.pageInfo.hasNextPage, true);
      assert.equal(first.pageInfo.hasPreviousPage, false);
      const clamped = await page('acme-web', '(first: 500)');
      assert.equal(clamped.nodes.length, 100);
      const seen: string[] = [];
      let after: string | null = null;
      let requests = 0;
      for (;;) {
        const p = await page('acme-web', after ? `(first: 50, after: ${JSON.stringify(after)})` : '(first: 50)');
        requests++;
        seen.push(...p.nodes.map((n) => n.id));
        assert.deepEqual(p.edges.map((e) => e.cursor).at(-1), p.pageInfo.endCursor);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor as string;
      }
      assert.equal(requests, 3);
      assert.equal(new Set(seen).size, 132);
      assert.deepEqual(seen, emu.world.tokens().filter((t) => t.app === 'acme-web').map((t) => t.id));
    });

    it('supports last/before and rejects a bad cursor', async () => {
      const tail = await page('acme-web', '(last: 2)');
      assert.deepEqual(tail.nodes.map((n) => n.name), ['bulk 128', 'bulk 129']);
      assert.equal(tail.pageInfo.hasPreviousPage, true);
      const before = await page('acme-web', `(last: 1, before: ${JSON.stringify(tail.pageInfo.startCursor)})`);
      assert.deepEqual(before.nodes.map((n) => n.name), ['bulk 127']);
      const r = await gql('query { app(name: "acme-web") { limitedAccessTokens(after: "!!bogus") { totalCount } } }');
      assert.match(r.json.errors?.[0].message ?? '', /Invalid cursor/);
    });

    it('the org list and flyctl\'s unpaged documents see the first page only', async () => {
      const r = await gql(GET_ORG_LIMITED_ACCESS_TOKENS, { slug: 'acme' });
      const nodes = (r.json.data?.orgLimitedAccessTokens as { limitedAccessTokens: { nodes: unknown[] } }).limitedAccessTokens.nodes;
      assert.equal(nodes.length, 25);
    });
  });

  it('serves 1,000 tokens with 50 ms latency in a few round trips', async () => {
    for (let i = 0; i < 1000; i++) emu.world.addToken({ app: 'demo-app', name: `t${i}`, user: 'demo@example.com' });
    emu.faults.latency(50);
    const started = Date.now();
    let after: string | null = null;
    let total = 0;
    let requests = 0;
    do {
      const args: string = after ? `(first: 100, after: "${after}")` : '(first: 100)';
      const fields = 'nodes { id name expiresAt revokedAt user { email } } pageInfo { endCursor hasNextPage }';
      const r = await gql(`query { app(name: "demo-app") { limitedAccessTokens${args} { ${fields} } } }`);
      type Conn = { nodes: unknown[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
      const conn = (r.json.data?.app as Obj).limitedAccessTokens as Conn;
      total += conn.nodes.length;
      requests++;
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    const elapsed = Date.now() - started;
    assert.equal(total, 1003);
    assert.equal(requests, 11);
    assert.ok(elapsed >= 11 * 50, `latency applied (${elapsed} ms)`);
    assert.ok(elapsed < 4000, `took ${elapsed} ms`);
  });
});
