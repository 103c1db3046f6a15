import { describe, expect, it } from 'vitest';
import { parseDuration, parseFlags } from './flags.js';
import { enabledControllers } from './manager.js';

describe('flags', () => {
  it('has kube-controller-manager defaults', () => {
    const f = parseFlags([]);
    expect(f.port).toBe(10257);
    expect(f.leaderElect).toBe(true);
    expect(parseFlags(['--leader-elect', 'false']).leaderElect).toBe(false);
    expect(f.options).toMatchObject({
      controllers: ['*'], nodeMonitorGracePeriodMs: 40_000, podEvictionTimeoutSeconds: 300, nodeEvictionRate: 0.1,
      clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24, allocateNodeCidrs: true, concurrency: {},
    });
  });

  it('parses durations, booleans and concurrency flags', () => {
    const f = parseFlags(['--kubeconfig', '/k', '--leader-elect', '--node-monitor-grace-period', '1m30s', '--pod-eviction-timeout', '2s',
      '--allocate-node-cidrs', 'false', '--port', '0', '--concurrent-deployment-syncs', '3', '--concurrent-gc-syncs', '7']);
    expect(f).toMatchObject({ kubeconfig: '/k', leaderElect: true, port: 0 });
    expect(f.options).toMatchObject({ nodeMonitorGracePeriodMs: 90_000, podEvictionTimeoutSeconds: 2, allocateNodeCidrs: false, concurrency: { deployment: 3, garbagecollector: 7 } });
    expect(parseDuration('250ms')).toBe(250);
    expect(() => parseDuration('40')).toThrow(/invalid duration/);
  });

  it('selects controllers like --controllers', () => {
    expect(enabledControllers(['*'], false)).not.toContain('nodeipam');
    expect(enabledControllers(['*', '-garbagecollector'], true)).toContain('nodeipam');
    expect(enabledControllers(['*', '-garbagecollector'], true)).not.toContain('garbagecollector');
    expect(enabledControllers(['replicaset', 'deployment'], true)).toEqual(['replicaset', 'deployment']);
    expect(() => enabledControllers(['nope'], true)).toThrow(/unknown controller/);
  });
});
