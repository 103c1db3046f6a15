// The strategic merge patches kubectl really sends, applied to the kinds we serve.
import { describe, expect, it } from 'vitest';
import { strategicMergePatch } from './strategic-merge-patch.js';

// Fixtures are indexed deeply by the assertions; loose typing keeps them readable.
type Obj = Record<string, any>;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: '{"old":true}', 'deployment.kubernetes.io/revision': '1' },
      finalizers: ['example.com/a'],
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.24',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
            { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity'] },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'a', operator: 'Exists' }],
          restartPolicy: 'Always',
        },
      },
    },
    status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] },
  };
}

function node(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } },
    spec: { podCIDR: '127.1.1.0/24', podCIDRs: ['127.1.1.0/24'], taints: [{ key: 'old', value: 'x', effect: 'NoSchedule' }] },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 't0' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: 't0' },
      ],
      addresses: [{ type: 'InternalIP', address: '127.0.1.1' }, { type: 'Hostname', address: 'worker-1' }],
    },
  };
}

const containersOf = (d: Obj): Obj[] => d.spec.template.spec.containers;

describe('kubectl apply (client-side, second time)', () => {
  it('changes an image with $setElementOrder/containers and keeps server-side fields', () => {
    const patch = {
      metadata: { annotations: { [LAST_APPLIED]: '{"new":true}' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
            containers: [{ image: 'nginx:1.25', name: 'web' }],
          },
        },
      },
    };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.spec.replicas).toBe(3);
    expect(out.metadata.annotations).toEqual({ [LAST_APPLIED]: '{"new":true}', 'deployment.kubernetes.io/revision': '1' });
    expect(containersOf(out).map((c) => c.name)).toEqual(['web', 'sidecar']);
    expect(containersOf(out)[0]).toEqual({ ...containersOf(deployment())[0], image: 'nginx:1.25' });
    expect(containersOf(out)[1]).toEqual(containersOf(deployment())[1]);
    expect(out.status).toEqual(deployment().status);
  });

  it('removes a container and an env var dropped from the manifest', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              { name: 'web', '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }] },
              { $patch: 'delete', name: 'sidecar' },
            ],
          },
        },
      },
    };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out).map((c) => c.name)).toEqual(['web']);
    expect(containersOf(out)[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(containersOf(out)[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('adds a container in the manifest order', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'metrics' }, { name: 'sidecar' }],
            containers: [{ name: 'metrics', image: 'prom:1' }],
          },
        },
      },
    };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out).map((c) => c.name)).toEqual(['web', 'metrics', 'sidecar']);
  });

  it('switches the deployment strategy with $retainKeys', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('swaps a volume source with $retainKeys on a merged volume', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }],
          },
        },
      },
    };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('removes a finalizer with $deleteFromPrimitiveList and adds another', () => {
    const patch = {
      metadata: {
        '$setElementOrder/finalizers': ['example.com/b'],
        '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
        finalizers: ['example.com/b'],
      },
    };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.metadata.finalizers).toEqual(['example.com/b']);
  });
});

describe('kubectl imperative commands', () => {
  it('kubectl set image changes one container only', () => {
    const patch = { spec: { template: { spec: { containers: [{ image: 'busybox:1.37', name: 'sidecar' }] } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out).map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:1.24'],
      ['sidecar', 'busybox:1.37'],
    ]);
    expect(containersOf(out)[1].command).toEqual(['sleep', 'infinity']);
  });

  it('kubectl rollout restart adds a template annotation and keeps the labels', () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.spec.template.metadata).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' },
    });
    expect(containersOf(out)).toEqual(containersOf(deployment()));
  });

  it('kubectl cordon and uncordon', () => {
    const cordoned = strategicMergePatch(node(), { spec: { unschedulable: true } }, 'Node') as Obj;
    expect(cordoned.spec).toEqual({ ...node().spec, unschedulable: true });
    const uncordoned = strategicMergePatch(cordoned, { spec: { unschedulable: null } }, 'Node') as Obj;
    expect(uncordoned.spec).toEqual(node().spec);
  });

  it('kubectl taint sends the whole taint list, which replaces it', () => {
    const added = strategicMergePatch(
      node(),
      { spec: { taints: [{ effect: 'NoSchedule', key: 'old', value: 'x' }, { effect: 'NoExecute', key: 'dedicated', value: 'gpu' }] } },
      'Node',
    ) as Obj;
    expect(added.spec.taints).toEqual([
      { effect: 'NoSchedule', key: 'old', value: 'x' },
      { effect: 'NoExecute', key: 'dedicated', value: 'gpu' },
    ]);
    const removedOne = strategicMergePatch(added, { spec: { taints: [{ effect: 'NoExecute', key: 'dedicated', value: 'gpu' }] } }, 'Node') as Obj;
    expect(removedOne.spec.taints).toEqual([{ effect: 'NoExecute', key: 'dedicated', value: 'gpu' }]);
    const removedAll = strategicMergePatch(removedOne, { spec: { taints: null } }, 'Node') as Obj;
    expect(removedAll.spec.taints).toBeUndefined();
  });

  it('tolerations are replaced, not merged', () => {
    const patch = { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('kubectl patch adding a container puts it first, as Kubernetes does', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'redis', image: 'redis' }] } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out).map((c) => c.name)).toEqual(['redis', 'web', 'sidecar']);
  });

  it('deletes a container with $patch: delete', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out).map((c) => c.name)).toEqual(['web']);
  });

  it('deletes an env var by name, and an env var value with null', () => {
    const byDirective = strategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', $patch: 'delete' }] }] } } } },
      'Deployment',
    ) as Obj;
    expect(containersOf(byDirective)[0].env).toEqual([{ name: 'B', value: '2' }]);
    const byNull = strategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: null, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] } } } },
      'Deployment',
    ) as Obj;
    expect(containersOf(byNull)[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
  });

  it('merges container ports by containerPort and volumeMounts by mountPath', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, protocol: 'TCP' }],
                volumeMounts: [{ mountPath: '/data', readOnly: true }],
              },
            ],
          },
        },
      },
    };
    const web = containersOf(strategicMergePatch(deployment(), patch, 'Deployment') as Obj)[0];
    expect(web.ports).toEqual([
      { containerPort: 80, protocol: 'TCP', name: 'http' },
      { containerPort: 443, protocol: 'TCP' },
    ]);
    expect(web.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  it('replaces the container list with $patch: replace', () => {
    const patch = { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } };
    const out = strategicMergePatch(deployment(), patch, 'Deployment') as Obj;
    expect(containersOf(out)).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces labels with $patch: replace', () => {
    const out = strategicMergePatch(deployment(), { metadata: { labels: { $patch: 'replace', tier: 'front' } } }, 'Deployment') as Obj;
    expect(out.metadata.labels).toEqual({ tier: 'front' });
  });
});

