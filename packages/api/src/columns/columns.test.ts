import { describe, expect, it } from 'vitest';
import type { Deployment } from '../schemas/apps.js';
import type { Event } from '../schemas/config.js';
import type { Node } from '../schemas/node.js';
import type { Endpoints, Service } from '../schemas/service.js';
import { daemonSetColumns, deploymentColumns, replicaSetColumns } from './apps.js';
import { selectorString } from './common.js';
import { endpointsColumns, eventColumns, formatEndpoints, nodeColumns, serviceColumns } from './core.js';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-04-29T09:00:00Z';
const header = (cols: { name: string }[]) => cols.map((c) => c.name.toUpperCase());

describe('node columns', () => {
  const node = (labels: Record<string, string>, ready: 'True' | 'False' | undefined, unschedulable = false): Node => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'cp', creationTimestamp: created, labels },
    spec: { unschedulable },
    status: {
      conditions: ready ? [{ type: 'Ready', status: ready }] : [],
      addresses: [{ type: 'InternalIP', address: '127.0.1.1' }, { type: 'Hostname', address: 'cp' }],
      nodeInfo: { kubeletVersion: 'v1.32.0-tinykube', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'tinykube://0.1' },
    },
  });
  it('has kubectl headers', () => {
    expect(header(nodeColumns)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
  });
  it('shows Ready,SchedulingDisabled when cordoned and roles from labels', () => {
    const n = node({ 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/etcd': '', other: 'x' }, 'True', true);
    expect(nodeColumns.map((c) => c.cell(n, now))).toEqual([
      'cp', 'Ready,SchedulingDisabled', 'control-plane,etcd', '2d3h', 'v1.32.0-tinykube', '127.0.1.1', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'tinykube://0.1',
    ]);
    expect(nodeColumns[1]!.cell(node({}, 'False'), now)).toBe('NotReady');
    expect(nodeColumns[1]!.cell(node({}, undefined), now)).toBe('Unknown');
    expect(nodeColumns[2]!.cell(node({}, 'True'), now)).toBe('<none>');
  });
});

describe('workload columns', () => {
  const d: Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', creationTimestamp: created },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } },
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  it('Deployment: NAME READY UP-TO-DATE AVAILABLE AGE + CONTAINERS IMAGES SELECTOR', () => {
    expect(header(deploymentColumns)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(deploymentColumns.map((c) => c.cell(d, now))).toEqual(['web', '2/3', 3, 2, '2d3h', 'nginx,log', 'nginx:1.27,busybox', 'app=web,tier in (a,b)']);
  });
  it('ReplicaSet and DaemonSet headers', () => {
    expect(header(replicaSetColumns)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(header(daemonSetColumns)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  });
  it('selector strings sort by key and render every operator', () => {
    expect(selectorString({ matchExpressions: [{ key: 'z', operator: 'DoesNotExist' }, { key: 'b', operator: 'Exists' }, { key: 'c', operator: 'NotIn', values: ['x'] }] })).toBe('b,c notin (x),!z');
    expect(selectorString(undefined)).toBe('');
  });
});

describe('service, endpoints and event columns', () => {
  const svc = (spec: Service['spec'], status?: Service['status']): Service => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: 's', creationTimestamp: created }, spec, status,
  });
  it('Service: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE + SELECTOR', () => {
    expect(header(serviceColumns)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const np = svc({ type: 'NodePort', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] });
    expect(serviceColumns.map((c) => c.cell(np, now))).toEqual(['s', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP,53/UDP', '2d3h', 'app=web']);
    expect(serviceColumns[3]!.cell(svc({ type: 'LoadBalancer' }), now)).toBe('<pending>');
    expect(serviceColumns[3]!.cell(svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }), now)).toBe('1.2.3.4');
    expect(serviceColumns[3]!.cell(svc({ type: 'ExternalName', externalName: 'example.com' }), now)).toBe('example.com');
    expect(serviceColumns[2]!.cell(svc({ clusterIP: 'None' }), now)).toBe('None');
    expect(serviceColumns[6]!.cell(svc({}), now)).toBe('<none>');
  });

  it('Endpoints: up to three ip:port then "+ N more..."', () => {
    const ep = (n: number): Endpoints => ({
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' },
      subsets: [{ addresses: Array.from({ length: n }, (_, i) => ({ ip: `10.0.0.${i + 1}` })), ports: [{ port: 8080 }] }],
    });
    expect(formatEndpoints(ep(2))).toBe('10.0.0.1:8080,10.0.0.2:8080');
    expect(formatEndpoints(ep(5))).toBe('10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...');
    expect(endpointsColumns[1]!.cell({ apiVersion: 'v1', kind: 'Endpoints', metadata: {} }, now)).toBe('<none>');
  });

  it('Event: LAST SEEN TYPE REASON OBJECT MESSAGE (+ wide)', () => {
    expect(header(eventColumns.filter((c) => c.priority === 0))).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const e: Event = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-1.17a' },
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
      reason: 'Pulled', message: ' Container image already present ', type: 'Normal', count: 3,
      firstTimestamp: '2024-05-01T11:00:00Z', lastTimestamp: '2024-05-01T11:59:15Z', source: { component: 'kubelet', host: 'worker-1' },
    };
    expect(eventColumns.map((c) => c.cell(e, now))).toEqual([
      '45s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, worker-1', 'Container image already present', '60m', 3, 'web-1.17a',
    ]);
  });
});
