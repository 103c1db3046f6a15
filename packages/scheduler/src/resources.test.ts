import { describe, expect, it } from 'vitest';
import { podRequests, quantityScaled, resourceAmount, toResources } from './resources.js';

describe('quantityScaled', () => {
  it.each([
    ['100m', 3, 100],
    ['1', 3, 1000],
    ['1.5', 3, 1500],
    ['0.1', 3, 100],
    ['2', 0, 2],
    ['128Mi', 0, 128 * 1024 * 1024],
    ['1Gi', 0, 1024 ** 3],
    ['0.5Gi', 0, 512 * 1024 * 1024],
    ['1G', 0, 1e9],
    ['500k', 0, 500_000],
    ['1e3', 0, 1000],
    ['1E3', 0, 1000],
    ['1E', 0, 1e18],
    ['1.1m', 3, 2], // 1.1 milli rounds up to 2
    ['1n', 0, 1], // Value() rounds up
    ['-1', 0, -1],
  ] as const)('%s at scale %d = %d', (q, scale, want) => {
    expect(quantityScaled(q, scale)).toBe(want);
  });

  it('rejects garbage', () => {
    expect(quantityScaled('abc', 0)).toBeUndefined();
    expect(quantityScaled('1Kb', 0)).toBeUndefined();
    expect(quantityScaled('', 0)).toBeUndefined();
  });

  it('accepts numbers and names cpu in milli', () => {
    expect(resourceAmount('cpu', 2)).toBe(2000);
    expect(resourceAmount('memory', '1Ki')).toBe(1024);
    expect(resourceAmount('memory', 'bogus')).toBe(0);
  });
});

describe('toResources', () => {
  it('splits cpu, memory and others, ignoring pods', () => {
    const r = toResources({ cpu: '2', memory: '1Gi', pods: '110', 'nvidia.com/gpu': '1' });
    expect(r.milliCpu).toBe(2000);
    expect(r.memory).toBe(1024 ** 3);
    expect([...(r.other ?? [])]).toEqual([['nvidia.com/gpu', 1]]);
  });
});

describe('podRequests', () => {
  const c = (cpu?: string, memory?: string, extra: Record<string, unknown> = {}) => ({
    resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
    ...extra,
  });

  it('sums containers', () => {
    const r = podRequests({ containers: [c('100m', '64Mi'), c('250m', '64Mi')] });
    expect(r.milliCpu).toBe(350);
    expect(r.memory).toBe(128 * 1024 * 1024);
  });

  it('takes the max with init containers', () => {
    const r = podRequests({ containers: [c('100m'), c('100m')], initContainers: [c('500m'), c('50m')] });
    expect(r.milliCpu).toBe(500);
  });

  it('adds sidecars to the sum and to later init containers', () => {
    const r = podRequests({
      containers: [c('100m')],
      initContainers: [c('200m', undefined, { restartPolicy: 'Always' }), c('250m')],
    });
    // sum = 100 + 200 (sidecar); init peak = 250 + 200 = 450
    expect(r.milliCpu).toBe(450);
  });

  it('falls back to limits and adds overhead', () => {
    const r = podRequests({
      containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { memory: '512Mi' } } }],
      overhead: { cpu: '10m' },
    });
    expect(r.milliCpu).toBe(1010);
    expect(r.memory).toBe(512 * 1024 * 1024);
  });

  it('uses non-zero defaults for scoring', () => {
    const r = podRequests({ containers: [{}, c('300m')] }, true);
    expect(r.milliCpu).toBe(400);
    expect(r.memory).toBe(400 * 1024 * 1024);
    expect(podRequests({ containers: [{}] }).milliCpu).toBe(0);
  });
});
