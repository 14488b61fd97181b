import * as assert from 'node:assert/strict';
import { credentialOf, parsePastedToken, sharesPartWith } from '../../src/fly/pastedToken';

const M1 = 'fm2_lJPECAAAAAAAAJ2uxBB2m3Qf+vB/Zx9==';
const M2 = 'fm2_lJPEThnhJL3uyvAX0dbKyW8=';
const U = 'fo1_AbC-dEf_0123456789';

describe('a pasted token', () => {
  const ok = (text: string) => {
    const r = parsePastedToken(text);
    assert.ok(r.ok, `${text.slice(0, 40)} → ${JSON.stringify(r)}`);
    return r;
  };

  it('reads the forms flyctl prints and people paste', () => {
    const forms = [
      `FlyV1 ${M1},${M2}`,
      `${M1},${M2}`,
      ` flyv1 ${M1}, ${M2}\n`,
      `Authorization: FlyV1 ${M1},${M2}`,
      `FLY_API_TOKEN="FlyV1 ${M1},${M2}"`,
      `export FLY_API_TOKEN='FlyV1 ${M1},${M2}'`,
      `"${M1},${M2}"`,
    ];
    for (const text of forms) {
      const r = ok(text);
      assert.equal(r.kind, 'macaroons');
      assert.equal(r.macaroons, 2);
      assert.equal(credentialOf(r), `${M1},${M2}`);
    }
    assert.equal(ok('fm1r_abc').kind, 'macaroons');
  });

  it('tells an auth token (new, Bearer, old hex) and a bundle holding one', () => {
    assert.equal(ok(U).kind, 'authToken');
    assert.equal(ok(`Bearer ${U}`).kind, 'authToken');
    assert.equal(ok('0123456789abcdef0123456789abcdef0123').kind, 'authToken');
    const bundle = ok(`FlyV1 ${M1},${U}`);
    assert.deepEqual([bundle.kind, bundle.macaroons, bundle.authTokens], ['bundle', 1, 1]);
  });

  it('refuses what is not a Fly token, saying why, without keeping it', () => {
    assert.deepEqual(parsePastedToken('   '), { ok: false, problem: 'empty' });
    assert.deepEqual(parsePastedToken('FlyV1 '), { ok: false, problem: 'empty' });
    assert.deepEqual(parsePastedToken('""'), { ok: false, problem: 'empty' });
    assert.deepEqual(parsePastedToken('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), { ok: false, problem: 'notFly' });
    assert.deepEqual(parsePastedToken(`${M1},fm2_abc def`), { ok: false, problem: 'broken' });
    assert.deepEqual(parsePastedToken(`${M1},hello world`), { ok: false, problem: 'notFly' });
    assert.deepEqual(parsePastedToken('fm2_abc\ndef'), { ok: false, problem: 'broken' });
    assert.deepEqual(parsePastedToken('{"token": "x"}'), { ok: false, problem: 'notFly' });
    assert.deepEqual(parsePastedToken('FM2_abc'), { ok: false, problem: 'notFly' }, 'prefixes are case-sensitive, as flyctl reads them');
    assert.deepEqual(parsePastedToken(`fm2_${'a'.repeat(70_000)}`), { ok: false, problem: 'tooLong' });
    for (const r of [parsePastedToken('ghp_secretvalue'), parsePastedToken('fm2_x y')]) assert.ok(!JSON.stringify(r).includes('secret') && !JSON.stringify(r).includes('fm2_'));
  });

  it('knows when it holds part of the extension’s own sign-in', () => {
    const bundle = ok(`FlyV1 ${M1},${U}`);
    assert.equal(sharesPartWith(bundle, U), true);
    assert.equal(sharesPartWith(bundle, `Bearer ${U}`), true);
    assert.equal(sharesPartWith(ok(M2), U), false);
    assert.equal(sharesPartWith(ok(M2), undefined), false);
  });
});
