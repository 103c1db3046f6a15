import { afterAll, beforeAll } from 'vitest';
import { startRealEtcd, type RunningStore } from '@tinykube/testkit';
import { EtcdClient } from '../index.js';

/** One real etcd and one client on it for the whole test file (started in beforeAll, closed in afterAll). */
export function sharedEtcd(): { etcd(): RunningStore; client(): EtcdClient } {
  let etcd: RunningStore | undefined;
  let client: EtcdClient | undefined;
  beforeAll(async () => {
    etcd = await startRealEtcd();
    client = new EtcdClient({ endpoints: [etcd.url], tls: etcd.tls });
  });
  afterAll(async () => {
    await client?.close();
    await etcd?.close();
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is not started (use it inside a test)`);
    return v;
  };
  return { etcd: () => need(etcd, 'etcd'), client: () => need(client, 'the etcd client') };
}
