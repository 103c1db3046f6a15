import { EndpointsSchema, ServiceSchema } from '@tinykube/api';
import { realClock, type Clock } from '@tinykube/client';
import type { z } from 'zod';
import { pino, type Logger } from 'pino';
import { Balancer } from './balancer.js';
import { computeServicePlan, servicePortName } from './endpoints.js';
import { ClusterIPAddresses, loopbackHost } from './ip.js';
import { ServiceListener } from './listener.js';
import { noCounters, type ProxyMetrics, type ServiceCounters } from './metrics.js';

// The level-based reconciler: sync(key) reads the current Service and Endpoints from the caches,
// computes which listeners should exist and which backends each service port has, and applies the
// difference. It never looks at what event caused it, so running it twice is harmless.

/** A read-only cache by "namespace/name" key (an Informer fits). Objects are parsed here, at the edge. */
export interface ObjectCache {
  get(key: string): unknown;
}

export interface ProxierOptions {
  services: ObjectCache;
  endpoints: ObjectCache;
  /** The address NodePorts are served on; unknown until the Node object says (see setNodeIP). */
  nodeIP?: string;
  /** ClusterIP management (dummy mode); loopback (nothing to do) by default. */
  addresses?: ClusterIPAddresses;
  metrics?: ProxyMetrics;
  logger?: Logger;
  /** Clock for session affinity and the last-sync metric; realClock by default. */
  clock?: Clock;
  connectTimeoutMs?: number;
}

export interface SyncResult {
  /** Listeners wanted but not bound: another proxy holds the address, or it is not bindable yet. Retry later. */
  pending: number;
}

export interface ListenerInfo {
  address: string;
  service: string;
  state: 'active' | 'standby';
  backends: number;
  connections: number;
}

interface PortState {
  balancer: Balancer;
  counters: ServiceCounters;
}

interface ListenerEntry {
  listener: ServiceListener;
  portName: string;
  /** The last bind failure code, so standby is logged once, not on every retry. */
  lastCode?: string;
}

interface ServiceState {
  clusterIP?: string;
  ports: Map<string, PortState>;
  listeners: Map<string, ListenerEntry>;
  skipped: Set<string>;
}

export class Proxier {
  private readonly services = new Map<string, ServiceState>();
  /** listener address → service key, so two services claiming one address do not fight inside one proxy. */
  private readonly owners = new Map<string, string>();
  private readonly draining = new Set<ServiceListener>();
  private readonly addresses: ClusterIPAddresses;
  private readonly log: Logger;
  private node: string | undefined;

  constructor(private readonly o: ProxierOptions) {
    this.addresses = o.addresses ?? new ClusterIPAddresses(loopbackHost);
    this.log = o.logger ?? pino({ level: 'silent' });
    this.node = o.nodeIP;
  }

  nodeIP(): string | undefined {
    return this.node;
  }

  /** Changes the NodePort address; returns true if it changed (then every service needs a sync). */
  setNodeIP(ip: string | undefined): boolean {
    if (ip === this.node) return false;
    this.log.info({ nodeIP: ip, previous: this.node }, 'node IP changed');
    this.node = ip;
    return true;
  }

  /** Keys of the services this proxier currently holds state for. */
  serviceKeys(): string[] {
    return [...this.services.keys()];
  }

  /** Reconciles one service ("namespace/name") with the caches. */
  async sync(key: string): Promise<SyncResult> {
    const end = this.o.metrics?.syncDuration.startTimer();
    try {
      return await this.syncService(key);
    } finally {
      end?.();
      this.o.metrics?.lastSync.set((this.o.clock ?? realClock).now() / 1000);
      this.updateListenerGauge();
    }
  }

  private async syncService(key: string): Promise<SyncResult> {
    const svc = this.parse(ServiceSchema, this.o.services.get(key), key, 'Service');
    const state0 = this.services.get(key);
    if (!svc) {
      if (state0) this.teardown(key, state0);
      return { pending: 0 };
    }
    const eps = this.parse(EndpointsSchema, this.o.endpoints.get(key), key, 'Endpoints');
    const plan = computeServicePlan(svc, eps);
    const state: ServiceState = state0 ?? { ports: new Map(), listeners: new Map(), skipped: new Set() };
    this.services.set(key, state);
    let pending = 0;

    // The ClusterIP stays on the node for the service's whole life, listeners or not, so a
    // connection to a service without endpoints is refused by the kernel instead of being routed away.
    if (state.clusterIP && state.clusterIP !== plan.clusterIP) {
      const old = state.clusterIP;
      state.clusterIP = undefined;
      this.releaseIP(old);
    }
    if (plan.clusterIP) {
      try {
        await this.addresses.ensure(plan.clusterIP);
        state.clusterIP = plan.clusterIP;
      } catch (err) {
        this.log.error({ err, service: key, clusterIP: plan.clusterIP }, 'cannot add ClusterIP to the node');
        pending++;
      }
    }

    const desired = new Map<string, { host: string; port: number; portName: string }>();
    const keepPorts = new Set<string>();
    for (const p of plan.ports) {
      if (p.protocol !== 'TCP') {
        if (!state.skipped.has(p.name)) this.log.warn({ service: servicePortName(key, p.name), protocol: p.protocol }, 'only TCP is proxied; skipping service port');
        state.skipped.add(p.name);
        continue;
      }
      keepPorts.add(p.name);
      let ps = state.ports.get(p.name);
      if (!ps) {
        ps = { balancer: new Balancer({ clock: this.o.clock }), counters: this.o.metrics?.forService(servicePortName(key, p.name)) ?? noCounters };
        state.ports.set(p.name, ps);
      }
      ps.balancer.setAffinity(plan.affinity);
      ps.balancer.setBackends(p.backends);
      // No ready backend: nothing listens, so connect() fails at once with ECONNREFUSED.
      if (p.backends.length === 0) continue;
      if (state.clusterIP) desired.set(`${state.clusterIP}:${p.port}`, { host: state.clusterIP, port: p.port, portName: p.name });
      if (p.nodePort && this.node) desired.set(`${this.node}:${p.nodePort}`, { host: this.node, port: p.nodePort, portName: p.name });
    }
    for (const name of state.ports.keys()) if (!keepPorts.has(name)) state.ports.delete(name);

    for (const [id, entry] of state.listeners) {
      if (desired.get(id)?.portName !== entry.portName) this.retire(state, id, entry);
    }
    for (const [id, want] of desired) {
      const owner = this.owners.get(id);
      if (owner !== undefined && owner !== key) {
        // Only while the caches are mid-way through an IP or port moving between services.
        this.log.debug({ service: key, address: id, owner }, 'address claimed by another service; waiting');
        pending++;
        continue;
      }
      let entry = state.listeners.get(id);
      if (entry?.listener.state === 'listening') continue;
      if (!entry) {
        const ps = state.ports.get(want.portName)!;
        const listener = new ServiceListener({
          host: want.host, port: want.port, service: servicePortName(key, want.portName), balancer: ps.balancer,
          counters: ps.counters, logger: this.log, connectTimeoutMs: this.o.connectTimeoutMs,
        });
        entry = { listener, portName: want.portName };
        state.listeners.set(id, entry);
        this.owners.set(id, key);
      }
      if (!(await this.bind(key, id, entry))) pending++;
    }
    return { pending };
  }

