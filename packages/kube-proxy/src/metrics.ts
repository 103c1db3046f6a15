import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a proxied connection failed (stable values: they are metric labels). */
export type ConnectionErrorReason = 'no_endpoints' | 'connect_refused' | 'connect_timeout' | 'connect_error' | 'stream_error';

/** kube-proxy's metrics, on a registry of our own so tests can create as many as they like. */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly connections: Counter<'service'>;
  readonly connectionErrors: Counter<'service' | 'reason'>;
  readonly activeConnections: Gauge;
  readonly syncDuration: Histogram;
  readonly lastSync: Gauge;
  readonly listeners: Gauge<'state'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.connections = new Counter({
      name: 'kubeproxy_connections_total',
      help: 'Connections accepted on a service port (ClusterIP or NodePort), by service port name.',
      labelNames: ['service'],
      registers,
    });
    this.connectionErrors = new Counter({
      name: 'kubeproxy_connection_errors_total',
      help: 'Accepted connections that could not be forwarded to an endpoint, by service port name and reason.',
      labelNames: ['service', 'reason'],
      registers,
    });
    this.activeConnections = new Gauge({
      name: 'kubeproxy_active_connections',
      help: 'Client connections currently being proxied.',
      registers,
    });
    // The same name as kube-proxy's iptables/ipvs proxiers, so existing dashboards keep working.
    this.syncDuration = new Histogram({
      name: 'kubeproxy_sync_proxy_rules_duration_seconds',
      help: 'Duration of reconciling one service (listeners and endpoint lists).',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.lastSync = new Gauge({
      name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds',
      help: 'When a service was last reconciled (unix seconds).',
      registers,
    });
    this.listeners = new Gauge({
      name: 'kubeproxy_listeners',
      help: 'Service listeners by state: active (bound), standby (address held by another proxy or not bindable yet).',
      labelNames: ['state'],
      registers,
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Pre-bound children for one service port, so the per-connection path does no label hashing. */
  forService(service: string): ServiceCounters {
    const errors = new Map<ConnectionErrorReason, Counter.Internal>();
    return {
      accepted: this.connections.labels(service),
      error: (reason) => {
        let c = errors.get(reason);
        if (!c) errors.set(reason, (c = this.connectionErrors.labels(service, reason)));
        c.inc();
      },
      active: this.activeConnections,
    };
  }
}

export interface ServiceCounters {
  accepted: { inc(): void };
  error(reason: ConnectionErrorReason): void;
  active: { inc(): void; dec(): void };
}

/** Counters that count nothing, for listeners built without metrics (tests). */
export const noCounters: ServiceCounters = {
  accepted: { inc() {} },
  error() {},
  active: { inc() {}, dec() {} },
};
