// The macaroon codec against bytes written out by hand from how Go's vmihailenco/msgpack v5 encodes superfly/macaroon
// structs (arrays for structs, smallest ints, bin for []byte, sorted resource-set maps), and round trips.
import { strict as assert } from 'assert';
import { createHmac } from 'crypto';
import {
  Action,
  Caveat,
  Location,
  MacaroonFormatError,
  addThirdParty,
  attenuate,
  attenuatePart,
  caveatsOfType,
  decodeMacaroon,
  encodeCaveats,
  encodeMacaroon,
  expiration,
  formatMacaroonPart,
  mintDischarge,
  mintMacaroon,
  parseMacaroonPart,
  verifyMacaroon,
} from '../../src/fly/macaroon';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hmac = (key: Uint8Array, data: Uint8Array): Uint8Array =>
  new Uint8Array(createHmac('sha256', key).update(data).digest());

const KEY = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const TP_KEY = hex('ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100');

// Each caveat as Go writes its [type, body] pair.
const PAIRS: { caveat: Caveat; pair: string }[] = [
  { caveat: { type: 'Organization', id: 123, mask: Action.All }, pair: '00 92 7b 1f' },
  {
    caveat: { type: 'Apps', apps: new Map([[3, Action.All], [1, Action.Read], [300, Action.Write]]) },
    pair: '03 91 83 01 01 03 1f cd012c 02',
  },
  {
    caveat: { type: 'ValidityWindow', notBefore: 1700000000, notAfter: 1800000000 },
    pair: '04 92 ce6553f100 ce6b49d200',
  },
  { caveat: { type: 'Mutations', mutations: ['foo'] }, pair: '06 91 91 a3666f6f' },
  { caveat: { type: 'IsUser', id: 70000 }, pair: '0a 91 ce00011170' },
  { caveat: { type: 'BindToParentToken', binding: hex('010203') }, pair: '0c c403010203' },
  {
    caveat: { type: 'IfPresent', ifs: [{ type: 'Apps', apps: new Map() }], elseAction: Action.Read },
    pair: '0d 92 92 03 91 80 01',
  },
  {
    caveat: { type: 'FeatureSet', features: new Map([['wg', Action.All], ['builder', Action.Read]]) },
    pair: '05 91 82 a7 6275696c646572 01 a2 7767 1f',
  },
  {
    caveat: { type: 'Commands', commands: [{ args: ['ls', '-la'], exact: false }, { args: ['id'], exact: true }] },
    pair: '1b 92 92 92 a26c73 a32d6c61 c2 92 91 a26964 c3',
  },
  { caveat: { type: 'IsMember' }, pair: '16 90' },
  { caveat: { type: 'AllowedRoles', roles: 0xffffffff }, pair: '1e ceffffffff' },
  { caveat: { type: 'Action', action: Action.Read }, pair: '1a 01' },
  { caveat: { type: 'FlySrc', organization: 'foo', app: 'bar', instance: 'baz' }, pair: '1f 93 a3666f6f a3626172 a362617a' },
];

// A whole macaroon: [ [kid, rnd, false], "loc", [pairs…], tail ] with a chain computed here from the pieces.
function handMadeMacaroon(pairs: string[]): { bytes: Uint8Array; tail: Uint8Array } {
  const nonce = hex('93 c403 6b6964 c410 000102030405060708090a0b0c0d0e0f c2');
  let tail = hmac(KEY, nonce);
  for (const pair of pairs) tail = hmac(tail, hex(`92 ${pair}`));
  const n = pairs.length * 2;
  const caveatHeader = n < 16 ? (0x90 | n).toString(16) : `dc ${n.toString(16).padStart(4, '0')}`;
  const bytes = hex(`94 ${toHex(nonce)} a3 6c6f63 ${caveatHeader} ${pairs.join(' ')} c420 ${toHex(tail)}`);
  return { bytes, tail };
}

function withoutRaw(caveat: Caveat): Caveat {
  const { raw: _raw, ...value } = caveat;
  return value.type === 'IfPresent' ? { ...value, ifs: value.ifs.map(withoutRaw) } : value;
}

