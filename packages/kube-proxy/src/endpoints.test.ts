import { describe, expect, it } from 'vitest';
import type { Endpoints, Node, Service } from '@tinykube/api';
import { affinityOf, backendsFor, computeServicePlan, nodeIPOf, servicePortName } from './endpoints.js';

function svc(spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec };
}

const eps: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default' },
  subsets: [
    {
      addresses: [{ ip: '127.1.0.3', nodeName: 'n2' }, { ip: '127.1.0.2', nodeName: 'n1' }],
      notReadyAddresses: [{ ip: '127.1.0.9' }],
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }, { name: 'dns', port: 53, protocol: 'UDP' }],
    },
    { addresses: [{ ip: '127.1.0.4' }, { ip: '127.1.0.2' }], ports: [{ name: 'http', port: 8080 }] },
    { addresses: [{ ip: '127.1.0.5' }], ports: [{ name: 'http', port: 8081 }] },
  ],
};

describe('backendsFor', () => {
  it('takes ready addresses × the port of the same name, de-duplicated and sorted', () => {
    expect(backendsFor(eps, 'http')).toEqual([
      { ip: '127.1.0.2', port: 8080, nodeName: 'n1' },
      { ip: '127.1.0.3', port: 8080, nodeName: 'n2' },
      { ip: '127.1.0.4', port: 8080 },
      { ip: '127.1.0.5', port: 8081 },
    ]);
    expect(backendsFor(eps, 'metrics').map((b) => `${b.ip}:${b.port}`)).toEqual(['127.1.0.2:9090', '127.1.0.3:9090']);
  });

  it('matches the protocol and never uses notReadyAddresses', () => {
    expect(backendsFor(eps, 'dns')).toEqual([]);
    expect(backendsFor(eps, 'dns', 'UDP')).toHaveLength(2);
    expect(backendsFor(eps, 'http').some((b) => b.ip === '127.1.0.9')).toBe(false);
  });

  it('is empty without Endpoints or for an unknown port', () => {
    expect(backendsFor(undefined, 'http')).toEqual([]);
    expect(backendsFor(eps, 'nope')).toEqual([]);
  });

  it('matches an unnamed service port to unnamed endpoint ports', () => {
    const e: Endpoints = { ...eps, subsets: [{ addresses: [{ ip: '127.1.0.7' }], ports: [{ port: 80 }] }] };
    expect(backendsFor(e, '')).toEqual([{ ip: '127.1.0.7', port: 80 }]);
  });
});

describe('computeServicePlan', () => {
  it('plans ClusterIP, nodePorts and backends per port', () => {
    const plan = computeServicePlan(
      svc({
        type: 'NodePort', clusterIP: '127.96.0.10',
        ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }],
      }),
      eps,
    );
    expect(plan.clusterIP).toBe('127.96.0.10');
    expect(plan.nodePorts).toBe(true);
    expect(plan.affinity).toEqual({ kind: 'None' });
    expect(plan.ports.map((p) => [p.name, p.protocol, p.port, p.nodePort, p.backends.length])).toEqual([
      ['http', 'TCP', 80, 30080, 4],
      ['dns', 'UDP', 53, 30053, 2],
    ]);
  });

  it('ignores nodePort on a ClusterIP service and has no ClusterIP when headless', () => {
    const plan = computeServicePlan(svc({ clusterIP: 'None', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), eps);
    expect(plan.clusterIP).toBeUndefined();
    expect(plan.nodePorts).toBe(false);
    expect(plan.ports[0]!.nodePort).toBeUndefined();
  });

  it('plans nothing for ExternalName', () => {
    const plan = computeServicePlan(svc({ type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }), eps);
    expect(plan).toMatchObject({ clusterIP: undefined, ports: [] });
  });
});

describe('affinityOf', () => {
  it('defaults the ClientIP timeout to 10800 s and reads sessionAffinityConfig', () => {
    expect(affinityOf(svc({ sessionAffinity: 'None' }))).toEqual({ kind: 'None' });
    expect(affinityOf(svc({ sessionAffinity: 'ClientIP' }))).toEqual({ kind: 'ClientIP', timeoutMs: 10_800_000 });
    expect(affinityOf(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }))).toEqual({ kind: 'ClientIP', timeoutMs: 60_000 });
  });
});

describe('nodeIPOf and servicePortName', () => {
  it('prefers InternalIP over ExternalIP', () => {
    const node = (addresses: { type: string; address: string }[]): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {}, status: { addresses } });
    expect(nodeIPOf(node([{ type: 'Hostname', address: 'n1' }, { type: 'ExternalIP', address: '1.2.3.4' }, { type: 'InternalIP', address: '127.0.1.2' }]))).toBe('127.0.1.2');
    expect(nodeIPOf(node([{ type: 'ExternalIP', address: '1.2.3.4' }]))).toBe('1.2.3.4');
    expect(nodeIPOf(undefined)).toBeUndefined();
  });

  it('names service ports like kube-proxy', () => {
    expect(servicePortName('default/web', 'http')).toBe('default/web:http');
    expect(servicePortName('default/web', '')).toBe('default/web');
  });
});
