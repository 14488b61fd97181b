import * as assert from 'assert';
import sodium from 'libsodium-wrappers';
import { sealSecret } from '../../src/github/seal';

// The product seals with tweetnacl + blake2b; libsodium (what GitHub uses) must open it.
describe('sealed box (tweetnacl + blake2b) opened by libsodium', () => {
  before(() => sodium.ready);

  const values = ['FlyV1 fm2_lJPECAAAAAAAAAAAxBAbcd,fm2_lJPEtest', '', 'ü ✓ multi\nline', 'x'.repeat(5000)];
  for (const value of values) {
    it(`round-trips a ${value.length}-character value`, () => {
      const kp = sodium.crypto_box_keypair();
      const sealed = sealSecret(value, sodium.to_base64(kp.publicKey, sodium.base64_variants.ORIGINAL));
      const bytes = Buffer.from(sealed, 'base64');
      assert.strictEqual(bytes.length, value.length === 0 ? 48 : Buffer.byteLength(value) + sodium.crypto_box_SEALBYTES);
      const opened = sodium.crypto_box_seal_open(bytes, kp.publicKey, kp.privateKey);
      assert.strictEqual(Buffer.from(opened).toString('utf8'), value);
    });
  }

  it('uses a fresh ephemeral key each time', () => {
    const kp = sodium.crypto_box_keypair();
    const pk = sodium.to_base64(kp.publicKey, sodium.base64_variants.ORIGINAL);
    const a = sealSecret('same', pk);
    const b = sealSecret('same', pk);
    assert.notStrictEqual(a, b);
    assert.notStrictEqual(a.slice(0, 43), b.slice(0, 43));
  });

  it('cannot be opened with another key pair', () => {
    const kp = sodium.crypto_box_keypair();
    const other = sodium.crypto_box_keypair();
    const sealed = sealSecret('secret', sodium.to_base64(kp.publicKey, sodium.base64_variants.ORIGINAL));
    assert.throws(() => sodium.crypto_box_seal_open(Buffer.from(sealed, 'base64'), other.publicKey, other.privateKey));
  });

  it('refuses a key that is not 32 bytes of base64', () => {
    assert.throws(() => sealSecret('v', Buffer.alloc(31).toString('base64')), /not a 32-byte base64 key/);
    assert.throws(() => sealSecret('v', 'not base64!'), /not a 32-byte base64 key/);
  });
});
