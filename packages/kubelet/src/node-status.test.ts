import { describe, expect, it } from 'vitest';
import { buildNode, goArch, nodeConditions, parseLabels, parseTaints, type SystemInfo } from './node-status.js';

const sys: SystemInfo = { cpus: 2, memoryBytes: 4 * 1024 ** 3, ephemeralStorageBytes: 10 * 1024 ** 3, osImage: 'Debian', kernelVersion: '6.1', architecture: 'amd64', machineID: 'm', bootID: 'b' };
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('node registration', () => {
  it('parses taints and labels flags', () => {
    expect(parseTaints('node-role.kubernetes.io/control-plane:NoSchedule,a=b:NoExecute')).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      { key: 'a', value: 'b', effect: 'NoExecute' },
    ]);
    expect(() => parseTaints('a=b:Sometimes')).toThrow('invalid taint');
    expect(parseLabels('a=1, b=two')).toEqual({ a: '1', b: 'two' });
    expect(() => parseLabels('novalue')).toThrow();
    expect(goArch('x64')).toBe('amd64');
  });

  it('builds the Node with addresses, capacity, nodeInfo, labels and taints', () => {
    const n = buildNode({ nodeName: 'w1', nodeIP: '127.0.1.2', labels: { zone: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }], kubeletPort: 10250, runtimeVersion: 'tinykube-process://0.1' }, sys, T0);
    expect(n.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'w1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', zone: 'a' });
    expect(n.spec.taints).toEqual([{ key: 'k', effect: 'NoSchedule' }]);
    expect(n.status?.addresses).toEqual([{ type: 'InternalIP', address: '127.0.1.2' }, { type: 'Hostname', address: 'w1' }]);
    expect(n.status?.capacity).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '10485760Ki' });
    expect(n.status?.allocatable?.memory).toBe(`${4194304 - 102400}Ki`);
    expect(n.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0-tinykube', containerRuntimeVersion: 'tinykube-process://0.1', operatingSystem: 'linux', architecture: 'amd64' });
    expect(n.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
  });

  it('computes conditions, keeping transition times while they hold', () => {
    const first = nodeConditions({ memory: false, disk: false, pid: false }, undefined, T0);
    expect(first.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    const later = nodeConditions({ memory: true, disk: false, pid: false }, first, T0 + 60_000);
    expect(later[0]).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', lastTransitionTime: '2026-01-01T00:01:00Z' });
    expect(later[3]).toMatchObject({ lastTransitionTime: '2026-01-01T00:00:00Z', lastHeartbeatTime: '2026-01-01T00:01:00Z' });
  });
});