  private async bind(key: string, id: string, entry: ListenerEntry): Promise<boolean> {
    const r = await entry.listener.listen();
    if (r.ok) {
      this.log.info({ service: entry.listener.service, address: id, after: entry.lastCode }, 'listening');
      entry.lastCode = undefined;
      return true;
    }
    if (r.code !== entry.lastCode) {
      // EADDRINUSE is the normal standby state when several proxies share one network stack.
      if (r.code === 'EADDRINUSE') this.log.info({ service: key, address: id }, 'address served by another proxy; standing by');
      else this.log.warn({ err: r.err, service: key, address: id, code: r.code }, 'cannot listen; will retry');
    }
    entry.lastCode = r.code;
    return false;
  }

  /** Stops accepting on one listener; its established connections finish on their own. */
  private retire(state: ServiceState, id: string, entry: ListenerEntry): void {
    state.listeners.delete(id);
    this.owners.delete(id);
    const l = entry.listener;
    if (l.state === 'listening') this.log.info({ service: l.service, address: id, connections: l.activeConnections() }, 'stopped listening');
    this.draining.add(l);
    void l.close().then(() => {
      this.draining.delete(l);
      this.releaseIP(l.host);
    });
  }

  private teardown(key: string, state: ServiceState): void {
    for (const [id, entry] of state.listeners) this.retire(state, id, entry);
    this.services.delete(key);
    if (state.clusterIP) this.releaseIP(state.clusterIP);
    this.log.info({ service: key }, 'service removed');
  }

  /** Removes a ClusterIP from the node once no service holds it and no listener (draining or not) uses it. */
  private releaseIP(ip: string): void {
    const stillWanted = (): boolean => {
      for (const s of this.services.values()) {
        if (s.clusterIP === ip) return true;
        for (const e of s.listeners.values()) if (e.listener.host === ip) return true;
      }
      for (const l of this.draining) if (l.host === ip) return true;
      return false;
    };
    this.addresses.release(ip, stillWanted).catch((err: unknown) => this.log.warn({ err, clusterIP: ip }, 'cannot remove ClusterIP from the node'));
  }

  private parse<S extends z.ZodType>(schema: S, raw: unknown, key: string, kind: string): z.output<S> | undefined {
    if (raw === undefined) return undefined;
    const r = schema.safeParse(raw);
    if (r.success) return r.data;
    this.log.warn({ service: key, kind, err: r.error }, 'ignoring malformed object');
    return undefined;
  }

  /** What is served now (for tests and debugging). */
  snapshot(): ListenerInfo[] {
    const out: ListenerInfo[] = [];
    for (const s of this.services.values()) {
      for (const [id, e] of s.listeners) {
        out.push({
          address: id, service: e.listener.service, state: e.listener.state === 'listening' ? 'active' : 'standby',
          backends: s.ports.get(e.portName)?.balancer.size() ?? 0, connections: e.listener.activeConnections(),
        });
      }
    }
    return out.sort((a, b) => (a.address < b.address ? -1 : 1));
  }

  /** Process shutdown: stop every listener and cut established connections. ClusterIPs are left (init flushes). */
  async shutdown(): Promise<void> {
    const all: Promise<void>[] = [];
    for (const s of this.services.values()) for (const e of s.listeners.values()) all.push(e.listener.destroy());
    for (const l of this.draining) all.push(l.destroy());
    this.services.clear();
    this.owners.clear();
    await Promise.all(all);
  }

  private updateListenerGauge(): void {
    const g = this.o.metrics?.listeners;
    if (!g) return;
    let active = 0;
    let standby = 0;
    for (const s of this.services.values()) for (const e of s.listeners.values()) e.listener.state === 'listening' ? active++ : standby++;
    g.set({ state: 'active' }, active);
    g.set({ state: 'standby' }, standby);
  }
}
