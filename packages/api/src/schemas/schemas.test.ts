import { describe, expect, it } from 'vitest';
import { registry } from '../registry.js';
import { DeploymentSchema } from './apps.js';
import { deploymentManifest, podManifest, serviceManifest } from './fixtures.test-data.js';
import { StatusSchema, TableSchema, WatchEventSchema, watchEventSchema } from './meta.js';
import { PodListSchema, PodSchema } from './pod.js';
import { ServiceSchema } from './service.js';

const info = (group: string, plural: string) => registry.get(group, plural)!;

describe('schemas accept real manifests', () => {
  it('parses a kubectl-generated Deployment, dropping nulls', () => {
    const r = info('apps', 'deployments').schema.safeParse(deploymentManifest());
    expect(r.success).toBe(true);
    const d = DeploymentSchema.parse(r.data);
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
    expect(d.metadata).not.toHaveProperty('creationTimestamp');
  });

  it('parses a Service with int and string targetPorts', () => {
    const svc = ServiceSchema.parse(serviceManifest());
    expect(svc.spec.ports!.map((p) => p.targetPort)).toEqual(['http', 9090]);
    expect(svc.spec.type).toBe('NodePort');
  });

  it('parses a Pod with probes, env, volumes and affinity, normalising numeric quantities', () => {
    const pod = PodSchema.parse(podManifest());
    const c = pod.spec.containers[0]!;
    expect(c.livenessProbe?.httpGet?.port).toBe('http');
    expect(c.readinessProbe?.tcpSocket?.port).toBe(8080);
    expect(c.startupProbe?.exec?.command).toEqual(['cat', '/tmp/ready']);
    expect(c.resources?.limits).toEqual({ cpu: '1', memory: '128Mi' });
    expect(pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.weight).toBe(10);
    expect(pod.spec.volumes?.map((v) => v.name)).toEqual(['config', 'scratch', 'info']);
  });

  it('keeps unknown fields at every level', () => {
    const m = podManifest() as { spec: { containers: Record<string, unknown>[] } & Record<string, unknown> } & Record<string, unknown>;
    m.futureTopLevel = { a: 1 };
    m.spec.runtimeClassName = 'gvisor';
    m.spec.containers[0]!.resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }];
    const pod = PodSchema.parse(m) as Record<string, unknown> & { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
    expect(pod.futureTopLevel).toEqual({ a: 1 });
    expect(pod.spec.runtimeClassName).toBe('gvisor');
    expect(pod.spec.containers[0]!.resizePolicy).toEqual([{ resourceName: 'cpu', restartPolicy: 'NotRequired' }]);
  });

  it('rejects what Kubernetes cannot decode', () => {
    expect(PodSchema.safeParse({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a', ports: [{ containerPort: 'x' }] }] } }).success).toBe(false);
    expect(ServiceSchema.safeParse({ apiVersion: 'v1', kind: 'Service', spec: { type: 'Bogus' } }).success).toBe(false);
  });

  it('fills an absent metadata with a fresh object each time', () => {
    const a = ServiceSchema.parse({ apiVersion: 'v1', kind: 'Service' });
    const b = ServiceSchema.parse({ apiVersion: 'v1', kind: 'Service' });
    a.metadata.name = 'x';
    expect(b.metadata).toEqual({});
  });
});

describe('meta kinds', () => {
  it('parses lists, Status, Table and watch events', () => {
    const list = PodListSchema.parse({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '7' }, items: [podManifest()] });
    expect(list.items).toHaveLength(1);
    const st = StatusSchema.parse({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: 'Pod "x" is invalid', details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }] },
    });
    expect(st.details?.causes?.[0]?.field).toBe('spec.containers[0].image');
    expect(TableSchema.safeParse({ apiVersion: 'meta.k8s.io/v1', kind: 'Table', metadata: {}, columnDefinitions: [], rows: [] }).success).toBe(true);
    expect(WatchEventSchema.parse({ type: 'ADDED', object: { kind: 'Pod' } }).type).toBe('ADDED');
    const typed = watchEventSchema(PodSchema);
    expect(typed.safeParse({ type: 'MODIFIED', object: podManifest() }).success).toBe(true);
    expect(typed.safeParse({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }).success).toBe(true);
    expect(typed.safeParse({ type: 'BOGUS', object: {} }).success).toBe(false);
  });
});
