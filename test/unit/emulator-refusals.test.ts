// The emulator's answers for "not allowed to see", a field that times out, and a gateway that gives up: raw HTTP.
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { parseRevokedAtTimeout, tokenNodeCount } from '../emulator/modes';

type Obj = Record<string, unknown>;
interface Answer {
  status: number;
  text: string;
  json: { data?: Obj | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
}

const APPS = 'query ($a: String!, $b: String!) { a0: app(name: $a) { name } a1: app(name: $b) { name } }';
const TOKENS = 'query ($n: String!) { app(name: $n) { limitedAccessTokens(first: 50) { nodes { id name revokedAt } } } }';
const BY_ID = 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on LimitedAccessToken { id revokedAt } } }';

describe('emulator: refusals, field timeouts, 504', () => {
  let emu: Emulator;
  const post = async (query: string, variables: Obj = {}, token = emu.demoToken): Promise<Answer> => {
    const res = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let json: Answer['json'] = {};
    try {
      json = JSON.parse(text) as Answer['json'];
    } catch {
      // not JSON: the 504 answer
    }
    return { status: res.status, text, json };
  };

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => emu.reset());

  it('a forbidden app is refused with its path and UNAUTHORIZED; the other alias is answered', async () => {
    emu.modes.forbidden = { apps: ['acme-api'], orgs: [] };
    const r = await post(APPS, { a: 'acme-web', b: 'acme-api' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, { a0: { name: 'acme-web' }, a1: null });
    assert.equal(r.json.errors?.length, 1);
    assert.equal(r.json.errors?.[0].message, 'Not authorized to access this App');
    assert.deepEqual(r.json.errors?.[0].path, ['a1']);
    assert.equal(r.json.errors?.[0].extensions?.code, 'UNAUTHORIZED');
    // viewer still answers: the session is fine
    const viewer = await post('{ viewer { email } }');
    assert.deepEqual(viewer.json.data, { viewer: { email: 'demo@example.com' } });
  });

  it('a forbidden organization is refused with its path; another organization is answered', async () => {
    emu.modes.forbidden = { apps: [], orgs: ['acme'] };
    const r = await post('{ t0: organization(slug: "acme") { slug } t1: organization(slug: "personal") { slug } }');
    assert.deepEqual(r.json.data, { t0: null, t1: { slug: 'personal' } });
    assert.deepEqual(r.json.errors?.[0].path, ['t0']);
    assert.equal(r.json.errors?.[0].extensions?.code, 'UNAUTHORIZED');
    assert.equal(r.json.errors?.[0].message, 'Not authorized to access this Organization');
  });

  it('refusals: notFound hides a forbidden app as if it did not exist', async () => {
    emu.modes.forbidden = { apps: ['acme-api'], orgs: [] };
    emu.modes.refusals = 'notFound';
    const r = await post(APPS, { a: 'acme-web', b: 'acme-api' });
    assert.equal(r.json.errors?.[0].message, 'Could not find App');
    assert.equal(r.json.errors?.[0].extensions?.code, undefined);
  });

  it('a revokedAt timeout fails that one field with a path into the token, the rest of the page fine', async () => {
    emu.modes.revokedAtTimeout = { token: 'old laptop', everywhere: false };
    const r = await post(TOKENS, { n: 'demo-app' });
    const nodes = ((r.json.data?.app as Obj).limitedAccessTokens as { nodes: Obj[] }).nodes;
    assert.equal(nodes.length, 3);
    const index = nodes.findIndex((n) => n.name === 'old laptop');
    assert.equal(nodes[index].revokedAt, null);
    assert.ok(typeof nodes.find((n) => n.name === 'leaked in a log')?.revokedAt === 'string', 'other tokens answer');
    assert.equal(r.json.errors?.length, 1);
    assert.equal(r.json.errors?.[0].message, 'Timeout on LimitedAccessToken.revokedAt');
    assert.deepEqual(r.json.errors?.[0].path, ['app', 'limitedAccessTokens', 'nodes', index, 'revokedAt']);
    // read by id it answers, unless the mode says everywhere
    const id = nodes[index].id as string;
    const again = await post(BY_ID, { ids: [id] });
    assert.equal(again.json.errors, undefined);
    emu.modes.revokedAtTimeout = { token: 'old laptop', everywhere: true };
    const still = await post(BY_ID, { ids: [id] });
    assert.deepEqual(still.json.errors?.[0].path, ['nodes', 0, 'revokedAt']);
  });

  it('a query whose answer holds more tokens than the limit gets a 504; a smaller one and mutations do not', async () => {
    emu.modes.gatewayTimeoutAboveTokens = 3;
    const small = await post(TOKENS, { n: 'demo-app' });
    assert.equal(small.status, 200);
    const both = await post(
      'query { a: app(name: "demo-app") { limitedAccessTokens { nodes { id } } } b: app(name: "acme-web") { limitedAccessTokens { nodes { id } } } }',
    );
    assert.equal(both.status, 504);
    assert.match(both.text, /timeout/);
    const revoke = await post('mutation ($i: DeleteLimitedAccessTokenInput!) { deleteLimitedAccessToken(input: $i) { token } }', {
      i: { id: emu.world.tokens()[0].id },
    });
    assert.equal(revoke.status, 200);
  });

  it('parses its CLI values and counts token nodes anywhere in an answer', () => {
    assert.deepEqual(parseRevokedAtTimeout('old laptop'), { token: 'old laptop', everywhere: false });
    assert.deepEqual(parseRevokedAtTimeout('old laptop:everywhere'), { token: 'old laptop', everywhere: true });
    assert.throws(() => parseRevokedAtTimeout(':everywhere'), /token name/);
    const answer = { a0: { limitedAccessTokens: { nodes: [1, 2] } }, a1: { x: [{ limitedAccessTokens: { nodes: [3] } }] } };
    assert.equal(tokenNodeCount(answer), 3);
    assert.equal(tokenNodeCount(null), 0);
  });
});
