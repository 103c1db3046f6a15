import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Node, Pod, Service, Taint } from '@tinykube/api';
import { Controller, informerFor, keyOf, realClock, splitKey, type Clock, type Informer, type RestClient } from '@tinykube/client';

import type { Logger } from 'pino';
import type { KubeletAuth } from './auth/filter.js';
import { loadAllCheckpoints } from './checkpoint.js';
import { Heartbeat } from './heartbeat.js';
import { PodIpam } from './ipam.js';
import { isMirrorPod, MirrorPods } from './mirror.js';
import { NodeNetwork, type PodNetworkMode } from './network/node-network.js';
import { NodeStatusReporter, type NodeIdentity } from './node-status.js';
import { ApiObjectSource } from './object-source.js';
import { PodManager } from './pod-manager.js';
import type { PodWorker, PodWorkerDeps } from './pod-worker.js';
import { FakeRuntime } from './runtime/fake-runtime.js';
import { ProcessRuntime } from './runtime/process-runtime.js';
import type { Runtime } from './runtime/types.js';
import { buildServer, type KubeletServer } from './server.js';
import type { ServingTls } from './serving-tls.js';
import { StaticPodSource, type StaticPod } from './static-pods.js';
import { podsResource, StatusManager } from './status-manager.js';
import { restTokenRequester, TokenManager } from './token-manager.js';

const servicesResource = { group: '', version: 'v1', plural: 'services', namespaced: true } as const;

export interface KubeletOptions {
  nodeName: string;
  nodeIP: string;
  rootDir: string;
  podManifestPath?: string;
  taints?: Taint[];
  labels?: Record<string, string>;
  /** Port of the kubelet API on the node IP (0: any free port). */
  port?: number;
  /** Address the kubelet API binds (default: the node IP). */
  address?: string;
  runtime?: 'process' | 'fake' | Runtime;
  /** Overrides the Node's spec.podCIDR. */
  podCIDR?: string;
  /** `interface`: the node has its own network stack; the kubelet makes pod IPs local and routes to other nodes' pods. */
  podNetwork?: PodNetworkMode;
  nodeStatusUpdateFrequencyMs?: number;
  heartbeatIntervalMs?: number;
  staticPodPollMs?: number;
  podResyncMs?: number;
  /** Absent: standalone mode, static pods only. */
  client?: RestClient;
  log: Logger;
  clock?: Clock;
  defaultMetrics?: boolean;
  /** The kubelet API's serving certificate (and client CA): https only. Absent: plain HTTP (tests, hollow nodes). */
  tls?: ServingTls;
  /** Authentication and authorization of every kubelet API request but /healthz. Absent: none. */
  auth?: KubeletAuth;
}

/**
 * The kubelet: wires the node registration, heartbeat, pod sources (apiserver and manifest folder),
 * pod workers, status and mirror-pod writers, and the kubelet API together.
 */
export class Kubelet {
  readonly runtime: Runtime;
  readonly ipam: PodIpam;
  readonly pods: PodManager;
  readonly statusManager: StatusManager | undefined;
  readonly heartbeat: Heartbeat | undefined;
  readonly nodeStatus: NodeStatusReporter | undefined;
  /** Only with `podNetwork: 'interface'`. */
  readonly network: NodeNetwork | undefined;
  port = 0;
  private node: Node | undefined;
  private readonly identity: NodeIdentity;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly stop = new AbortController();
  private podInformer: Informer<Pod> | undefined;
  private serviceInformer: Informer<Service> | undefined;
  private staticPods: StaticPod[] = [];
  private mirrors: MirrorPods | undefined;
  private mirrorTimer: NodeJS.Timeout | undefined;
  private mirrorSyncing = false;
  private mirrorAgain = false;
  private server: KubeletServer | undefined;

