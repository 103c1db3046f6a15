import type { Lease } from '@tinykube/api';
import { Backoff, formatMicroTime, isNotFound, leasesResource, realClock, sleep, type Clock, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';

// The node heartbeat: a Lease kube-node-lease/<node>, renewed every 10 s (the node lifecycle
// controller reads renewTime to decide a node is gone). On failure it retries with backoff from
// 200 ms up to 7 s, as the kubelet's node lease controller does.

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;

export interface HeartbeatOptions {
  client: RestClient;
  nodeName: string;
  log: Logger;
  clock?: Clock;
  renewIntervalMs?: number;
  /** The Node's uid once known: the Lease is owned by the Node (deleted with it). */
  nodeUid?: () => string | undefined;
}

export class Heartbeat {
  renewals = 0;
  private lease: Lease | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly o: HeartbeatOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log.child({ component: 'heartbeat' });
  }

  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 7_000 });
    while (!signal.aborted) {
      try {
        await this.renew();
        backoff.reset();
        await sleep(this.clock, this.o.renewIntervalMs ?? 10_000, signal);
      } catch (err) {
        if (signal.aborted) return;
        const delayMs = backoff.next();
        this.log.warn({ err, delayMs }, 'lease renewal failed; retrying');
        this.lease = undefined; // re-read: it may have been changed or deleted meanwhile
        await sleep(this.clock, delayMs, signal).catch(() => undefined);
      }
    }
  }

  /** Creates or renews the lease once. */
  async renew(): Promise<Lease> {
    const now = formatMicroTime(this.clock.now());
    const { client, nodeName } = this.o;
    if (!this.lease) {
      try {
        this.lease = await client.get<Lease>(leasesResource, nodeName, { namespace: NODE_LEASE_NAMESPACE });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const uid = this.o.nodeUid?.();
        const lease: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: nodeName,
            namespace: NODE_LEASE_NAMESPACE,
            ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid }] } : {}),
          },
          spec: { holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: now },
        };
        this.lease = await client.create<Lease>(leasesResource, lease, { namespace: NODE_LEASE_NAMESPACE });
        this.renewals++;
        return this.lease;
      }
    }
    const next: Lease = structuredClone(this.lease);
    next.spec = { ...next.spec, holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: now };
    this.lease = await client.update<Lease>(leasesResource, next, { namespace: NODE_LEASE_NAMESPACE });
    this.renewals++;
    return this.lease;
  }
}
