import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';
import { cannotRun, enabledControllers } from './manager.js';

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
    expect(parseFlags(['--leader-elect-retry-period', '250ms']).leaderElectRetryPeriodMs).toBe(250);
    expect(parseFlags(['--cluster-signing-duration', '1.5h']).options).toMatchObject({ clusterSigningDurationMs: 5_400_000 });
    expect(() => parseFlags(['--node-monitor-grace-period', '40'])).toThrow('time: missing unit in duration "40"');
    expect(() => parseFlags(['--node-monitor-grace-period', '1d'])).toThrow('time: unknown unit "d" in duration "1d"');
  });

  it('selects controllers like --controllers', () => {
    expect(enabledControllers(['*'], false)).not.toContain('nodeipam');
    expect(enabledControllers(['*', '-garbagecollector'], true)).toContain('nodeipam');
    expect(enabledControllers(['*', '-garbagecollector'], true)).not.toContain('garbagecollector');
    expect(enabledControllers(['replicaset', 'deployment'], true)).toEqual(['replicaset', 'deployment']);
    expect(() => enabledControllers(['nope'], true)).toThrow(/unknown controller/);
    expect(enabledControllers(['*'], false)).toContain('clusterrole-aggregation');
    expect(enabledControllers(['clusterrole-aggregation'], false)).toEqual(['clusterrole-aggregation']);
    expect(enabledControllers(['*'], false)).toEqual(expect.arrayContaining(['serviceaccount', 'root-ca-cert-publisher']));
    expect(enabledControllers(['*', '-serviceaccount'], false)).not.toContain('serviceaccount');
  });

  it('--root-ca-file: root-ca-cert-publisher runs only with it', () => {
    expect(parseFlags([]).rootCaFile).toBeUndefined();
    expect(parseFlags(['--root-ca-file', '/etc/kubernetes/pki/ca.crt']).rootCaFile).toBe('/etc/kubernetes/pki/ca.crt');
    const options = parseFlags([]).options;
    expect(cannotRun('root-ca-cert-publisher', options)).toBe('--root-ca-file is not set');
    expect(cannotRun('root-ca-cert-publisher', { ...options, rootCA: '-----BEGIN CERTIFICATE-----' })).toBeUndefined();
    expect(cannotRun('serviceaccount', options)).toBeUndefined();
  });
});

describe('controllers off by default', () => {
  it('bootstrapsigner and tokencleaner run only when named, as in kube', () => {
    expect(enabledControllers(['*'], true)).not.toContain('bootstrapsigner');
    expect(enabledControllers(['*'], true)).not.toContain('tokencleaner');
    expect(enabledControllers(['*'], true)).toEqual(expect.arrayContaining(['csrapproving', 'csrsigning']));
    expect(enabledControllers(['*', 'bootstrapsigner', 'tokencleaner'], true)).toEqual(expect.arrayContaining(['bootstrapsigner', 'tokencleaner']));
  });

  it('csrsigning does not run without the signing CA', () => {
    const options = parseFlags([]).options;
    expect(cannotRun('csrsigning', options)).toMatch(/--cluster-signing-cert-file/);
    expect(cannotRun('csrsigning', { ...options, clusterSigning: { certPem: 'c', keyPem: 'k' } })).toBeUndefined();
    expect(parseFlags(['--cluster-signing-duration', '24h']).options.clusterSigningDurationMs).toBe(86_400_000);
  });
});
