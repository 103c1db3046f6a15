/**
 * The secretbox provider (XSalsa20-Poly1305, NaCl's secretbox) in kube's stored format: nonce (24 random
 * bytes) + box (16-byte Poly1305 tag + ciphertext), with a 32-byte key (encrypt/secretbox).
 */
import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import type { ValueTransformer } from './value.js';

const NONCE = nacl.secretbox.nonceLength; // 24
const OVERHEAD = nacl.secretbox.overheadLength; // 16

export function secretboxTransformer(key: Buffer): ValueTransformer {
  if (key.length !== nacl.secretbox.keyLength) throw new Error(`expected key size 32 for secretbox provider, got ${key.length}`);
  const k = new Uint8Array(key);
  return {
    toStorage(plain) {
      const nonce = randomBytes(NONCE);
      return Buffer.concat([nonce, nacl.secretbox(plain, nonce, k)]);
    },
    fromStorage(stored) {
      if (stored.length < NONCE + OVERHEAD) throw new Error('the stored data was shorter than the required size');
      const out = nacl.secretbox.open(stored.subarray(NONCE), stored.subarray(0, NONCE), k);
      // kube words this "output array was not large enough for encryption"; the cause is a wrong key or bad data
      if (!out) throw new Error('secretbox: message authentication failed');
      return { plain: Buffer.from(out.buffer, out.byteOffset, out.byteLength), stale: false };
    },
  };
}
