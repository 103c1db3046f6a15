import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the controller-manager (its own registry, served on /metrics). */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly syncs = new Counter({
    name: 'controller_sync_total', help: 'Reconciles by controller and result.', labelNames: ['controller', 'result'], registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'controller_sync_duration_seconds', help: 'Time spent in one reconcile.', labelNames: ['controller'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry],
  });
  readonly leader = new Counter({ name: 'leader_election_transitions_total', help: 'Times this process became leader.', registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  observe(controller: string, result: 'success' | 'error', ms: number): void {
    this.syncs.inc({ controller, result });
    this.duration.observe({ controller }, ms / 1000);
  }
}
