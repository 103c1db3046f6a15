import { describe, expect, it } from 'vitest';
import { parseEncryptionConfig, type EncryptionConfiguration } from './config.js';
import { IDENTITY, transformerFor, ValueTransformError } from './transformer.js';

const KEY = '/registry/secrets/default/s';
const SECRETS = { group: '', resource: 'secrets' };
const plain = Buffer.from('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');
const k = (n: number, size = 32) => Buffer.alloc(size, n).toString('base64');

function cfg(providers: unknown[], resources: string[] = ['secrets']): EncryptionConfiguration {
  return parseEncryptionConfig(JSON.stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources, providers }] }));
}
const aesgcm = (...names: string[]) => ({ aesgcm: { keys: names.map((name, i) => ({ name, secret: k(i + 1) })) } });

describe('transformerFor', () => {
  it('writes with the first provider and its first key, under kube\'s prefix', () => {
    for (const [provider, prefix] of [
      [{ aescbc: { keys: [{ name: 'key1', secret: k(1) }, { name: 'key2', secret: k(2) }] } }, 'k8s:enc:aescbc:v1:key1:'],
      [aesgcm('key1', 'key2'), 'k8s:enc:aesgcm:v1:key1:'],
      [{ secretbox: { keys: [{ name: 'box', secret: k(3) }] } }, 'k8s:enc:secretbox:v1:box:'],
    ] as const) {
      const t = transformerFor(cfg([provider, { identity: {} }]), SECRETS);
      const stored = t.toStorage(plain, KEY);
      expect(stored.subarray(0, prefix.length).toString()).toBe(prefix);
      expect(stored.includes(Buffer.from('aHVudGVyMg=='))).toBe(false);
      expect(t.fromStorage(stored, KEY)).toEqual({ plain, stale: false });
    }
    const id = transformerFor(cfg([{ identity: {} }, aesgcm('key1')]), SECRETS);
    expect(id.toStorage(plain, KEY)).toEqual(plain);
  });

  it('reads a value written with key1 after key2 is put first: stale', () => {
    const v1 = transformerFor(cfg([aesgcm('key1')]), SECRETS).toStorage(plain, KEY);
    const rotated = cfg([{ aesgcm: { keys: [{ name: 'key2', secret: k(2) }, { name: 'key1', secret: k(1) }] } }]);
    const t = transformerFor(rotated, SECRETS);
    expect(t.fromStorage(v1, KEY)).toEqual({ plain, stale: true });
    const v2 = t.toStorage(plain, KEY);
    expect(v2.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key2:')).toBe(true);
    expect(t.fromStorage(v2, KEY)).toEqual({ plain, stale: false });
  });

  it('reads a value of a provider listed later (stale), and plain text only when identity is listed', () => {
    const cbc = { aescbc: { keys: [{ name: 'old', secret: k(4, 16) }] } };
    const oldValue = transformerFor(cfg([cbc]), SECRETS).toStorage(plain, KEY);
    const t = transformerFor(cfg([aesgcm('new'), cbc, { identity: {} }]), SECRETS);
    expect(t.fromStorage(oldValue, KEY)).toEqual({ plain, stale: true });
    expect(t.fromStorage(plain, KEY)).toEqual({ plain, stale: true }); // the upgrade of a plain-text store

    // decrypting away: identity first still reads encrypted values (stale), through the providers after it
    const back = transformerFor(cfg([{ identity: {} }, cbc]), SECRETS);
    expect(back.fromStorage(oldValue, KEY)).toEqual({ plain, stale: true });
    expect(back.fromStorage(plain, KEY)).toEqual({ plain, stale: false });

    const strict = transformerFor(cfg([aesgcm('new')]), SECRETS);
    expect(() => strict.fromStorage(plain, KEY)).toThrow(ValueTransformError);
    expect(() => strict.fromStorage(plain, KEY)).toThrow(`unable to decrypt secrets at "${KEY}": no matching prefix found (the value is not encrypted, and identity is not among the providers configured for it)`);
  });

  it('gives a clear error for a wrong key or an unknown key name', () => {
    const stored = transformerFor(cfg([aesgcm('key1')]), SECRETS).toStorage(plain, KEY);
    const wrong = transformerFor(cfg([{ aesgcm: { keys: [{ name: 'key1', secret: k(9) }] } }]), SECRETS);
    expect(() => wrong.fromStorage(stored, KEY)).toThrow(`unable to decrypt secrets at "${KEY}": cipher: message authentication failed`);
    const other = transformerFor(cfg([aesgcm('key2')]), SECRETS);
    expect(() => other.fromStorage(stored, KEY)).toThrow('no matching key was found for the provided AES transformer');
    const boxed = transformerFor(cfg([{ secretbox: { keys: [{ name: 'b', secret: k(1) }] } }]), SECRETS).toStorage(plain, KEY);
    expect(() => transformerFor(cfg([{ secretbox: { keys: [{ name: 'b', secret: k(2) }] } }]), SECRETS).fromStorage(boxed, KEY))
      .toThrow('secretbox: message authentication failed');
  });

  it('finds the resource exactly, then by *.group, then by *.*; others are not transformed', () => {
    const c = parseEncryptionConfig(JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration',
      resources: [
        { resources: ['secrets'], providers: [aesgcm('s')] },
        { resources: ['*.apps'], providers: [{ secretbox: { keys: [{ name: 'a', secret: k(5) }] } }] },
        { resources: ['*.'], providers: [{ aescbc: { keys: [{ name: 'core', secret: k(6) }] } }] },
      ],
    }));
    const prefix = (group: string, resource: string) => transformerFor(c, { group, resource }).toStorage(plain, KEY).subarray(0, 24).toString('latin1');
    expect(prefix('', 'secrets')).toMatch(/^k8s:enc:aesgcm:v1:s:/);
    expect(prefix('apps', 'deployments')).toMatch(/^k8s:enc:secretbox:v1:a:/);
    expect(prefix('', 'configmaps')).toMatch(/^k8s:enc:aescbc:v1:core:/);
    expect(transformerFor(c, { group: 'coordination.k8s.io', resource: 'leases' })).toBe(IDENTITY);
    expect(transformerFor(c, SECRETS)).toBe(transformerFor(c, SECRETS));
  });
});
