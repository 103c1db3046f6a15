/**
 * Re-writes the stored values of one resource that are stale — written with a provider or key other than the
 * current write key (after a key rotation), or plain text under a config that now encrypts (an upgrade), or
 * encrypted under a config that now writes identity (a decryption). kube leaves this to
 * `kubectl get secrets -A -o json | kubectl replace -f -`; this does it in place, without decoding objects:
 * each value is decrypted and encrypted again, and written with a compare-and-swap on its mod_revision,
 * so a concurrent write is never lost (the value it wrote is examined again instead).
 * A rewrite is a write: watchers see a MODIFIED event with an unchanged object and a new resourceVersion.
 */
import { prefixEnd } from '@tinykube/etcd-client';
import type { EtcdClient, KeyValue } from '@tinykube/etcd-client';
import type { Storage } from '../storage.js';
import type { GroupResource } from './config.js';

export interface RewriteResult {
  /** values read */
  scanned: number;
  /** values re-written in the current form */
  rewritten: number;
  /** values that cannot be read with the configured providers (left as they are) */
  failed: { key: string; error: string }[];
}

const MAX_ATTEMPTS = 16;

export async function rewriteStale(storage: Storage, resource: GroupResource, opts: { pageSize?: number } = {}): Promise<RewriteResult> {
  const store = storage.get(resource.group, resource.resource);
  if (!store) throw new Error(`unknown resource ${resource.group ? `${resource.resource}.${resource.group}` : resource.resource}`);
  const out: RewriteResult = { scanned: 0, rewritten: 0, failed: [] };
  const restage = store.codec.restage?.bind(store.codec);
  if (!restage) return out; // stored as plain JSON: never stale
  const end = prefixEnd(store.prefix);
  let start: string | Buffer = store.prefix;
  for (;;) {
    const page = await store.etcd.range(start, { rangeEnd: end, limit: opts.pageSize ?? 500 });
    for (const kv of page.kvs) {
      out.scanned++;
      await rewriteOne(store.etcd, kv, restage, out);
    }
    if (!page.more || page.kvs.length === 0) return out;
    start = Buffer.concat([page.kvs[page.kvs.length - 1].key, Buffer.from([0])]);
  }
}

async function rewriteOne(etcd: EtcdClient, first: KeyValue, restage: (kv: KeyValue) => Buffer | undefined, out: RewriteResult): Promise<void> {
  let kv: KeyValue | undefined = first;
  for (let attempt = 0; kv && attempt < MAX_ATTEMPTS; attempt++) {
    let next: Buffer | undefined;
    try {
      next = restage(kv);
    } catch (err) {
      out.failed.push({ key: kv.key.toString('utf8'), error: (err as Error).message });
      return;
    }
    if (!next) return;
    const lease = kv.lease !== '0' ? { lease: kv.lease } : undefined;
    const res = await etcd.update(kv.key, next, kv.modRevision, lease);
    if (res.ok) { out.rewritten++; return; }
    kv = res.current; // written (or deleted) meanwhile: look at what is there now
  }
  if (kv) out.failed.push({ key: kv.key.toString('utf8'), error: 'the value kept changing; not re-written' });
}