describe('macaroon codec (superfly/macaroon format)', () => {
  it('writes each caveat exactly as Go does', () => {
    for (const { caveat, pair } of PAIRS) {
      assert.equal(toHex(encodeCaveats([caveat])), toHex(hex(`92 ${pair}`)), caveat.type);
    }
  });

  it('reads each caveat back to the same value', () => {
    for (const { caveat, pair } of PAIRS) {
      const decoded = decodeMacaroon(handMadeMacaroon([pair]).bytes).caveats[0];
      assert.deepEqual(withoutRaw(decoded), caveat, caveat.type);
      assert.equal(toHex(decoded.raw ?? new Uint8Array()), toHex(hex(pair)));
    }
  });

  it('decode → encode is byte-identical, unknown caveat types and non-canonical ints included', () => {
    const pairs = [
      // (no BindToParentToken: in a permission token it has no parent to match, and fails verification as in Go)
      ...PAIRS.filter((p) => p.caveat.type !== 'BindToParentToken').map((p) => p.pair),
      'cf0001000000000000 93 01 c0 a178', // a user-defined type number with a nil and a string
      '0a 91 cf0000000000000005', // IsUser written with a 64-bit int by some other writer
      '03 91 82 02 1f 01 01', // Apps with keys out of order
    ];
    const { bytes, tail } = handMadeMacaroon(pairs);
    const macaroon = decodeMacaroon(bytes);
    assert.equal(toHex(encodeMacaroon(macaroon)), toHex(bytes));
    assert.equal(macaroon.location, 'loc');
    assert.equal(toHex(macaroon.nonce.kid), '6b6964');
    assert.equal(macaroon.nonce.proof, false);
    const unknown = macaroon.caveats[PAIRS.length - 1];
    assert.equal(unknown.type, 'Unknown');
    assert.equal(unknown.type === 'Unknown' && unknown.code, 1n << 48n);
    assert.ok(verifyMacaroon(macaroon, KEY).ok, 'the chain computed here by hand verifies');
    assert.equal(toHex(macaroon.tail), toHex(tail));
    const part = formatMacaroonPart(macaroon);
    assert.ok(part.startsWith('fm2_'));
    assert.equal(toHex(encodeMacaroon(parseMacaroonPart(part))), toHex(bytes));
    assert.equal(toHex(encodeMacaroon(parseMacaroonPart(part.replace('fm2_', 'fm1r_')))), toHex(bytes));
  });

  it('keeps a 2-field (v0) nonce as it was', () => {
    const bytes = hex('94 92 c40101 c40102 a0 90 c400');
    assert.equal(toHex(encodeMacaroon(decodeMacaroon(bytes))), toHex(bytes));
    assert.equal(decodeMacaroon(bytes).nonce.proof, undefined);
  });

  it('refuses what is not a macaroon with a MacaroonFormatError', () => {
    for (const bad of ['fm2_', 'fm2_!!!!', 'fm2_AAAA', 'fo1_abc', `fm2_${Buffer.from(hex('94 92 c40101')).toString('base64')}`]) {
      assert.throws(() => parseMacaroonPart(bad), MacaroonFormatError, bad);
    }
    assert.throws(() => decodeMacaroon(hex('94 92 c40101 c40102 a0 93 00 90 c400')), MacaroonFormatError, 'odd caveat list');
    assert.throws(() => decodeMacaroon(hex('94 92 c40101 c40102 a0 92 00 91 01 c400')), MacaroonFormatError, 'bad Organization');
  });

  it('expiration is the earliest NotAfter, IfPresent ones included (Go GetCaveats)', () => {
    const m = mintMacaroon(hex('01'), Location.Permission, KEY, [
      { type: 'ValidityWindow', notBefore: 0, notAfter: 2000 },
      { type: 'IfPresent', ifs: [{ type: 'ValidityWindow', notBefore: 0, notAfter: 1500 }], elseAction: Action.All },
    ]);
    assert.equal(expiration(m), 1500);
    assert.equal(expiration(mintMacaroon(hex('01'), Location.Permission, KEY, [])), null);
  });

  it('attenuation extends the chain without the key, and the key verifies it', () => {
    const base = formatMacaroonPart(
      mintMacaroon(hex('6b6964'), Location.Permission, KEY, [
        { type: 'Organization', id: 7, mask: Action.All },
        { type: 'ValidityWindow', notBefore: 1, notAfter: 2 ** 40 },
      ]),
    );
    const narrowed = attenuatePart(base, [
      { type: 'Organization', id: 7, mask: Action.Read },
      { type: 'Organization', id: 7, mask: Action.All }, // already there: skipped, as Go dedups
    ]);
    const m = parseMacaroonPart(narrowed);
    assert.equal(m.caveats.length, 3);
    const result = verifyMacaroon(m, KEY);
    assert.ok(result.ok);
    assert.deepEqual(caveatsOfType(m.caveats, 'Organization').map((c) => c.mask), [Action.All, Action.Read]);
    assert.equal(verifyMacaroon(m, hex('00'.repeat(32))).ok, false, 'another key does not verify');
  });

  it('a caveat removed, reordered or altered fails verification', () => {
    const m = mintMacaroon(hex('6b6964'), Location.Permission, KEY, [
      { type: 'Organization', id: 7, mask: Action.All },
      { type: 'Apps', apps: new Map([[42, Action.All]]) },
      { type: 'ValidityWindow', notBefore: 1, notAfter: 2 ** 40 },
    ]);
    assert.ok(verifyMacaroon(decodeMacaroon(encodeMacaroon(m)), KEY).ok);
    const [org, apps, window] = m.caveats;
    const variants: Record<string, Caveat[]> = {
      removed: [org, window],
      'removed last': [org, apps],
      reordered: [apps, org, window],
      altered: [org, { type: 'Apps', apps: new Map([[43, Action.All]]) }, window],
      widened: [org, apps, { type: 'ValidityWindow', notBefore: 1, notAfter: 2 ** 41 }],
    };
    for (const [name, caveats] of Object.entries(variants)) {
      const forged = decodeMacaroon(encodeMacaroon({ ...m, caveats }));
      assert.equal(verifyMacaroon(forged, KEY).ok, false, name);
    }
    const flipped = encodeMacaroon(m);
    flipped[flipped.length - 1] ^= 1;
    assert.equal(verifyMacaroon(decodeMacaroon(flipped), KEY).ok, false, 'altered tail');
  });

  it('third-party caveats need their discharge, and a discharge cannot be edited', () => {
    const perm = addThirdParty(
      mintMacaroon(hex('6b6964'), Location.Permission, KEY, [{ type: 'Organization', id: 7, mask: Action.All }]),
      TP_KEY,
      Location.Authentication,
      [{ type: 'ConfineOrganization', id: 7 }],
    );
    const tp = caveatsOfType(perm.caveats, 'ThirdParty')[0];
    assert.equal(tp.location, Location.Authentication);
    assert.equal(verifyMacaroon(perm, KEY).ok, false, 'no discharge');
    const discharge = mintDischarge(tp.ticket ?? new Uint8Array(), TP_KEY, Location.Authentication, [
      { type: 'ValidityWindow', notBefore: 0, notAfter: 99 },
    ]);
    assert.ok(discharge);
    const roundTripped = parseMacaroonPart(formatMacaroonPart(discharge));
    const result = verifyMacaroon(perm, KEY, [roundTripped]);
    assert.ok(result.ok);
    assert.ok(result.ok && result.caveats.some((c) => c.type === 'ValidityWindow'), 'discharge caveats are returned');
    const stripped = decodeMacaroon(encodeMacaroon({ ...roundTripped, caveats: [] }));
    assert.equal(verifyMacaroon(perm, KEY, [stripped]).ok, false, 'discharge with its caveat removed');
    assert.ok(verifyMacaroon(perm, KEY, [attenuate(roundTripped, [{ type: 'IsMember' }])]).ok, 'attenuated discharge');
    assert.equal(mintDischarge(tp.ticket ?? new Uint8Array(), KEY, Location.Authentication), null, 'wrong 3P key');
  });
});
