// LogOut for every credential kind, and organization memberships that change (the emulator, over real HTTP).
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../emulator';
import { GET_CURRENT_USER, LOG_OUT } from '../emulator/flyctlDocuments';
import { DEPARTED_EMAIL } from '../emulator/seed';
import { postGraphql } from '../emulator/testRequests';

type Obj = Record<string, unknown>;
const MEMBERS = 'query Members($slug: String!) { organization(slug: $slug) { members(first: 100) { totalCount edges { role joinedAt node { email } } } } }';

describe('emulator: LogOut and memberships', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  const logOut = (authorization: string) => postGraphql(emu.url, authorization, LOG_OUT, null, 'LogOut');
  const viewer = (authorization: string) => postGraphql(emu.url, authorization, GET_CURRENT_USER);
  /** Fly's refusal of a bad credential, in either shape the emulator serves (README, "Answering each way"). */
  const refused = (r: { status: number; json: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } }) =>
    r.status === 401 || (r.status === 200 && r.json.data === null && r.json.errors?.[0]?.extensions?.code === 'UNAUTHORIZED');
  const token = (name: string) => {
    const t = emu.world.tokens().find((x) => x.name === name);
    assert.ok(t, name);
    return t;
  };

  it('a deploy token revokes itself (every part of its bundle); the user and other tokens keep working', async () => {
    const t = token('staging deploy');
    assert.equal((await viewer(t.header)).status, 200);
    const r = await logOut(t.header);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { data: { logOut: { ok: true } } });
    assert.ok(token('staging deploy').revokedAt, 'revoked');
    assert.equal(token('staging deploy').revokedBy, 'alex@example.com', "revoked as its creator (the emulator's guess)");
    assert.ok(refused(await viewer(t.header)));
    assert.ok(refused(await viewer(t.header.split(',')[1])), 'its discharge part alone is no good either');
    assert.equal((await viewer(`Bearer ${emu.demoToken}`)).status, 200);
    assert.equal(token('github actions').revokedAt, null);
  });

  it('a bare fm2_ bundle without its scheme revokes the same way', async () => {
    const t = token('Org deploy token');
    const r = await logOut(t.header.replace(/^FlyV1 /, ''));
    assert.equal((r.json.data?.logOut as Obj).ok, true);
    assert.ok(token('Org deploy token').revokedAt);
  });

  it("the user's auth token ends their session everywhere; a new sign-in gets a new token", async () => {
    const r = await logOut(`Bearer ${emu.demoToken}`);
    assert.equal((r.json.data?.logOut as Obj).ok, true);
    assert.ok(refused(await viewer(`Bearer ${emu.demoToken}`)));
    const fresh = emu.world.user('demo@example.com')!.token;
    assert.notEqual(fresh, emu.demoToken);
    assert.equal((await viewer(`Bearer ${fresh}`)).status, 200);
    assert.equal(token('github actions').revokedAt, null, "the user's deploy tokens are not touched");
  });

  it('a flyctl-style bundle (macaroon + auth token) ends both', async () => {
    const t = token('github actions');
    const r = await logOut(`${t.header},${emu.demoToken}`);
    assert.equal((r.json.data?.logOut as Obj).ok, true);
    assert.ok(token('github actions').revokedAt);
    assert.ok(refused(await viewer(`Bearer ${emu.demoToken}`)));
  });

  it('a revoked, expired or unknown token gets the unauthorized answer and changes nothing', async () => {
    const before = JSON.stringify(emu.world.tokens().map((x) => [x.id, x.revokedAt]));
    for (const mode of ['graphql', 'http401'] as const) {
      emu.modes.unauthorized = mode;
      for (const name of ['leaked in a log', 'old laptop']) assert.ok(refused(await logOut(token(name).header)), `${name} (${mode})`);
      assert.ok(refused(await logOut('FlyV1 fm2_bm90IGEgdG9rZW4=')), mode);
      assert.ok(refused(await logOut('Bearer fo1_unknown')), mode);
    }
    assert.equal(JSON.stringify(emu.world.tokens().map((x) => [x.id, x.revokedAt])), before);
  });

  it('can answer ok: false (refuseLogOut) and then ends nothing', async () => {
    emu.world.refuseLogOut = true;
    const t = token('staging deploy');
    const r = await logOut(t.header);
    assert.deepEqual(r.json, { data: { logOut: { ok: false } } });
    assert.equal(token('staging deploy').revokedAt, null);
  });

  it('members: roles and join dates; a departed member is gone but their token stays', async () => {
    const r = await postGraphql(emu.url, `Bearer ${emu.demoToken}`, MEMBERS, { slug: 'acme' });
    type Members = { totalCount: number; edges: { role: string; joinedAt: string; node: { email: string } }[] };
    const conn = (r.json.data?.organization as Obj).members as Members;
    assert.deepEqual(conn.edges.map((e) => [e.node.email, e.role]), [
      ['demo@example.com', 'ADMIN'],
      ['alex@example.com', 'MEMBER'],
    ]);
    assert.match(conn.edges[0].joinedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const left = token('nightly backups');
    assert.equal(left.user, DEPARTED_EMAIL);
    assert.equal((await viewer(left.header)).status, 200, "a departed member's token still works");

    emu.world.removeMember('acme', 'alex@example.com');
    emu.world.addMember('acme', DEPARTED_EMAIL, 'admin');
    const again = await postGraphql(emu.url, `Bearer ${emu.demoToken}`, MEMBERS, { slug: 'acme' });
    const edges = ((again.json.data?.organization as Obj).members as Members).edges;
    assert.deepEqual(edges.map((e) => [e.node.email, e.role]), [
      ['demo@example.com', 'ADMIN'],
      [DEPARTED_EMAIL, 'ADMIN'],
    ]);
  });

  it('tokens may not read an organization’s members (a guess)', async () => {
    for (const [name, slug] of [['github actions', 'personal'], ['Org deploy token', 'acme']]) {
      const r = await postGraphql(emu.url, token(name).header, MEMBERS, { slug });
      assert.equal(r.json.data?.organization, null, name);
      assert.match(r.json.errors?.[0]?.message ?? '', /Not authorized/, name);
    }
  });
});
