import { describe, expect, it } from 'vitest';
import { SchedulerMetrics } from './metrics.js';

describe('SchedulerMetrics', () => {
  it('exposes attempts and pending pods under kube-scheduler\'s names', async () => {
    const metrics = new SchedulerMetrics();
    metrics.observeAttempt('scheduled', 0.001);
    metrics.setPending({ active: 3, backoff: 1, unschedulable: 2 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('scheduler_schedule_attempts_total{result="scheduled",profile="default-scheduler"} 1');
    expect(text).toContain('scheduler_pending_pods{queue="unschedulable"} 2');
  });
});
