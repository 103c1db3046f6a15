import { describe, expect, it } from 'vitest';
import { nodeInfo, podInfo } from '../../test/fixtures.js';
import { nodePortsFilter } from './node-ports.js';

describe('nodePortsFilter', () => {
  const holder = (hostPorts: Array<{ hostPort: number; protocol?: string; hostIP?: string }>) =>
    nodeInfo('n', {}, [podInfo('existing', { nodeName: 'n', hostPorts })]);

  it('conflicts on the same protocol/port on 0.0.0.0', () => {
    const r = nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 8080 }] }), holder([{ hostPort: 8080 }]));
    expect(r?.reasons).toEqual(["node(s) didn't have free ports for the requested pod ports"]);
    expect(r?.unresolvable).toBe(false);
  });

  it('different port or protocol is fine', () => {
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 8081 }] }), holder([{ hostPort: 8080 }]))).toBeNull();
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 8080, protocol: 'UDP' }] }), holder([{ hostPort: 8080 }]))).toBeNull();
  });

  it('specific IPs conflict only with the same IP or 0.0.0.0', () => {
    const node = holder([{ hostPort: 80, hostIP: '127.0.0.1' }]);
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 80, hostIP: '127.0.0.2' }] }), node)).toBeNull();
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 80, hostIP: '127.0.0.1' }] }), node)).not.toBeNull();
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 80 }] }), node)).not.toBeNull();
  });

  it('ports are released when the pod leaves', () => {
    const node = holder([{ hostPort: 8080 }]);
    node.removePod('uid-existing');
    expect(nodePortsFilter.filter(podInfo('p', { hostPorts: [{ hostPort: 8080 }] }), node)).toBeNull();
  });
});
