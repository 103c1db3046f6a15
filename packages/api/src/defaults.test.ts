import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultPullPolicy, qosClass } from './defaults.js';
import { registry } from './registry.js';
import type { Deployment, DaemonSet, ReplicaSet } from './schemas/apps.js';
import type { Secret } from './schemas/config.js';
import { deploymentManifest, podManifest, serviceManifest } from './schemas/fixtures.test-data.js';
import type { KubeObject } from './schemas/meta.js';
import type { Namespace } from './schemas/node.js';
import type { Pod } from './schemas/pod.js';
import type { Service } from './schemas/service.js';

function parsedAndDefaulted<T>(group: string, plural: string, obj: unknown): T {
  const info = registry.get(group, plural)!;
  const parsed = info.schema.parse(obj);
  applyDefaults(info, parsed);
  return parsed as T;
}

const minimalPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

describe('pod defaults', () => {
  it('fills the spec as Kubernetes does', () => {
    const pod = parsedAndDefaulted<Pod>('', 'pods', minimalPod);
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      priority: 0,
      securityContext: {},
    });
    // the ServiceAccount admission plugin names `default`, not defaulting (mirror pods have none)
    expect(pod.spec.serviceAccountName).toBeUndefined();
    expect(pod.spec.serviceAccount).toBeUndefined();
    expect(pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
    expect(pod.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('defaults ports, probes, volumes and requests-from-limits, and is idempotent', () => {
    const pod = parsedAndDefaulted<Pod>('', 'pods', podManifest());
    const c = pod.spec.containers[0]!;
    expect(c.ports![0]!.protocol).toBe('TCP');
    expect(c.livenessProbe).toMatchObject({ timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
    expect(c.livenessProbe!.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTP' });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(pod.spec.initContainers![0]!.imagePullPolicy).toBe('IfNotPresent');
    expect(pod.spec.volumes![0]!.configMap!.defaultMode).toBe(420);
    expect(pod.status?.qosClass).toBe('Burstable');
    const again = structuredClone(pod);
    applyDefaults(registry.get('', 'pods')!, again as KubeObject);
    expect(again).toEqual(pod);
  });

  it('keeps serviceAccount, the deprecated alias, in sync with serviceAccountName', () => {
    const byAlias = parsedAndDefaulted<Pod>('', 'pods', { ...minimalPod, spec: { ...minimalPod.spec, serviceAccount: 'robot' } });
    expect(byAlias.spec).toMatchObject({ serviceAccountName: 'robot', serviceAccount: 'robot' });
    const byName = parsedAndDefaulted<Pod>('', 'pods', { ...minimalPod, spec: { ...minimalPod.spec, serviceAccountName: 'bot', serviceAccount: 'old' } });
    expect(byName.spec).toMatchObject({ serviceAccountName: 'bot', serviceAccount: 'bot' });
  });

  it('defaults projected volumes: mode 0644, token lifetime 3600 s', () => {
    const pod = parsedAndDefaulted<Pod>('', 'pods', {
      ...minimalPod,
      spec: { ...minimalPod.spec, volumes: [{ name: 'p', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'c' } }] } }] },
    });
    expect(pod.spec.volumes![0]!.projected).toEqual({ defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'c' } }] });
  });

  it('keeps a toleration that already covers the not-ready taint', () => {
    const pod = parsedAndDefaulted<Pod>('', 'pods', {
      ...minimalPod,
      spec: { ...minimalPod.spec, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] },
    });
    expect(pod.spec.tolerations).toHaveLength(2);
    expect(pod.spec.tolerations![0]!.tolerationSeconds).toBe(5);
    const tolerateAll = parsedAndDefaulted<Pod>('', 'pods', { ...minimalPod, spec: { ...minimalPod.spec, tolerations: [{ operator: 'Exists' }] } });
    expect(tolerateAll.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('computes Guaranteed QoS when limits equal requests', () => {
    const spec = { containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } } }] };
    expect(qosClass(spec)).toBe('Guaranteed');
    expect(qosClass({ containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] })).toBe('Burstable');
  });
});

describe('image pull policy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:abcd', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('other kinds', () => {
  it('Service: ClusterIP, None affinity, TCP and targetPort = port', () => {
    const svc = parsedAndDefaulted<Service>('', 'services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 5353 }] },
    });
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None' });
    expect(svc.spec.ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 53, protocol: 'UDP', targetPort: 5353 },
    ]);
    const np = parsedAndDefaulted<Service>('', 'services', serviceManifest());
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('Deployment: replicas, rolling update 25%/25%, history, deadline and template defaults', () => {
    const m = deploymentManifest() as { spec: Record<string, unknown> };
    delete m.spec.replicas;
    const d = parsedAndDefaulted<Deployment>('apps', 'deployments', m);
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.minReadySeconds).toBeUndefined();
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec.template.spec.containers[0]!.imagePullPolicy).toBe('IfNotPresent');
    // Pod-only admission defaults do not touch templates.
    expect(d.spec.template.spec.tolerations).toBeUndefined();
    expect(d.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  it('Recreate deployments get no rollingUpdate block', () => {
    const m = deploymentManifest() as { spec: Record<string, unknown> };
    m.spec.strategy = { type: 'Recreate' };
    const d = parsedAndDefaulted<Deployment>('apps', 'deployments', m);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet and DaemonSet', () => {
    const tpl = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
    const rs = parsedAndDefaulted<ReplicaSet>('apps', 'replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: { matchLabels: { a: 'b' } }, template: tpl } });
    expect(rs.spec.replicas).toBe(1);
    expect(rs.spec.template.spec.schedulerName).toBe('default-scheduler');
    const ds = parsedAndDefaulted<DaemonSet>('apps', 'daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: tpl } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  });

  it('Secret: Opaque, and stringData folded into base64 data', () => {
    const s = parsedAndDefaulted<Secret>('', 'secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(s.stringData).toBeUndefined();
  });

  it('Namespace: kubernetes finalizer and Active phase', () => {
    const ns = parsedAndDefaulted<Namespace>('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.status?.phase).toBe('Active');
  });
});

describe('robustness', () => {
  // The apiserver may default a raw body before validating it: malformed shapes must not throw.
  const garbage: unknown[] = [
    undefined, null, 'x', 7, [], [null, 'a'], { containers: 'nope' }, { containers: [null, 3, { image: 5, ports: 'p', livenessProbe: 'x', resources: { limits: 'x' } }] },
    { template: 'x' }, { template: { spec: { containers: [{ resources: { limits: { cpu: {} }, requests: null } }] } } },
    { strategy: 'x', ports: [null, { port: 'a' }], tolerations: {}, volumes: [{ configMap: 'x' }] },
  ];
  it.each(registry.all().map((r) => [r.plural, r] as const))('%s', (_plural, info) => {
    for (const spec of garbage) {
      for (const extra of [{}, { status: 'x', stringData: { a: 1 }, subsets: [{ ports: 'x' }] }, { status: { capacity: 'x' } }]) {
        const obj = { apiVersion: info.apiVersion, kind: info.kind, metadata: {}, spec, ...extra } as KubeObject;
        expect(() => applyDefaults(info, obj)).not.toThrow();
      }
    }
  });
});

describe('Node defaults', () => {
  it('gives a Node without spec an empty spec, as Kubernetes serves it', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } } as unknown as Parameters<typeof applyDefaults>[1];
    applyDefaults(registry.get('', 'nodes')!, node);
    expect(node.spec).toEqual({});
  });
});