describe('status and other kinds', () => {
  it('a kubelet node status patch merges conditions and addresses by type', () => {
    const patch = {
      status: {
        '$setElementOrder/conditions': [{ type: 'MemoryPressure' }, { type: 'Ready' }],
        conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: 't1', reason: 'KubeletNotReady' }],
        addresses: [{ type: 'InternalIP', address: '127.0.1.9' }],
      },
    };
    const out = strategicMergePatch(node(), patch, 'Node') as Obj;
    expect(out.status.conditions).toEqual([
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 't0' },
      { type: 'Ready', status: 'False', lastHeartbeatTime: 't1', reason: 'KubeletNotReady' },
    ]);
    expect(out.status.addresses).toEqual([{ type: 'InternalIP', address: '127.0.1.9' }, { type: 'Hostname', address: 'worker-1' }]);
  });

  it('pod status conditions merge by type, containerStatuses are replaced', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }],
        containerStatuses: [{ name: 'c', ready: false }, { name: 'd', ready: false }],
      },
    };
    const out = strategicMergePatch(
      pod,
      { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true }] } },
      'Pod',
    ) as Obj;
    expect(out.status.phase).toBe('Running');
    expect(out.status.conditions.map((c: Obj) => c.type).sort()).toEqual(['PodScheduled', 'Ready']);
    expect(out.status.containerStatuses).toEqual([{ name: 'c', ready: true }]);
  });

  it('service ports merge by port', () => {
    const svc = { kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }], selector: { app: 'a' } } };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }], selector: { app: 'b' } } }, 'Service') as Obj;
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]);
    expect(out.spec.selector).toEqual({ app: 'b' });
  });

  it('ownerReferences merge by uid', () => {
    const rs = { kind: 'ReplicaSet', metadata: { name: 'rs', ownerReferences: [{ uid: 'u1', kind: 'Deployment', name: 'd', controller: true }] } };
    const out = strategicMergePatch(rs, { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }, { uid: 'u2', kind: 'X', name: 'x' }] } }, 'ReplicaSet') as Obj;
    expect(out.metadata.ownerReferences).toEqual([
      { uid: 'u1', kind: 'Deployment', name: 'd', controller: true, blockOwnerDeletion: true },
      { uid: 'u2', kind: 'X', name: 'x' },
    ]);
  });

  it('configmap data merges as a map; endpoints subsets are replaced', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
    expect((strategicMergePatch(cm, { data: { a: null, c: '3' } }, 'ConfigMap') as Obj).data).toEqual({ b: '2', c: '3' });
    const ep = { kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '1' }] }] };
    expect((strategicMergePatch(ep, { subsets: [{ addresses: [{ ip: '2' }] }] }, 'Endpoints') as Obj).subsets).toEqual([{ addresses: [{ ip: '2' }] }]);
  });

  it('an unknown kind still merges metadata lists', () => {
    const obj = { kind: 'Widget', metadata: { finalizers: ['a'] }, spec: { items: [{ name: 'x' }] } };
    const out = strategicMergePatch(obj, { metadata: { finalizers: ['b'] }, spec: { items: [{ name: 'y' }] } }, 'Widget') as Obj;
    expect(out.metadata.finalizers).toEqual(['b', 'a']);
    expect(out.spec.items).toEqual([{ name: 'y' }]);
  });

  it('merges pod templates inside DaemonSets, Jobs and CronJobs', () => {
    const ds = { kind: 'DaemonSet', spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] } } } };
    const outDs = strategicMergePatch(ds, { spec: { template: { spec: { containers: [{ name: 'b', image: '2' }] } } } }, 'DaemonSet') as Obj;
    expect(outDs.spec.template.spec.containers).toEqual([{ name: 'a', image: '1' }, { name: 'b', image: '2' }]);
    const cj = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } } } } } };
    const outCj = strategicMergePatch(cj, { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: '2' }] } } } } } }, 'CronJob') as Obj;
    expect(outCj.spec.jobTemplate.spec.template.spec.containers).toEqual([{ name: 'a', image: '2' }, { name: 'b' }]);
  });
});
