/**
 * All resource stores of one apiserver, built from @tinykube/api's registry, with their strategies,
 * the Service allocators and the namespace lifecycle wired in.
 */
import type { EtcdClient } from '@tinykube/etcd-client';
import { registry, type ResourceInfo } from '@tinykube/api';
import type { Logger } from 'pino';
import { nodePortAllocator, parseIpv4Cidr, parsePortRange, serviceIpAllocator, type Ipv4Range } from '../allocation/allocator.js';
import { certificateSigningRequestStrategy } from '../strategies/certificates.js';
import { eventStrategy, LeaseManager } from '../strategies/events.js';
import { NamespaceLifecycle, namespaceStrategy } from '../strategies/namespaces.js';
import { podStrategy } from '../strategies/pods.js';
import { ServiceAllocations } from '../strategies/services.js';
import { KeySpace } from './codec.js';
import type { EncryptionConfiguration } from './encryption/config.js';
import { codecFor } from './encryption/object-codec.js';
import { ResourceStore } from './resource-store.js';
import type { Strategy } from './strategy.js';
import type { KubeletTls } from '../kubelet/location.js';
import type { Admit } from '../admission/types.js';

export interface StorageOptions {
  etcd: EtcdClient;
  log: Logger;
  etcdPrefix: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  clock?: () => Date;
  eventTtlSeconds?: number;
  watchCacheCapacity?: number;
  bookmarkIntervalMs?: number;
  /** Encryption at rest (`--encryption-provider-config`); without it every resource is stored as plain JSON. */
  encryption?: EncryptionConfiguration;
  /** How pods/log, exec, attach and portforward reach kubelets (https with a client cert), else plain http. */
  kubeletTls?: KubeletTls;
  /** The admission chain for writes made by requests. */
  admit?: Admit;
}

/** Kinds whose status a client may set on create (the kubelet registers its Node with status). */
const KEEP_STATUS_ON_CREATE = new Set(['Node']);

export class Storage {
  readonly keys: KeySpace;
  readonly namespaces: NamespaceLifecycle;
  readonly services: ServiceAllocations;
  readonly serviceRange: Ipv4Range;
  private readonly stores = new Map<string, ResourceStore>();
  readonly kubeletTls: KubeletTls | undefined;

  constructor(private readonly opts: StorageOptions) {
    const clock = opts.clock ?? (() => new Date());
    this.kubeletTls = opts.kubeletTls;
    this.keys = new KeySpace(opts.etcdPrefix);
    this.serviceRange = parseIpv4Cidr(opts.serviceClusterIpRange);
    this.services = new ServiceAllocations(
      serviceIpAllocator(opts.etcd, this.keys.rangePrefix('serviceips'), this.serviceRange),
      nodePortAllocator(opts.etcd, this.keys.rangePrefix('servicenodeports'), parsePortRange(opts.serviceNodePortRange)),
    );
    this.namespaces = new NamespaceLifecycle(
      () => this.get('', 'namespaces')!,
      () => [...this.stores.values()].filter((s) => s.info.namespaced),
      opts.log, clock,
    );
    const leases = new LeaseManager(opts.etcd, opts.eventTtlSeconds ?? 3600);
    for (const info of registry.all()) {
      // create-only reviews (SubjectAccessReview, TokenReview...) are answered, never stored
      if (!info.verbs.includes('get')) continue;
      const strategy = withStatusReset(info, this.strategyFor(info, leases));
      const store = new ResourceStore(info, {
        etcd: opts.etcd, keys: this.keys, log: opts.log, clock,
        checkNamespaceForCreate: (ns, gr, name) => this.namespaces.checkNamespaceForCreate(ns, gr, name),
        watchCacheCapacity: opts.watchCacheCapacity, bookmarkIntervalMs: opts.bookmarkIntervalMs,
        admit: opts.admit,
        codec: opts.encryption ? codecFor(opts.encryption, { group: info.group, resource: info.plural }) : undefined,
      }, strategy);
      this.stores.set(`${info.group}/${info.plural}`, store);
    }
  }

  private strategyFor(info: ResourceInfo, leases: LeaseManager): Strategy {
    if (info.group === 'certificates.k8s.io' && info.plural === 'certificatesigningrequests') {
      return certificateSigningRequestStrategy(this.opts.clock ?? (() => new Date()));
    }
    if (info.group !== '' && info.group !== 'coordination.k8s.io') return {};
    switch (info.plural) {
      case 'pods': return podStrategy();
      case 'services': return this.services.strategy();
      case 'namespaces': return namespaceStrategy();
      case 'events': return eventStrategy(leases);
      case 'endpoints': return { allowCreateOnUpdate: true };
      case 'leases': return { allowCreateOnUpdate: true };
      default: return {};
    }
  }

  get(group: string, plural: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${plural}`);
  }

  all(): ResourceStore[] {
    return [...this.stores.values()];
  }

  /** Loads allocator state and fills every watch cache; resolves when all are ready. */
  async start(): Promise<void> {
    await Promise.all([this.services.ips.load(), this.services.ports.load()]);
    await Promise.all(this.all().map((s) => s.cache.start()));
    this.namespaces.resumeAll();
  }

  get ready(): boolean {
    return this.all().every((s) => s.cache.ready);
  }

  stop(): void {
    for (const s of this.all()) s.cache.stop();
  }
}

/**
 * Kubernetes resets status on create for kinds with a status subresource (a Deployment starts with no
 * status; pods, services and namespaces get their initial status from their own strategy).
 */
function withStatusReset(info: ResourceInfo, s: Strategy): Strategy {
  if (!info.hasStatus || KEEP_STATUS_ON_CREATE.has(info.kind)) return s;
  const own = s.prepareForCreate;
  return {
    ...s,
    prepareForCreate(obj, ctx) {
      delete obj.status;
      own?.(obj, ctx);
    },
  };
}
