import { NodeSchema } from '@tinykube/api';
import { Controller, WorkQueue, informerFor, keyOf, realClock, type Clock, type ReconcileResult, type Informer, type ObjectLike, type RestClient } from '@tinykube/client';
import { pino, type Logger } from 'pino';
import { nodeIPOf } from './endpoints.js';
import type { ClusterIPAddresses } from './ip.js';
import type { ProxyMetrics } from './metrics.js';
import { Proxier } from './proxier.js';

// The controller loop around the Proxier: informers on Services, Endpoints (and this Node, for
// the NodePort address) whose handlers only enqueue keys, and one worker that reconciles a key at a time.

export const servicesResource = { group: '', version: 'v1', plural: 'services', namespaced: true } as const;
export const endpointsResource = { group: '', version: 'v1', plural: 'endpoints', namespaced: true } as const;
export const nodesResource = { group: '', version: 'v1', plural: 'nodes', namespaced: false } as const;

/** Queue key of "re-read this node's IP"; service keys always contain a '/'. */
const NODE_KEY = '<node>';

export interface KubeProxyOptions {
  client: RestClient;
  nodeName: string;
  /** Fixed NodePort address; when unset the Node object's InternalIP is used (and followed). */
  bindAddress?: string;
  addresses?: ClusterIPAddresses;
  metrics?: ProxyMetrics;
  logger?: Logger;
  /** How often a listener whose address is held by another proxy retries (default 3 s). */
  bindRetryMs?: number;
  connectTimeoutMs?: number;
  /** Work-queue delays, session affinity and the sync metric; realClock by default. */
  clock?: Clock;
}

export class KubeProxy {
  readonly proxier: Proxier;
  private readonly services: Informer<ObjectLike>;
  private readonly endpoints: Informer<ObjectLike>;
  private readonly nodes: Informer<ObjectLike> | undefined;
  private readonly queue: WorkQueue<string>;
  /** One worker: the Proxier reconciles one key at a time. */
  private readonly controller: Controller<string>;
  private readonly log: Logger;
  private readonly bindRetryMs: number;

  constructor(private readonly o: KubeProxyOptions) {
    // The caller's logger already names the component and node (main sets them as base fields).
    this.log = o.logger ?? pino({ level: 'silent' });
    this.bindRetryMs = o.bindRetryMs ?? 3_000;
    this.queue = new WorkQueue<string>({ clock: o.clock ?? realClock });
    this.services = informerFor(o.client, servicesResource, { logger: this.log });
    this.endpoints = informerFor(o.client, endpointsResource, { logger: this.log });
    // All nodes rather than a field selector: clusters here are small, and it needs no server support.
    this.nodes = o.bindAddress ? undefined : informerFor(o.client, nodesResource, { logger: this.log });
    this.proxier = new Proxier({
      services: this.services, endpoints: this.endpoints, nodeIP: o.bindAddress, addresses: o.addresses,
      metrics: o.metrics, logger: this.log, connectTimeoutMs: o.connectTimeoutMs, clock: o.clock,
    });
    this.controller = new Controller({ name: 'kube-proxy', queue: this.queue, workers: 1, reconcile: (key) => this.reconcile(key), log: this.log });
    // Handlers only enqueue; an Endpoints object has its Service's key.
    const enqueue = (obj: ObjectLike): void => this.queue.add(keyOf(obj));
    this.services.onChange(enqueue);
    this.endpoints.onChange(enqueue);
    this.nodes?.onChange((n) => {
      if (n.metadata?.name === o.nodeName) this.queue.add(NODE_KEY);
    });
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.endpoints.hasSynced() && (this.nodes?.hasSynced() ?? true);
  }

  /** Runs until `signal` aborts, then stops every listener. */
  async run(signal: AbortSignal): Promise<void> {
    this.services.start(signal);
    this.endpoints.start(signal);
    this.nodes?.start(signal);
    try {
      await Promise.all([this.services.synced(), this.endpoints.synced(), this.nodes?.synced()]);
      this.log.info({ services: this.services.keys().length, nodeIP: this.proxier.nodeIP() }, 'caches synced');
      await this.controller.run(signal);
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      this.queue.shutDown();
      await this.proxier.shutdown();
    }
  }

  /** Level-based standby: a service with a listener not bound yet is retried whole after bindRetryMs. */
  private async reconcile(key: string): Promise<ReconcileResult> {
    if (key !== NODE_KEY) return (await this.proxier.sync(key)).pending > 0 ? { requeueAfterMs: this.bindRetryMs } : {};
    const parsed = NodeSchema.safeParse(this.nodes?.get(this.o.nodeName));
    const ip = nodeIPOf(parsed.success ? parsed.data : undefined);
    // Keep the last known address if the Node disappears: NodePorts keep working across re-registration.
    if (ip && this.proxier.setNodeIP(ip)) {
      for (const k of new Set([...this.services.keys(), ...this.proxier.serviceKeys()])) this.queue.add(k);
    }
    return {};
  }
}
