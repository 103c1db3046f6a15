/**
 * Encryption at rest through the real Storage: what etcd holds is ciphertext, what get/list/watch return is
 * the object; key rotation and the upgrade of a plain-text store via rewriteStale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { waitFor } from '@tinykube/testkit';
import type { KubeObject } from '@tinykube/api';
import { parseFilter } from '../../selectors.js';
import type { CacheEvent, WatchSink } from '../../watchcache.js';
import { listObjects } from '../list.js';
import { Storage } from '../storage.js';
import { parseEncryptionConfig, type EncryptionConfiguration } from './config.js';
import { rewriteStale } from './rewrite.js';
import { FakeEtcd as MemoryEtcd } from '../../../test/fake-etcd.js';


const log = pino({ level: 'silent' });
const key = (n: number) => Buffer.alloc(32, n).toString('base64');

function encryption(providers: unknown[]): EncryptionConfiguration {
  return parseEncryptionConfig(JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers }],
  }));
}
const gcm = (...names: [string, number][]) => ({ aesgcm: { keys: names.map(([name, n]) => ({ name, secret: key(n) })) } });

const storages: Storage[] = [];
afterEach(() => { for (const s of storages.splice(0)) s.stop(); });

function storageOn(etcd: MemoryEtcd, enc?: EncryptionConfiguration): Storage {
  const s = new Storage({
    etcd: etcd.asClient(), log, etcdPrefix: '/registry', serviceClusterIpRange: '10.96.0.0/16', serviceNodePortRange: '30000-32767',
    encryption: enc, bookmarkIntervalMs: 60_000,
  });
  storages.push(s);
  return s;
}

function newEtcd(): MemoryEtcd {
  const etcd = new MemoryEtcd();
  etcd.put('/registry/namespaces/default', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'u' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }));
  return etcd;
}

const secret = (name: string, password = 'aHVudGVyMg=='): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', data: { password } }) as KubeObject;
const secretsOf = (s: Storage) => s.get('', 'secrets')!;
const SK = (name: string) => `/registry/secrets/default/${name}`;
const everything = (s: Storage) => parseFilter(secretsOf(s).info, new URLSearchParams());

describe('encryption at rest through Storage', () => {
  it('stores a Secret as ciphertext and decrypts it on get, list and watch', async () => {
    const etcd = newEtcd();
    const storage = storageOn(etcd, encryption([gcm(['key1', 1]), { identity: {} }]));
    const store = secretsOf(storage);
    await store.cache.start();
    const events: CacheEvent[] = [];
    const sink: WatchSink = { deliver: (ev) => events.push(ev), bookmark: () => {}, terminate: () => {} };
    expect(store.cache.subscribe(sink, store.cache.rev)).toBe(true);

    const created = await store.create('default', secret('s1'), { dryRun: false });
    const raw = etcd.raw(SK('s1'))!;
    expect(raw.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    expect(raw.includes(Buffer.from('aHVudGVyMg=='))).toBe(false);
    expect(raw.includes(Buffer.from('"Secret"'))).toBe(false);

    expect((await store.get('default', 's1')).data).toEqual({ password: 'aHVudGVyMg==' });
    expect((await store.get('default', 's1')).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const fromEtcd = await listObjects(store, { namespace: 'default', filter: everything(storage), limit: 10 });
    expect(fromEtcd.fromCache).toBe(false);
    expect(fromEtcd.items.map((o) => o.data)).toEqual([{ password: 'aHVudGVyMg==' }]);
    await waitFor(() => events.length === 1, { what: 'watch event' });
    expect(events[0]).toMatchObject({ type: 'ADDED', obj: { metadata: { name: 's1' }, data: { password: 'aHVudGVyMg==' } } });
    const fromCache = await listObjects(store, { namespace: 'default', filter: everything(storage), resourceVersion: '0' });
    expect(fromCache.items.map((o) => o.metadata.name)).toEqual(['s1']);

    await store.update('default', 's1', (cur) => ({ ...cur, data: { password: 'bmV3' } }), { dryRun: false });
    expect(etcd.raw(SK('s1'))!.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    await waitFor(() => events.length === 2, { what: 'MODIFIED' });
    expect(events[1]).toMatchObject({ type: 'MODIFIED', obj: { data: { password: 'bmV3' } } });

    // other resources are untouched: plain JSON
    const cms = storage.get('', 'configmaps')!;
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } } as KubeObject, { dryRun: false });
    expect(JSON.parse(etcd.raw('/registry/configmaps/default/c')!.toString()).data).toEqual({ a: 'b' });
  });

  it('encrypts namespaces too when listed, through the namespace lifecycle', async () => {
    const etcd = newEtcd();
    const enc = parseEncryptionConfig(JSON.stringify({
      apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration',
      resources: [{ resources: ['namespaces', 'secrets'], providers: [{ secretbox: { keys: [{ name: 'b', secret: key(7) }] } }, { identity: {} }] }],
    }));
    const storage = storageOn(etcd, enc);
    await storage.get('', 'namespaces')!.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } } as KubeObject, { dryRun: false });
    expect(etcd.raw('/registry/namespaces/team')!.subarray(0, 23).toString()).toBe('k8s:enc:secretbox:v1:b:');
    await secretsOf(storage).create('team', secret('s'), { dryRun: false }); // the namespace check reads it back
    const ns = await storage.namespaces.delete('team', false);
    expect(ns.status).toEqual({ phase: 'Terminating' });
    await storage.namespaces.settled('team');
    expect(etcd.raw('/registry/namespaces/team')).toBeUndefined();
    expect(etcd.raw('/registry/secrets/team/s')).toBeUndefined();
  });

  it('stores plain JSON without the option, as before', async () => {
    const etcd = newEtcd();
    const store = secretsOf(storageOn(etcd));
    await store.create('default', secret('plain'), { dryRun: false });
    expect(JSON.parse(etcd.raw(SK('plain'))!.toString()).data).toEqual({ password: 'aHVudGVyMg==' });
    expect(store.codec.restage).toBeUndefined();
  });

  it('rotates keys: key1 values read after key2 is put first, and rewriteStale moves them to key2', async () => {
    const etcd = newEtcd();
    const before = storageOn(etcd, encryption([gcm(['key1', 1])]));
    for (const n of ['a', 'b', 'c']) await secretsOf(before).create('default', secret(n), { dryRun: false });

    const storage = storageOn(etcd, encryption([gcm(['key2', 2], ['key1', 1])]));
    const store = secretsOf(storage);
    expect((await store.get('default', 'a')).data).toEqual({ password: 'aHVudGVyMg==' });
    expect(store.codec.decodeState!((await etcd.get(SK('a')))!).stale).toBe(true);

    // a no-op update of a stale object writes it anyway, with the new key (kube's GuaranteedUpdate does too)
    await store.update('default', 'a', (cur) => cur, { dryRun: false });
    expect(etcd.raw(SK('a'))!.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key2:');

    const res = await rewriteStale(storage, { group: '', resource: 'secrets' }, { pageSize: 2 });
    expect(res).toEqual({ scanned: 3, rewritten: 2, failed: [] });
    for (const n of ['a', 'b', 'c']) {
      expect(etcd.raw(SK(n))!.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key2:');
      expect((await store.get('default', n)).data).toEqual({ password: 'aHVudGVyMg==' });
    }
    expect(await rewriteStale(storage, { group: '', resource: 'secrets' })).toEqual({ scanned: 3, rewritten: 0, failed: [] });

    // key1 can now be dropped
    const after = storageOn(etcd, encryption([gcm(['key2', 2])]));
    expect((await secretsOf(after).get('default', 'c')).data).toEqual({ password: 'aHVudGVyMg==' });
  });

  it('upgrades a plain-text store when identity is listed, and refuses plain text when it is not', async () => {
    const etcd = newEtcd();
    await secretsOf(storageOn(etcd)).create('default', secret('old'), { dryRun: false });

    const strict = secretsOf(storageOn(etcd, encryption([gcm(['key1', 1])])));
    await expect(strict.get('default', 'old')).rejects.toThrow(`unable to decrypt secrets at "${SK('old')}": no matching prefix found`);

    const storage = storageOn(etcd, encryption([gcm(['key1', 1]), { identity: {} }]));
    expect((await secretsOf(storage).get('default', 'old')).data).toEqual({ password: 'aHVudGVyMg==' });
    expect(await rewriteStale(storage, { group: '', resource: 'secrets' })).toMatchObject({ rewritten: 1 });
    expect(etcd.raw(SK('old'))!.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    expect((await strict.get('default', 'old')).data).toEqual({ password: 'aHVudGVyMg==' });
  });

  it('reports values it cannot read (a wrong key) and leaves them alone', async () => {
    const etcd = newEtcd();
    await secretsOf(storageOn(etcd, encryption([gcm(['key1', 1])]))).create('default', secret('x'), { dryRun: false });
    const rawBefore = etcd.raw(SK('x'));
    const wrong = storageOn(etcd, encryption([gcm(['key2', 2]), gcm(['key1', 9])]));
    await expect(secretsOf(wrong).get('default', 'x')).rejects.toThrow('cipher: message authentication failed');
    const res = await rewriteStale(wrong, { group: '', resource: 'secrets' });
    expect(res.rewritten).toBe(0);
    // both aesgcm entries share the provider prefix, so both are tried and both failures reported (kube's aggregate)
    expect(res.failed).toEqual([{
      key: SK('x'),
      error: `unable to decrypt secrets at "${SK('x')}": [no matching key was found for the provided AES transformer, cipher: message authentication failed]`,
    }]);
    expect(etcd.raw(SK('x'))).toBe(rawBefore);
  });

  it('never loses a concurrent write: the CAS fails and the new value is examined again', async () => {
    const etcd = newEtcd();
    await secretsOf(storageOn(etcd, encryption([gcm(['key1', 1])]))).create('default', secret('race'), { dryRun: false });
    const storage = storageOn(etcd, encryption([gcm(['key2', 2], ['key1', 1])]));
    const store = secretsOf(storage);
    let raced = false;
    etcd.beforeUpdate = async (k) => {
      if (raced || k !== SK('race')) return;
      raced = true;
      // a client's update lands between rewriteStale's read and its write
      await store.update('default', 'race', (cur) => ({ ...cur, data: { password: 'Y29uY3VycmVudA==' } }), { dryRun: false });
    };
    const res = await rewriteStale(storage, { group: '', resource: 'secrets' });
    expect(raced).toBe(true);
    expect(res).toEqual({ scanned: 1, rewritten: 0, failed: [] }); // the client's write already used key2
    expect((await store.get('default', 'race')).data).toEqual({ password: 'Y29uY3VycmVudA==' });
    expect(etcd.raw(SK('race'))!.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key2:');
  });
});
