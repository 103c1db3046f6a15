import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ecPem, rsaPem } from './fixtures.test-data.js';
import { keyIdOf, loadPublicKeys, loadSigningKey, parsePublicKeysPem, parseSigningKeyPem, PublicKeySet } from './keys.js';

// A throwaway P-256 key and its kid, computed independently:
//   openssl pkey -in ec.pem -pubout -outform DER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
const EC_KEY = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEILjubcnq6wRt48joiZnaxUBPFcK3KMMkJGOt7bLiqJpBoAoGCCqGSM49
AwEHoUQDQgAEhFry5Ej9GHbTQ9cZZmlG1GaY/xJjjaEvW9m4C+mE1UGMzN0l6lSH
Yev33iTdF4lHRp4QHiFItfgITQi7XcomWA==
-----END EC PRIVATE KEY-----
`;
const EC_KID = 'VLCSTMIkhhOAtR_5GqqBmANajjS-5y9bOVcvRuXSKbU';

// openssl req -new -x509 -key ec.pem -subj /CN=sa-test -days 36500
const EC_CERT = `-----BEGIN CERTIFICATE-----
MIIBezCCASGgAwIBAgIUOU3VQiOWWaRm+nS62Te2AR2rOg8wCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHc2EtdGVzdDAgFw0yNjEyMDcwMjAwMzlaGA8yMTI2MTExMzAy
MDAzOVowEjEQMA4GA1UEAwwHc2EtdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABIRa8uRI/Rh200PXGWZpRtRmmP8SY42hL1vZuAvphNVBjMzdJepUh2Hr994k
3ReJR0aeEB4hSLX4CE0Iu13KJlijUzBRMB0GA1UdDgQWBBQb2ux7Ar0CPN2rGDdq
QZYMnAsV1jAfBgNVHSMEGDAWgBQb2ux7Ar0CPN2rGDdqQZYMnAsV1jAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCICwpT8h6PwiCI0m7tFp7t5gGzg3j
6M3lxFV8J0AYRA0rAiEA610BIccgj1lsfz+oOTqqMEDA0BUc+r05qY2mKr1YpUE=
-----END CERTIFICATE-----
`;

const EC_PARAMETERS = `-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
`;

describe('signing key', () => {
  it('computes the key id as kube does (sha256 of the PKIX DER, base64url without padding)', () => {
    const key = parseSigningKeyPem(EC_KEY);
    expect(key.keyId).toBe(EC_KID);
    expect(key.alg).toBe('ES256');
    expect(keyIdOf(createPublicKey(EC_KEY))).toBe(EC_KID);
  });

  it('reads RSA (PKCS#1 and PKCS#8) as RS256 and EC curves as ES256/384/512, skipping EC PARAMETERS', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(parseSigningKeyPem(rsa.export({ type: 'pkcs1', format: 'pem' }) as string).alg).toBe('RS256');
    expect(parseSigningKeyPem(rsa.export({ type: 'pkcs8', format: 'pem' }) as string).alg).toBe('RS256');
    expect(parseSigningKeyPem(EC_PARAMETERS + EC_KEY).keyId).toBe(EC_KID);
    expect(parseSigningKeyPem(ecPem('secp384r1')).alg).toBe('ES384');
    expect(parseSigningKeyPem(ecPem('secp521r1')).alg).toBe('ES512');
  });

  it('rejects files without an RSA or EC private key with kube\'s messages', () => {
    const pub = createPublicKey(EC_KEY).export({ type: 'spki', format: 'pem' }) as string;
    expect(() => parseSigningKeyPem(pub)).toThrow('data does not contain a valid RSA or ECDSA private key');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => parseSigningKeyPem(ed)).toThrow('unknown private key type in PKCS#8 wrapping');
    expect(() => parseSigningKeyPem(ecPem('secp256k1'))).toThrow('unknown private key curve, must be 256, 384, or 521');
  });
});

describe('verification keys', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'sa-keys-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads every key block of every file; private keys become their public key', async () => {
    const rsa = rsaPem();
    const rsaPub = createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string;
    const one = path.join(dir, 'one.pem');
    const two = path.join(dir, 'two.pem');
    await writeFile(one, `${rsaPub}junk between blocks\n${EC_PARAMETERS}${EC_KEY}`);
    await writeFile(two, rsa);
    const keys = await loadPublicKeys([one, two]);
    expect(keys.map((k) => k.alg)).toEqual(['RS256', 'ES256', 'RS256']);
    expect(keys[1]!.keyId).toBe(EC_KID);
    expect(keys[2]!.keyId).toBe(keys[0]!.keyId);
    for (const k of keys) expect(k.key.type).toBe('public');
  });

  it('reads the public key of a certificate', () => {
    const keys = parsePublicKeysPem(EC_CERT);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.keyId).toBe(EC_KID);
  });

  it('fails on a file with no key, naming it', async () => {
    const file = path.join(dir, 'none.pem');
    await writeFile(file, EC_PARAMETERS);
    await expect(loadPublicKeys([file])).rejects.toThrow(`error reading public key file ${file}: data does not contain any valid RSA or ECDSA public keys`);
    await expect(loadSigningKey(file)).rejects.toThrow(`error reading private key file ${file}: data does not contain a valid RSA or ECDSA private key`);
  });

  it('selects keys by kid, or all of them for a token without one', () => {
    const [a] = parsePublicKeysPem(rsaPem());
    const [b] = parsePublicKeysPem(EC_KEY);
    const set = new PublicKeySet([a!, b!]);
    expect(set.forKeyId(undefined)).toHaveLength(2);
    expect(set.forKeyId(EC_KID)).toEqual([b]);
    expect(set.forKeyId('unknown')).toEqual([]);
  });
});
