// fly-go's pruning rules (tokens/tokens.go pruneBadMacaroons, 22d6e51) on real macaroons, and the emulator's
// refusal of macaroons edited by hand.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pruneCredential } from '../../src/fly/bundle';
import { Action, Location, attenuatePart, decodeMacaroon, encodeMacaroon, formatMacaroonPart, mintMacaroon, parseMacaroonPart } from '../../src/fly/macaroon';
import { startEmulator, type Emulator } from '../emulator';
import { GET_CURRENT_USER } from '../emulator/flyctlDocuments';
import { postGraphql } from '../emulator/testRequests';
import { testToken } from './support/macaroons';

const now = Math.floor(Date.now() / 1000);

describe('credential pruning as fly-go does it', () => {
  it('keeps live permission macaroons, their discharges and user tokens, in order', () => {
    const t = testToken();
    const pruned = pruneCredential(`FlyV1 ${t.permission},${t.discharge},fo1_user`);
    assert.deepEqual(pruned, { parts: [t.permission, t.discharge, 'fo1_user'], dropped: 0 });
  });

  it('drops an expired macaroon and the discharge only it needed; the user token stays', () => {
    const dead = testToken({ notBefore: now - 3600, notAfter: now - 1 });
    const live = testToken();
    const pruned = pruneCredential(`${dead.permission},${dead.discharge},${live.header.slice(6)},fo1_user`);
    assert.deepEqual(pruned.parts, [live.permission, live.discharge, 'fo1_user']);
    assert.equal(pruned.dropped, 2);
  });

  it('an expiry inside an IfPresent counts (Go GetCaveats)', () => {
    const t = testToken({}, [{ type: 'IfPresent', ifs: [{ type: 'ValidityWindow', notBefore: 0, notAfter: now - 5 }], elseAction: Action.All }]);
    assert.deepEqual(pruneCredential(t.header).parts, []);
  });

  it('drops what does not decode, and discharges no kept permission macaroon asks for', () => {
    const a = testToken();
    const b = testToken();
    const pruned = pruneCredential(`fm2_bm90IGEgbWFjYXJvb24=,fm2_!!,${a.permission},${a.discharge},${b.discharge},fo1_user`);
    assert.deepEqual(pruned.parts, [a.permission, a.discharge, 'fo1_user']);
    assert.equal(pruned.dropped, 3);
  });

  it('drops an authentication discharge with less than a minute left (advancePrune), before it expires', () => {
    const t = testToken({ notAfter: now + 30 });
    const pruned = pruneCredential(t.header);
    assert.deepEqual(pruned.parts, [t.permission], 'the permission macaroon itself is still good for 30 s');
  });

  it('a macaroon without a validity window never expires; a credential of expired parts only leaves nothing', () => {
    const forever = formatMacaroonPart(mintMacaroon(new Uint8Array([1]), Location.Permission, new Uint8Array(32), []));
    assert.deepEqual(pruneCredential(forever).parts, [forever]);
    const dead = testToken({ notBefore: now - 3600, notAfter: now - 1 });
    assert.deepEqual(pruneCredential(dead.header), { parts: [], dropped: 2 });
  });
});

describe('emulator: macaroons checked as Fly would', function () {
  this.timeout(20_000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  const works = async (header: string) => {
    const res = await postGraphql(emu.url, header, GET_CURRENT_USER);
    return res.json.data !== null && res.json.data !== undefined && !res.json.errors?.length;
  };

  it('mints deploy tokens as a permission macaroon (organization, app, validity window, 3P) and its discharge', () => {
    const t = emu.world.addToken({ app: 'demo-app', name: 'x', expiresAt: new Date(Date.now() + 3_600_000) });
    const [perm, discharge] = t.header.replace(/^FlyV1 /, '').split(',').map(parseMacaroonPart);
    assert.equal(perm.location, Location.Permission);
    assert.deepEqual(perm.caveats.map((c) => c.type), ['Organization', 'Apps', 'ValidityWindow', 'ThirdParty']);
    assert.equal(discharge.location, Location.Authentication);
    const tp = perm.caveats[3];
    assert.ok(tp.type === 'ThirdParty' && Buffer.from(tp.ticket!).equals(Buffer.from(discharge.nonce.kid)));
  });

  it('a token works; with a caveat removed, reordered or changed it is refused; attenuated it still works', async () => {
    const { header } = emu.world.addToken({ app: 'demo-app', name: 'x' });
    const [permPart, dischargePart] = header.replace(/^FlyV1 /, '').split(',');
    assert.ok(await works(header));
    const perm = parseMacaroonPart(permPart);
    const [org, apps, window, tp] = perm.caveats;
    const edits = {
      removed: [org, window, tp],
      reordered: [apps, org, window, tp],
      changed: [org, { type: 'Apps' as const, apps: new Map([[999, Action.All]]) }, window, tp],
      widened: [org, apps, { type: 'ValidityWindow' as const, notBefore: 0, notAfter: now + 10 ** 9 }, tp],
    };
    for (const [name, caveats] of Object.entries(edits)) {
      const forged = formatMacaroonPart(decodeMacaroon(encodeMacaroon({ ...perm, caveats })));
      assert.equal(await works(`FlyV1 ${forged},${dischargePart}`), false, name);
    }
    const narrowed = attenuatePart(permPart, [{ type: 'Organization', id: 1, mask: Action.Read }]);
    assert.ok(await works(`FlyV1 ${narrowed},${dischargePart}`), 'attenuated by its holder');
    assert.equal(await works(`FlyV1 ${permPart}`), false, 'without its discharge');
    const other = formatMacaroonPart({ ...perm, nonce: { ...perm.nonce, kid: new Uint8Array(randomBytes(16)) } });
    assert.equal(await works(`FlyV1 ${other},${dischargePart}`), false, 'a key id Fly never issued');
  });

  it('an expired or revoked token is refused by its macaroon and its record', async () => {
    const expired = emu.world.addToken({ app: 'demo-app', name: 'old', createdAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 1000) });
    assert.equal(await works(expired.header), false);
    const t = emu.world.addToken({ app: 'demo-app', name: 'x' });
    emu.world.revoke(emu.world.tokenById(t.id)!, 'demo@example.com');
    assert.equal(await works(t.header), false);
  });
});
