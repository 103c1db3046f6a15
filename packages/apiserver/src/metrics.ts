/** Prometheus metrics with Kubernetes' names (a private registry per server, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'verb' | 'resource' | 'code'>;
  readonly duration: Histogram<'verb' | 'resource'>;
  readonly watchers: Gauge<'resource'>;
  readonly rejected: Counter<'priority_level' | 'reason'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    this.requests = new Counter({
      name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out by verb, resource and HTTP response code.',
      labelNames: ['verb', 'resource', 'code'], registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb and resource.',
      labelNames: ['verb', 'resource'], registers: [this.registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 5, 10, 30, 60],
    });
    this.watchers = new Gauge({
      name: 'apiserver_registered_watchers', help: 'Number of currently registered watchers for a given resource.',
      labelNames: ['resource'], registers: [this.registry],
    });
    this.rejected = new Counter({
      name: 'apiserver_flowcontrol_rejected_requests_total', help: 'Number of requests rejected by API Priority and Fairness subsystem',
      labelNames: ['priority_level', 'reason'], registers: [this.registry],
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** apiserver_current_inflight_requests, read from the in-flight limiter at scrape time. */
  trackInflight(inflight: (kind: 'readOnly' | 'mutating') => number): void {
    new Gauge({
      name: 'apiserver_current_inflight_requests', help: 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.',
      labelNames: ['request_kind'], registers: [this.registry],
      collect() {
        this.set({ request_kind: 'readOnly' }, inflight('readOnly'));
        this.set({ request_kind: 'mutating' }, inflight('mutating'));
      },
    });
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    // watches are long-lived; their duration says nothing about latency
    if (verb !== 'WATCH') this.duration.observe({ verb, resource }, seconds);
  }
}
