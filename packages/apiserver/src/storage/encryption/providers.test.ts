import { createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { aesCbcTransformer, aesGcmTransformer } from './aes.js';
import { identityTransformer } from './identity.js';
import { secretboxTransformer } from './secretbox.js';

const KEY = '/registry/secrets/default/s';
const plain = Buffer.from(JSON.stringify({ kind: 'Secret', data: { password: 'aHVudGVyMg==' } }));

describe('providers', () => {
  it('identity stores as is and refuses encrypted data', () => {
    expect(identityTransformer.toStorage(plain, KEY)).toBe(plain);
    expect(identityTransformer.fromStorage(plain, KEY)).toEqual({ plain, stale: false });
    expect(() => identityTransformer.fromStorage(Buffer.from('k8s:enc:aescbc:v1:k:xxx'), KEY)).toThrow('identity transformer tried to read encrypted data');
  });

  it.each([16, 24, 32])('aescbc round-trips with a %i-byte key, in kube\'s format (IV + CBC/PKCS#7)', (size) => {
    const key = randomBytes(size);
    const t = aesCbcTransformer(key);
    const stored = t.toStorage(plain, KEY);
    expect(stored.length).toBe(16 + Math.ceil((plain.length + 1) / 16) * 16);
    expect(t.fromStorage(stored, KEY)).toEqual({ plain, stale: false });
    // an independent decryption of the same bytes, as Go's cipher.NewCBCDecrypter would do it
    const d = createDecipheriv(`aes-${size * 8}-cbc`, key, stored.subarray(0, 16));
    expect(Buffer.concat([d.update(stored.subarray(16)), d.final()])).toEqual(plain);
    expect(t.toStorage(plain, KEY)).not.toEqual(stored); // random IV
    // unauthenticated: a wrong key almost always fails the padding check, and otherwise yields garbage
    let wrong: unknown;
    try { wrong = aesCbcTransformer(randomBytes(size)).fromStorage(stored, KEY).plain; } catch (err) { wrong = err; }
    if (wrong instanceof Error) expect(wrong.message).toBe('invalid padding on input');
    else expect(wrong).not.toEqual(plain);
    expect(() => t.fromStorage(stored.subarray(0, 8), KEY)).toThrow('the stored data was shorter than the required size');
    expect(() => t.fromStorage(stored.subarray(0, 20), KEY)).toThrow('the stored data is not a multiple of the block size');
  });

  it.each([16, 24, 32])('aesgcm round-trips with a %i-byte key, in kube\'s format (nonce + ciphertext + tag, key as AAD)', (size) => {
    const key = randomBytes(size);
    const t = aesGcmTransformer(key);
    const stored = t.toStorage(plain, KEY);
    expect(stored.length).toBe(12 + plain.length + 16);
    expect(t.fromStorage(stored, KEY)).toEqual({ plain, stale: false });
    const d = createDecipheriv(`aes-${size * 8}-gcm` as CipherGCMTypes, key, stored.subarray(0, 12));
    d.setAAD(Buffer.from(KEY));
    d.setAuthTag(stored.subarray(stored.length - 16));
    expect(Buffer.concat([d.update(stored.subarray(12, stored.length - 16)), d.final()])).toEqual(plain);
    // bound to its key: the same bytes under another key do not decrypt; nor does a wrong key or a flipped bit
    expect(() => t.fromStorage(stored, '/registry/secrets/default/other')).toThrow('cipher: message authentication failed');
    expect(() => aesGcmTransformer(randomBytes(size)).fromStorage(stored, KEY)).toThrow('cipher: message authentication failed');
    const tampered = Buffer.from(stored);
    tampered[20] ^= 1;
    expect(() => t.fromStorage(tampered, KEY)).toThrow('cipher: message authentication failed');
  });

  it('secretbox round-trips in NaCl\'s format (nonce + box)', () => {
    const key = randomBytes(32);
    const t = secretboxTransformer(key);
    const stored = t.toStorage(plain, KEY);
    expect(stored.length).toBe(24 + 16 + plain.length);
    expect(t.fromStorage(stored, KEY)).toEqual({ plain, stale: false });
    const opened = nacl.secretbox.open(stored.subarray(24), stored.subarray(0, 24), key);
    expect(Buffer.from(opened!)).toEqual(plain);
    expect(() => secretboxTransformer(randomBytes(32)).fromStorage(stored, KEY)).toThrow('secretbox: message authentication failed');
    expect(() => secretboxTransformer(randomBytes(16))).toThrow('expected key size 32 for secretbox provider, got 16');
  });
});
