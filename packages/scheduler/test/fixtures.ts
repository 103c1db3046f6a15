// Hand-built Pod and Node objects for the scheduler's unit tests.
import { NodeInfo } from '../src/node-info.js';
import { parseNode, parsePod } from '../src/informer-objects.js';
import { newPodInfo, type PodInfo } from '../src/pod-info.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | 'none';
  extra?: Record<string, string>;
}

export function nodeObj(name: string, o: NodeOpts = {}): Record<string, unknown> {
  const ready = o.ready ?? 'True';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { unschedulable: o.unschedulable, taints: o.taints },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...(o.extra ?? {}) },
      conditions: ready === 'none' ? [] : [{ type: 'Ready', status: ready }],
    },
  };
}

export interface PodOpts {
  ns?: string;
  uid?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  schedulerName?: string;
  tolerations?: Array<Record<string, unknown>>;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  hostPorts?: Array<{ hostPort: number; protocol?: string; hostIP?: string }>;
  owner?: string;
  priority?: number;
  phase?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
  preemptionPolicy?: string;
  extra?: Record<string, string>;
  resourceVersion?: string;
}

export function podObj(name: string, o: PodOpts = {}): Record<string, unknown> {
  const requests: Record<string, string> = { ...(o.extra ?? {}) };
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      resourceVersion: o.resourceVersion ?? '1',
      labels: o.labels,
      deletionTimestamp: o.deleting ? '2026-01-01T00:00:00Z' : undefined,
      ownerReferences: o.owner
        ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }]
        : undefined,
    },
    spec: {
      nodeName: o.nodeName,
      schedulerName: o.schedulerName,
      priority: o.priority,
      preemptionPolicy: o.preemptionPolicy,
      tolerations: o.tolerations,
      nodeSelector: o.nodeSelector,
      affinity: o.affinity,
      containers: [
        {
          name: 'c',
          image: 'pause',
          resources: { requests },
          ports: o.hostPorts?.map((p) => ({ containerPort: p.hostPort, ...p })),
        },
      ],
    },
    status: { phase: o.phase ?? 'Pending' },
  };
}

export function podInfo(name: string, o: PodOpts = {}): PodInfo {
  const p = parsePod(podObj(name, o));
  if (!p) throw new Error(`bad pod fixture ${name}`);
  return newPodInfo(p);
}

export function nodeInfo(name: string, o: NodeOpts = {}, pods: PodInfo[] = []): NodeInfo {
  const n = parseNode(nodeObj(name, o));
  if (!n) throw new Error(`bad node fixture ${name}`);
  const info = new NodeInfo(name);
  info.setNode(n);
  for (const p of pods) info.addPod(p);
  return info;
}

/** A deterministic RNG: a fixed sequence, repeated. */
export function seqRng(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}
