/**
 * All resource stores of one apiserver, built from @tinykube/api's registry, with their strategies,
 * the Service allocators and the namespace lifecycle wired in.
 */
import type { EtcdClient } from '@tinykube/etcd-client';
import { APIEXTENSIONS_GROUP, methodNotSupported, registry, type KubeObject, type ResourceInfo } from '@tinykube/api';
import type { Logger } from 'pino';
import { nodePortAllocator, parseIpv4Cidr, parsePortRange, serviceIpAllocator, type Ipv4Range } from '../allocation/allocator.js';
import { certificateSigningRequestStrategy } from '../strategies/certificates.js';
import { customResourceDefinitionStrategy } from '../strategies/customresourcedefinitions.js';
import { eventStrategy, LeaseManager } from '../strategies/events.js';
import { NamespaceLifecycle, namespaceStrategy } from '../strategies/namespaces.js';
import { podStrategy } from '../strategies/pods.js';
import { ServiceAllocations } from '../strategies/services.js';
import { jsonCodec, KeySpace, type ObjectCodec } from './codec.js';
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
  /** Custom resources: `group/plural` → version → store, the preferred version first. */
  private readonly custom = new Map<string, Map<string, ResourceStore>>();
  private readonly terminating = new Set<string>();
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
      () => this.resources().filter((s) => s.info.namespaced),
      opts.log, clock,
    );
    const leases = new LeaseManager(opts.etcd, opts.eventTtlSeconds ?? 3600);
    for (const info of registry.all()) {
      // create-only reviews (SubjectAccessReview, TokenReview...) are answered, never stored
      if (!info.verbs.includes('get')) continue;
      const strategy = withStatusReset(info, this.strategyFor(info, leases));
      this.stores.set(`${info.group}/${info.plural}`, this.makeStore(info, strategy));
    }
  }

  private makeStore(info: ResourceInfo, strategy: Strategy, custom?: { keyName: string; storageApiVersion: string }): ResourceStore {
    const opts = this.opts;
    const base = opts.encryption ? codecFor(opts.encryption, { group: info.group, resource: info.plural }) : undefined;
    return new ResourceStore(info, {
      etcd: opts.etcd, keys: this.keys, log: opts.log, clock: opts.clock ?? (() => new Date()),
      checkNamespaceForCreate: (ns, gr, name) => this.namespaces.checkNamespaceForCreate(ns, gr, name),
      watchCacheCapacity: opts.watchCacheCapacity, bookmarkIntervalMs: opts.bookmarkIntervalMs,
      admit: opts.admit,
      codec: custom ? versionedCodec(base ?? jsonCodec, info.apiVersion, custom.storageApiVersion) : base,
      keyName: custom?.keyName,
    }, strategy);
  }

  /**
   * Serves a custom resource: one store (and watch cache) per served version, all over the etcd prefix
   * `<prefix>/<group>/<plural>/`, objects stored in the storage version (`None` conversion: only apiVersion
   * is rewritten). Replaces the stores of an earlier registration (their watches end); resolves when every watch cache is filled.
   */
  async serveCustom(infos: readonly ResourceInfo[]): Promise<void> {
    if (infos.length === 0) return;
    const { group, plural } = infos[0];
    const key = `${group}/${plural}`;
    const old = this.custom.get(key);
    const versions = new Map<string, ResourceStore>();
    for (const info of infos) {
      const storageApiVersion = `${group}/${info.storageVersion ?? info.version}`;
      const strategy: Strategy = {
        prepareForCreate: () => {
          if (this.terminating.has(key)) throw methodNotSupported({ group, resource: plural }, 'create');
        },
      };
      versions.set(info.version, this.makeStore(info, withStatusReset(info, strategy), { keyName: key, storageApiVersion }));
    }
    await Promise.all([...versions.values()].filter((s) => !s.cache.ready).map((s) => s.cache.start()));
    for (const s of old?.values() ?? []) s.cache.stop();
    this.custom.set(key, versions);
  }

  /** A terminating custom resource refuses creates, as kube's (its objects are being deleted). */
  setCustomTerminating(group: string, plural: string, terminating: boolean): void {
    if (terminating) this.terminating.add(`${group}/${plural}`); else this.terminating.delete(`${group}/${plural}`);
  }

  /** Stops serving a custom resource (its objects stay in etcd; the CRD's finalizer removes them first). */
  stopCustom(group: string, plural: string): void {
    const key = `${group}/${plural}`;
    this.terminating.delete(key);
    for (const s of this.custom.get(key)?.values() ?? []) s.cache.stop();
    this.custom.delete(key);
  }

  private strategyFor(info: ResourceInfo, leases: LeaseManager): Strategy {
    if (info.group === 'certificates.k8s.io' && info.plural === 'certificatesigningrequests') {
      return certificateSigningRequestStrategy(this.opts.clock ?? (() => new Date()));
    }
    if (info.group === APIEXTENSIONS_GROUP && info.plural === 'customresourcedefinitions') return customResourceDefinitionStrategy();
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

  /** A resource's store: for a custom resource, the given version's (or the preferred version's). */
  get(group: string, plural: string, version?: string): ResourceStore | undefined {
    const key = `${group}/${plural}`;
    const custom = this.custom.get(key);
    if (custom) return version === undefined ? custom.values().next().value : custom.get(version);
    return this.stores.get(key);
  }

  /** Every store, every served version of custom resources included. */
  all(): ResourceStore[] {
    return [...this.stores.values(), ...[...this.custom.values()].flatMap((m) => [...m.values()])];
  }

  /** One store per resource (custom ones in their preferred version): what walks over all objects uses. */
  resources(): ResourceStore[] {
    return [...this.stores.values(), ...[...this.custom.values()].flatMap((m) => [...m.values()].slice(0, 1))];
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

/** A custom resource's codec for one served version: stored in the storage version, read as the served one. */
function versionedCodec(base: ObjectCodec, servedApiVersion: string, storageApiVersion: string): ObjectCodec {
  if (servedApiVersion === storageApiVersion) return base;
  const served = (obj: KubeObject): KubeObject => { obj.apiVersion = servedApiVersion; return obj; };
  return {
    encode: (obj, key) => base.encode({ ...obj, apiVersion: storageApiVersion }, key),
    decode: (kv) => served(base.decode(kv)),
    decodeState: base.decodeState ? (kv) => { const r = base.decodeState!(kv); served(r.obj); return r; } : undefined,
    restage: base.restage ? (kv) => base.restage!(kv) : undefined,
  };
}