  constructor(private readonly o: KubeletOptions) {
    this.clock = o.clock ?? realClock;
    this.log = o.log;
    mkdirSync(o.rootDir, { recursive: true });
    this.runtime = typeof o.runtime === 'object' ? o.runtime : o.runtime === 'fake' ? new FakeRuntime(this.clock) : new ProcessRuntime({ logger: this.log, clock: this.clock });
    this.ipam = new PodIpam(join(o.rootDir, 'ipam.json'));
    if (o.podCIDR) this.ipam.setCidr(o.podCIDR);
    if (o.podNetwork === 'interface') this.network = new NodeNetwork({ nodeName: o.nodeName, client: o.client, log: this.log });
    // Shared by reference with the node status reporter: the port is filled in once the API listens.
    this.identity = {
      nodeName: o.nodeName, nodeIP: o.nodeIP, labels: o.labels ?? {}, taints: o.taints ?? [], kubeletPort: o.port ?? 10250, runtimeVersion: this.runtime.version,
    };
    const client = o.client;
    if (client) {
      this.podInformer = informerFor<Pod>(client, podsResource, { logger: this.log, fieldSelector: `spec.nodeName=${o.nodeName}` });
      this.serviceInformer = informerFor<Service>(client, servicesResource, { logger: this.log });
      this.statusManager = new StatusManager({
        client, log: this.log,
        target: (uid) => this.pods.workers.get(uid),
        apiPod: (ns, name) => this.podInformer?.getByName(ns, name),
      });
      this.nodeStatus = new NodeStatusReporter({
        client, identity: this.identity, rootDir: o.rootDir, log: this.log, clock: this.clock, updateFrequencyMs: o.nodeStatusUpdateFrequencyMs,
        onNode: (n) => this.onNode(n),
      });
      this.heartbeat = new Heartbeat({ client, nodeName: o.nodeName, log: this.log, clock: this.clock, renewIntervalMs: o.heartbeatIntervalMs, nodeUid: () => this.node?.metadata?.uid });
      this.mirrors = new MirrorPods({
        client, nodeName: o.nodeName, log: this.log, node: () => this.node,
        mirrors: () => (this.podInformer?.list() ?? []).filter(isMirrorPod),
      });
    }
    const deps: PodWorkerDeps = {
      nodeName: o.nodeName, nodeIP: o.nodeIP, rootDir: o.rootDir, runtime: this.runtime, ipam: this.ipam, clock: this.clock, log: this.log,
      source: new ApiObjectSource(client, this.clock),
      tokens: client ? new TokenManager({ request: restTokenRequester(client), clock: this.clock, log: this.log.child({ component: 'token-manager' }) }) : undefined,
      services: (ns) => (this.serviceInformer?.list() ?? []).filter((s) => s.metadata?.namespace === ns || (s.metadata?.namespace === 'default' && s.metadata?.name === 'kubernetes')),
      onStatus: (w) => this.onPodStatus(w),
      resyncMs: o.podResyncMs,
    };
    this.pods = new PodManager({ workerDeps: deps, log: this.log, client });
    this.runtime.onExit((rec) => this.pods.workers.get(rec.podUid)?.onContainerExit(rec));
  }

  /** The Node as last read from the apiserver. */
  currentNode(): Node | undefined {
    return this.node;
  }

  /** Serves with a new certificate from now on (a serving certificate issued after start); client CAs are kept. */
  setServingCertificate(tls: { cert: string; key: string }): void {
    const server = this.server?.server as { setSecureContext?(o: object): void } | undefined;
    if (!server?.setSecureContext) throw new Error('the kubelet API does not serve https');
    server.setSecureContext({ cert: tls.cert, key: tls.key, ...(this.o.tls?.clientCa ? { ca: this.o.tls.clientCa } : {}) });
  }

