import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** kube-scheduler's core metrics (same names), on a registry of our own. */
export class SchedulerMetrics {
  readonly registry = new Registry();
  readonly attempts: Counter<'result' | 'profile'>;
  readonly attemptDuration: Histogram<'result' | 'profile'>;
  readonly pendingPods: Gauge<'queue'>;
  readonly bindingErrors: Counter;
  readonly isLeader: Gauge;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding start).',
      labelNames: ['result', 'profile'],
      buckets: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.pendingPods = new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Number of pending pods, by the queue type.',
      labelNames: ['queue'],
      registers,
    });
    this.bindingErrors = new Counter({
      name: 'scheduler_binding_errors_total',
      help: 'Bindings the apiserver rejected.',
      registers,
    });
    this.isLeader = new Gauge({
      name: 'scheduler_leader_election_master_status',
      help: 'Whether this instance currently leads (1) or stands by (0).',
      registers,
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  observeAttempt(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void {
    this.attempts.inc({ result, profile: 'default-scheduler' });
    this.attemptDuration.observe({ result, profile: 'default-scheduler' }, seconds);
  }

  setPending(l: { active: number; backoff: number; unschedulable: number }): void {
    this.pendingPods.set({ queue: 'active' }, l.active);
    this.pendingPods.set({ queue: 'backoff' }, l.backoff);
    this.pendingPods.set({ queue: 'unschedulable' }, l.unschedulable);
  }
}
