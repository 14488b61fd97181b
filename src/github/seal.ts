// libsodium's sealed box (crypto_box_seal), which GitHub requires for Actions secrets, on tweetnacl + blake2b:
// a fresh Curve25519 key pair per message, nonce = BLAKE2b-192(ephemeral pk ‖ recipient pk),
// output = ephemeral pk ‖ crypto_box(message). Loaded lazily (its own file in dist/), so activation doesn't pay for it.
import nacl from 'tweetnacl';
import { blake2b } from 'blakejs';

/** Seals `value` (UTF-8) to a base64 Curve25519 public key; returns base64, as GitHub's API expects. */
export function sealSecret(value: string, recipientKeyBase64: string): string {
  const recipient = Buffer.from(recipientKeyBase64, 'base64');
  if (recipient.length !== nacl.box.publicKeyLength || recipient.toString('base64') !== recipientKeyBase64.trim()) {
    throw new Error('GitHub sent a public key that is not a 32-byte base64 key; the secret was not sent.');
  }
  const ephemeral = nacl.box.keyPair();
  const nonceInput = new Uint8Array(64);
  nonceInput.set(ephemeral.publicKey, 0);
  nonceInput.set(recipient, 32);
  const nonce = blake2b(nonceInput, undefined, nacl.box.nonceLength);
  const message = Buffer.from(value, 'utf8');
  const boxed = nacl.box(message, nonce, recipient, ephemeral.secretKey);
  // The ephemeral secret key is what could open the box: don't leave it around.
  ephemeral.secretKey.fill(0);
  message.fill(0);
  const out = new Uint8Array(32 + boxed.length);
  out.set(ephemeral.publicKey, 0);
  out.set(boxed, 32);
  return Buffer.from(out).toString('base64');
}
