import type { Deployment, KubeObject, Node, Pod, PodPhase, ReplicaSet, Service } from '@tinykube/api';
import { ownerRefFor } from './pods.js';

/** Object builders for unit tests (sample-controller's newReplicaSet / newPod helpers). */

export const T0 = '2026-01-01T00:00:00.000Z';

export function newReplicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', generation: 1, creationTimestamp: T0 },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'pause' }] } },
    },
  };
}

export interface PodOpts {
  owner?: KubeObject;
  labels?: Record<string, string>;
  phase?: PodPhase;
  ready?: boolean;
  readySince?: string;
  node?: string;
  ip?: string;
  created?: string;
  namespace?: string;
  deleting?: boolean;
}

export function newPod(name: string, o: PodOpts = {}): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: o.created ?? T0,
      labels: o.labels ?? {},
    },
    spec: { containers: [{ name: 'c', image: 'pause' }] },
    status: { phase: o.phase ?? 'Running' },
  };
  if (o.owner) pod.metadata.ownerReferences = [ownerRefFor(o.owner)];
  if (o.node) pod.spec.nodeName = o.node;
  if (o.ip) pod.status!.podIP = o.ip;
  if (o.deleting) pod.metadata.deletionTimestamp = T0;
  if (o.ready !== undefined) {
    pod.status!.conditions = [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: o.readySince ?? T0 }];
  }
  return pod;
}

export function newDeployment(name: string, replicas: number, image = 'img:1'): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', generation: 1, creationTimestamp: T0 },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

export function newNode(name: string, o: { labels?: Record<string, string>; ready?: 'True' | 'False' | 'Unknown'; taints?: NonNullable<Node['spec']>['taints']; podCIDR?: string } = {}): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: T0, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady', lastHeartbeatTime: T0, lastTransitionTime: T0 }] },
  };
  if (o.taints) node.spec!.taints = o.taints;
  if (o.podCIDR) node.spec!.podCIDR = o.podCIDR;
  return node;
}

export function newService(name: string, selector: Record<string, string> | undefined, ports: Service['spec']['ports'] = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: T0, labels: { svc: name } },
    spec: { selector, ports, clusterIP: '10.96.0.10' },
  };
}
