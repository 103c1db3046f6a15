/**
 * The aescbc and aesgcm providers, in kube's stored formats (k8s.io/apiserver/pkg/storage/value/encrypt/aes):
 * - aescbc: IV (16 random bytes) + AES-CBC ciphertext with PKCS#7 padding; unauthenticated, so a wrong key
 *   usually shows as bad padding and occasionally as garbage (kube recommends against it for that reason).
 * - aesgcm: nonce (12 random bytes) + ciphertext + 16-byte tag, the storage key as additional authenticated
 *   data. Random nonces: rotate a key well before 2^32 writes (NIST SP 800-38D).
 * Key sizes 16, 24 or 32 bytes pick AES-128, -192 or -256.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ValueTransformer } from './value.js';

const BLOCK = 16;
const GCM_NONCE = 12;
const GCM_TAG = 16;

function bits(key: Buffer): 128 | 192 | 256 {
  if (key.length === 16) return 128;
  if (key.length === 24) return 192;
  if (key.length === 32) return 256;
  throw new Error(`crypto/aes: invalid key size ${key.length}`);
}

export function aesCbcTransformer(key: Buffer): ValueTransformer {
  const algo = `aes-${bits(key)}-cbc`;
  return {
    toStorage(plain) {
      const iv = randomBytes(BLOCK);
      const c = createCipheriv(algo, key, iv);
      return Buffer.concat([iv, c.update(plain), c.final()]);
    },
    fromStorage(stored) {
      if (stored.length < BLOCK) throw new Error('the stored data was shorter than the required size');
      const body = stored.subarray(BLOCK);
      if (body.length % BLOCK !== 0) throw new Error('the stored data is not a multiple of the block size');
      if (body.length === 0) throw new Error('invalid PKCS7 data (empty or not padded)');
      const d = createDecipheriv(algo, key, stored.subarray(0, BLOCK));
      try {
        return { plain: Buffer.concat([d.update(body), d.final()]), stale: false };
      } catch {
        throw new Error('invalid padding on input');
      }
    },
  };
}

export function aesGcmTransformer(key: Buffer): ValueTransformer {
  const algo = `aes-${bits(key)}-gcm` as const;
  return {
    toStorage(plain, storageKey) {
      const nonce = randomBytes(GCM_NONCE);
      const c = createCipheriv(algo, key, nonce);
      c.setAAD(Buffer.from(storageKey));
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    fromStorage(stored, storageKey) {
      if (stored.length < GCM_NONCE) throw new Error('the stored data was shorter than the required size');
      if (stored.length < GCM_NONCE + GCM_TAG) throw new Error('cipher: message authentication failed');
      const d = createDecipheriv(algo, key, stored.subarray(0, GCM_NONCE));
      d.setAAD(Buffer.from(storageKey));
      d.setAuthTag(stored.subarray(stored.length - GCM_TAG));
      try {
        return { plain: Buffer.concat([d.update(stored.subarray(GCM_NONCE, stored.length - GCM_TAG)), d.final()]), stale: false };
      } catch {
        // wrong key, tampered value, or a value copied from another key
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}
