/** Prometheus metrics with Kubernetes' names (a private registry per server, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'verb' | 'resource' | 'code'>;
  readonly duration: Histogram<'verb' | 'resource'>;
  readonly watchers: Gauge<'resource'>;

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
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observe(verb: string, resource: string, code: number, seconds: number): void {
    this.requests.inc({ verb, resource, code: String(code) });
    // watches are long-lived; their duration says nothing about latency
    if (verb !== 'WATCH') this.duration.observe({ verb, resource }, seconds);
  }
}
