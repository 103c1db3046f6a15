import type { Node } from '@tinykube/api';
import { informerFor, type Informer, type RestClient } from '@tinykube/client';
import type { Logger } from 'pino';
import { execRunner, type CommandRunner } from '@tinykube/hostnet';
import { ensurePodCidrAddress } from './pod-cidr-address.js';
import { desiredRoutes, syncRoutes } from './routes.js';

// `--pod-network interface`: the node has its own network stack (a container, a network namespace). The
// kubelet makes its pod IPs local (pod-cidr-address.ts) and routes to every other node's pods (routes.ts),
// following the Node objects. `--pod-network loopback` (the default, one shared stack) needs none of this.

export type PodNetworkMode = 'loopback' | 'interface';

const nodesResource = { group: '', version: 'v1', plural: 'nodes', namespaced: false } as const;
/** Routes are re-checked this often even without Node events (someone may have flushed them). */
const RESYNC_MS = 30_000;

export interface NodeNetworkOptions {
  nodeName: string;
  /** Absent: standalone kubelet; only the podCIDR address is managed. */
  client?: RestClient;
  log: Logger;
  run?: CommandRunner;
  resyncMs?: number;
}

export class NodeNetwork {
  private readonly exec: CommandRunner;
  private readonly log: Logger;
  private readonly nodes: Informer<Node> | undefined;
  private cidrDone: string | undefined;
  private cidrPending: Promise<void> | undefined;
  private syncing = false;
  private again = false;
  private stopped = false;

  constructor(private readonly o: NodeNetworkOptions) {
    this.exec = o.run ?? execRunner;
    this.log = o.log.child({ concern: 'pod-network' });
    if (o.client) this.nodes = informerFor<Node>(o.client, nodesResource, { logger: this.log });
  }

  /**
   * Resolves once the podCIDR's address is on the node, so pod IPs from it can be bound: the kubelet hands out
   * IPs from a CIDR only after this. Concurrent calls for the same CIDR share one attempt; a failure rejects
   * and the next call tries again.
   */
  ensurePodCidr(cidr: string): Promise<void> {
    if (this.cidrDone === cidr) return Promise.resolve();
    this.cidrPending ??= ensurePodCidrAddress(this.exec, cidr).then(
      (r) => {
        this.cidrDone = cidr;
        this.log.info({ podCIDR: cidr, ...r }, 'pod CIDR address on lo');
      },
    ).finally(() => {
      this.cidrPending = undefined;
    });
    return this.cidrPending;
  }

  /** Follows the Nodes and keeps the routes to their pods until the signal aborts. */
  run(signal: AbortSignal): void {
    if (!this.nodes) return;
    const nodes = this.nodes;
    nodes.addEventHandler({ onAdd: () => this.requestSync(), onUpdate: () => this.requestSync(), onDelete: () => this.requestSync() });
    nodes.start(signal);
    void nodes.synced().then(() => this.requestSync(), () => undefined);
    const timer = setInterval(() => this.requestSync(), this.o.resyncMs ?? RESYNC_MS);
    signal.addEventListener('abort', () => {
      this.stopped = true;
      clearInterval(timer);
    }, { once: true });
  }

  /** Coalesced like the mirror-pod sync: at most one route sync runs, and one more follows if asked meanwhile. */
  private requestSync(): void {
    if (this.stopped || !this.nodes?.hasSynced()) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    void (async () => {
      try {
        do {
          this.again = false;
          const r = await syncRoutes(this.exec, desiredRoutes(this.nodes!.list(), this.o.nodeName));
          if (r.added.length || r.removed.length) this.log.info({ added: r.added, removed: r.removed }, 'pod routes updated');
          for (const f of r.failed) this.log.warn({ route: f.route, err: f.err }, 'pod route not installed');
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log.warn({ err }, 'pod route sync failed');
      } finally {
        this.syncing = false;
      }
    })();
  }
}