  async start(): Promise<void> {
    const signal = this.stop.signal;
    // 1. what ran before a restart: adopt it.
    this.pods.restore(loadAllCheckpoints(this.o.rootDir, this.log));
    // 2. the kubelet API, so the Node can advertise its port.
    this.server = buildServer({
      log: this.log, workers: () => this.pods.active(), healthy: () => true, defaultMetrics: this.o.defaultMetrics, tls: this.o.tls, auth: this.o.auth,
    });
    await this.server.listen({ host: this.o.address ?? this.o.nodeIP, port: this.o.port ?? 10250 });
    this.port = (this.server.server.address() as AddressInfo).port;
    // `port` stays the last field: tests read '"port":N,"msg":"kubelet API listening"'.
    this.log.info({ address: this.o.address ?? this.o.nodeIP, scheme: this.o.tls ? 'https' : 'http', port: this.port }, 'kubelet API listening');
    this.identity.kubeletPort = this.port;
    // 2b. own network stack: the known podCIDR's address (it survives a kubelet restart, not a node restart), routes.
    if (this.network) {
      const known = this.ipam.podCIDR;
      if (known) this.network.ensurePodCidr(known).catch((err: unknown) => this.log.warn({ err, podCIDR: known }, 'pod CIDR address not set'));
      this.network.run(signal);
    }
    // 3. static pods: need nothing else.
    if (this.o.podManifestPath) {
      new StaticPodSource(this.o.podManifestPath, this.o.nodeName, this.log, (pods) => {
        this.staticPods = pods;
        this.pods.setStaticPods(pods);
        this.requestMirrorSync();
      }, this.o.staticPodPollMs).start(signal);
    } else this.pods.setStaticPods([]);
    // 4. the apiserver side; every loop retries on its own until the apiserver answers.
    if (this.o.client) {
      const pods = this.podInformer!;
      // The pod informer's handlers only enqueue; one worker reconciles a pod key from the cache.
      const podConfig = new Controller({ name: 'pod-config', clock: this.clock, log: this.log, reconcile: async (key) => this.syncApiPod(key) });
      pods.onChange((p) => podConfig.queue.add(keyOf(p)));
      void podConfig.run(signal);
      pods.start(signal);
      this.serviceInformer!.start(signal);
      void pods.synced().then(() => {
        this.pods.retainApiPods(new Set(pods.list().map((p) => p.metadata?.uid ?? '')));
        this.requestMirrorSync();
      }, () => undefined);
      void this.nodeStatus!.run(signal);
      void this.heartbeat!.run(signal);
      void this.statusManager!.run(signal);
      this.mirrorTimer = setInterval(() => this.requestMirrorSync(), 10_000);
    }
  }

  /** Stops the kubelet's loops and server. Containers keep running: a new kubelet adopts them. */
  async shutdown(): Promise<void> {
    this.stop.abort();
    if (this.mirrorTimer) clearInterval(this.mirrorTimer);
    this.statusManager?.stop();
    this.pods.close();
    this.runtime.close();
    await this.server?.close();
  }

  private syncApiPod(key: string): void {
    const pod = this.podInformer?.get(key);
    const { namespace, name } = splitKey(key);
    this.pods.syncApiPod(namespace || 'default', name, pod);
    // A mirror pod that is gone is re-created by the mirror sync (coalesced, and a no-op when nothing is missing).
    if (!pod || isMirrorPod(pod)) this.requestMirrorSync();
  }

  private onNode(n: Node): void {
    this.node = n;
    const cidr = n.spec?.podCIDR;
    if (!this.o.podCIDR && cidr && cidr !== this.ipam.podCIDR) this.adoptPodCidr(cidr);
    this.requestMirrorSync();
  }

  /** Pod IPs come from the CIDR only once they can be bound: in interface mode, after its address is on the node. */
  private adoptPodCidr(cidr: string): void {
    const use = () => {
      if (cidr === this.ipam.podCIDR || this.stop.signal.aborted) return;
      this.log.info({ podCIDR: cidr }, 'node podCIDR assigned');
      this.ipam.setCidr(cidr);
      for (const w of this.pods.active()) w.kick();
    };
    if (!this.network) return use();
    // A failure is retried on the next Node update (every status check).
    this.network.ensurePodCidr(cidr).then(use, (err: unknown) => this.log.warn({ err, podCIDR: cidr }, 'pod CIDR address not set'));
  }

  private onPodStatus(w: PodWorker): void {
    if (w.source === 'api') this.statusManager?.enqueue(w.uid);
    else this.requestMirrorSync();
  }

  /** Coalesced: at most one mirror sync runs, and one more follows if asked meanwhile. */
  private requestMirrorSync(): void {
    if (!this.mirrors || this.stop.signal.aborted) return;
    if (this.mirrorSyncing) {
      this.mirrorAgain = true;
      return;
    }
    this.mirrorSyncing = true;
    void (async () => {
      try {
        do {
          this.mirrorAgain = false;
          if (!this.podInformer?.hasSynced()) break;
          const views = this.staticPods.map((sp) => ({ pod: this.pods.workers.get(sp.hash)?.podWithStatus() ?? sp.pod, hash: sp.hash }));
          await this.mirrors!.sync(views);
        } while (this.mirrorAgain && !this.stop.signal.aborted);
      } catch (err) {
        this.log.warn({ err }, 'mirror pod sync failed');
      } finally {
        this.mirrorSyncing = false;
      }
    })();
  }
}
