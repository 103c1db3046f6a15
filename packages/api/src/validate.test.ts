import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults.js';
import { registry } from './registry.js';
import { deploymentManifest, podManifest, serviceManifest } from './schemas/fixtures.test-data.js';
import type { KubeObject } from './schemas/meta.js';
import { serviceAccountTokenVolume } from './service-account-volume.js';
import { type FieldCause, invalidMessage, validateObject } from './validate.js';

const pods = registry.get('', 'pods')!;
const services = registry.get('', 'services')!;
const deployments = registry.get('apps', 'deployments')!;

function causesOf(info = pods, obj: unknown, old?: KubeObject): FieldCause[] {
  const r = validateObject(info, obj, old);
  return r.ok ? [] : r.causes;
}

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** A stored (parsed + defaulted) object, as the apiserver keeps it. */
function stored(info = pods, obj: unknown): KubeObject {
  const r = validateObject(info, obj);
  if (!r.ok) throw new Error(JSON.stringify(r.causes));
  applyDefaults(info, r.value);
  return r.value;
}

describe('validateObject: creates', () => {
  it('accepts real manifests and returns the parsed object', () => {
    for (const [info, m] of [[pods, podManifest()], [services, serviceManifest()], [deployments, deploymentManifest()]] as const) {
      const r = validateObject(info, m);
      expect(r.ok ? [] : r.causes).toEqual([]);
    }
  });

  it('fills apiVersion/kind from the resource when the body omits them', () => {
    const r = validateObject(pods, { metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    expect(r.ok && r.value.kind).toBe('Pod');
  });

  it('reports zod errors with Kubernetes paths and words', () => {
    const causes = causesOf(pods, pod({ containers: [{ image: 'x', ports: [{ containerPort: 'eighty' }] }], restartPolicy: 'Sometimes' }));
    expect(causes).toContainEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].name' });
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: "eighty": must be a number',
      field: 'spec.containers[0].ports[0].containerPort',
    });
    expect(causes).toContainEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      field: 'spec.restartPolicy',
    });
  });

  it('a missing spec names spec.containers', () => {
    expect(causesOf(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
    ]);
  });

  it('requires a name unless generateName is given, and checks DNS-1123', () => {
    const spec = { containers: [{ name: 'c', image: 'i' }] };
    expect(causesOf(pods, pod(spec, {}))).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
    ]);
    expect(causesOf(pods, pod(spec, { generateName: 'web-' }))).toEqual([]);
    const [bad] = causesOf(pods, pod(spec, { name: 'Foo_Bar' }));
    expect(bad).toEqual({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message:
        "Invalid value: \"Foo_Bar\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  });

  it('Namespace names are labels and Service names DNS-1035 labels', () => {
    const ns = registry.get('', 'namespaces')!;
    expect(causesOf(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } })[0]?.message).toMatch(/RFC 1123 label/);
    const svc = { ...serviceManifest(), metadata: { name: '1web' } };
    expect(causesOf(services, svc)[0]).toMatchObject({ field: 'metadata.name', message: expect.stringMatching(/DNS-1035 label/) });
  });

  it('checks label and annotation syntax', () => {
    const causes = causesOf(pods, pod({ containers: [{ name: 'c', image: 'i' }] }, { name: 'p', labels: { 'bad key': 'v', ok: '-bad' }, annotations: { 'x/y/z': '1' } }));
    expect(causes.map((c) => c.field)).toEqual(['metadata.labels', 'metadata.labels', 'metadata.annotations']);
    expect(causes[0]!.message).toMatch(/^Invalid value: "bad key": name part must consist of/);
    expect(causes[1]!.message).toMatch(/^Invalid value: "-bad": a valid label must be an empty string/);
  });

  it('limits annotations to 256 KiB in total', () => {
    const causes = causesOf(pods, pod({ containers: [{ name: 'c', image: 'i' }] }, { name: 'p', annotations: { big: 'x'.repeat(262_145) } }));
    expect(causes).toEqual([{ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: must have at most 262144 bytes' }]);
  });

  it('container rules: non-empty, unique names, image, ports, quantities', () => {
    expect(causesOf(pods, pod({ containers: [] }))).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
    const causes = causesOf(
      pods,
      pod({
        initContainers: [{ name: 'app', image: 'i' }],
        containers: [
          { name: 'app', ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: 'TCP', hostPort: -1 }] },
          { name: 'Side_Car', image: 'i', resources: { limits: { cpu: 'lots' }, requests: { memory: '2Gi' } } },
          { name: 'x', image: 'i', resources: { limits: { memory: '1Gi' }, requests: { memory: '2Gi' } } },
        ],
      }),
    );
    const byField = Object.fromEntries(causes.map((c) => [c.field, c.message]));
    expect(byField['spec.containers[0].name']).toBe('Duplicate value: "app"');
    expect(byField['spec.containers[0].image']).toBe('Required value');
    expect(byField['spec.containers[0].ports[0].containerPort']).toBe('Invalid value: 70000: must be between 1 and 65535, inclusive');
    expect(byField['spec.containers[0].ports[1].hostPort']).toBe('Invalid value: -1: must be between 1 and 65535, inclusive');
    expect(byField['spec.containers[1].name']).toMatch(/^Invalid value: "Side_Car": a lowercase RFC 1123 label/);
    expect(byField['spec.containers[1].resources.limits[cpu]']).toMatch(/^Invalid value: "lots": quantities must match the regular expression/);
    expect(byField['spec.containers[2].resources.requests[memory]']).toBe('Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi');
  });

  it('projected volume rules: one kind per source, names, token lifetime and path, no duplicate paths', () => {
    const c = [{ name: 'c', image: 'i' }];
    const ok = serviceAccountTokenVolume('kube-api-access-abcde');
    expect(causesOf(pods, pod({ containers: c, volumes: [ok] }))).toEqual([]);
    const bad = {
      name: 'p',
      projected: {
        sources: [
          { configMap: { name: 'a', items: [{ key: 'k', path: 'same' }] }, secret: { name: 'b' } },
          { secret: { items: [{ key: 'k', path: 'same' }] } },
          { serviceAccountToken: { expirationSeconds: 60, path: '' } },
        ],
      },
    };
    const byField = Object.fromEntries(causesOf(pods, pod({ containers: c, volumes: [bad] })).map((x) => [x.field, x.message]));
    expect(byField).toEqual({
      'spec.volumes[0].projected.sources[0]': 'Forbidden: may not specify more than 1 volume type per source',
      'spec.volumes[0].projected.sources[1].secret.name': 'Required value',
      'spec.volumes[0].projected': 'Invalid value: "": conflicting duplicate paths',
      'spec.volumes[0].projected.sources[2].serviceAccountToken.expirationSeconds': 'Invalid value: 60: may not specify a duration less than 10 minutes',
      'spec.volumes[0].projected.sources[2].serviceAccountToken.path': 'Required value',
    });
  });

  it('protocol and service type enums are Unsupported values', () => {
    const svc = serviceManifest() as { spec: Record<string, unknown> };
    svc.spec.type = 'Balanced';
    expect(causesOf(services, svc)).toContainEqual({
      reason: 'FieldValueNotSupported',
      field: 'spec.type',
      message: 'Unsupported value: "Balanced": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"',
    });
    const p = causesOf(pods, pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }));
    expect(p[0]).toMatchObject({ reason: 'FieldValueNotSupported', field: 'spec.containers[0].ports[0].protocol' });
  });

  it('service rules: ports required, named when several, nodePort only for NodePort', () => {
    const base = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } };
    expect(causesOf(services, { ...base, spec: { selector: { a: 'b' } } })).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports' },
    ]);
    expect(causesOf(services, { ...base, spec: { clusterIP: 'None' } })).toEqual([]);
    const causes = causesOf(services, { ...base, spec: { ports: [{ port: 80, nodePort: 30001 }, { port: 0, name: 'b' }] } });
    expect(causes).toContainEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.ports[0].name' });
    expect(causes).toContainEqual({ reason: 'FieldValueForbidden', message: "Forbidden: may not be used when `type` is 'ClusterIP'", field: 'spec.ports[0].nodePort' });
    expect(causes).toContainEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be between 1 and 65535, inclusive', field: 'spec.ports[1].port' });
    expect(causesOf(services, { ...base, spec: { type: 'ExternalName' } })).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.externalName' },
    ]);
  });

  it('deployment rules: selector required and matching, replicas ≥ 0, template restartPolicy Always', () => {
    const noSel = deploymentManifest() as { spec: Record<string, unknown> };
    delete noSel.spec.selector;
    expect(causesOf(deployments, noSel)).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' }]);

    const mismatch = deploymentManifest() as { spec: Record<string, unknown> };
    mismatch.spec.selector = { matchLabels: { app: 'other' } };
    expect(causesOf(deployments, mismatch)).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        message: 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      },
    ]);

    const neg = deploymentManifest() as { spec: Record<string, unknown> & { template: { spec: Record<string, unknown> } } };
    neg.spec.replicas = -1;
    neg.spec.template.spec.restartPolicy = 'Never';
    expect(causesOf(deployments, neg)).toEqual([
      { reason: 'FieldValueNotSupported', field: 'spec.template.spec.restartPolicy', message: 'Unsupported value: "Never": supported values: "Always"' },
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
    ]);

    const badSurge = deploymentManifest() as { spec: Record<string, unknown> };
    badSurge.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots', maxUnavailable: 0 } };
    expect(causesOf(deployments, badSurge)[0]).toMatchObject({
      field: 'spec.strategy.rollingUpdate.maxSurge',
      message: expect.stringMatching(/^Invalid value: "lots": a valid percent string must be/),
    });
  });

  it('formats the 422 message as Kubernetes does', () => {
    const causes = causesOf(pods, pod({ containers: [{ name: 'c' }] }));
    expect(invalidMessage(pods, 'p', causes)).toBe('Pod "p" is invalid: spec.containers[0].image: Required value');
    expect(invalidMessage(deployments, 'd', [causes[0]!, causes[0]!])).toBe(
      'Deployment.apps "d" is invalid: [spec.containers[0].image: Required value, spec.containers[0].image: Required value]',
    );
  });
});

describe('validateObject: Service port names', () => {
  it('accepts DNS-1123 label port names such as the "80-8080" kubectl create service writes', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: '80-8080', port: 80, targetPort: 8080 }] } };
    expect(causesOf(services, svc)).toEqual([]);
  });
  it('rejects port names that are not DNS-1123 labels', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'Web_Port', port: 80 }] } };
    expect(causesOf(services, svc).map((c) => c.field)).toContain('spec.ports[0].name');
  });
});

describe('validateObject: updates', () => {
  it('name, namespace and uid are immutable', () => {
    const old = stored(pods, { ...podManifest(), metadata: { name: 'probe-demo', namespace: 'default', uid: 'u1' } });
    const renamed = structuredClone(old);
    renamed.metadata.name = 'other';
    renamed.metadata.uid = 'u2';
    renamed.metadata.namespace = 'kube-system';
    const causes = causesOf(pods, renamed, old);
    expect(causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: 'Invalid value: "other": field is immutable' },
      { reason: 'FieldValueInvalid', field: 'metadata.namespace', message: 'Invalid value: "kube-system": field is immutable' },
      { reason: 'FieldValueInvalid', field: 'metadata.uid', message: 'Invalid value: "u2": field is immutable' },
    ]);
  });

  it('pod spec is immutable except images, activeDeadlineSeconds and added tolerations', () => {
    const old = stored(pods, podManifest());
    const ok = structuredClone(old) as KubeObject & { spec: { containers: { image: string }[]; tolerations: unknown[]; activeDeadlineSeconds?: number } };
    ok.spec.containers[0]!.image = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
    ok.spec.tolerations.push({ key: 'extra', operator: 'Exists' });
    ok.spec.activeDeadlineSeconds = 60;
    ok.metadata.labels = { app: 'demo', extra: 'yes' };
    expect(causesOf(pods, ok, old)).toEqual([]);

    const bad = structuredClone(old) as KubeObject & { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
    bad.spec.containers[0]!.args = ['other'];
    bad.spec.nodeName = 'node-1';
    const [cause] = causesOf(pods, bad, old);
    expect(cause!.reason).toBe('FieldValueForbidden');
    expect(cause!.field).toBe('spec');
    expect(cause!.message).toMatch(/^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
    expect(cause!.message).toContain('spec.containers, spec.nodeName');

    const removed = structuredClone(old) as KubeObject & { spec: { tolerations: unknown[] } };
    removed.spec.tolerations = [];
    expect(causesOf(pods, removed, old).map((c) => c.field)).toContain('spec.tolerations');
  });

  it('Service clusterIP is immutable once set; absent means keep', () => {
    const old = stored(services, { ...serviceManifest(), spec: { ...(serviceManifest().spec as object), clusterIP: '10.96.0.10' } });
    const changed = structuredClone(old) as KubeObject & { spec: Record<string, unknown> };
    changed.spec.clusterIP = '10.96.0.11';
    expect(causesOf(services, changed, old)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.clusterIP', message: 'Invalid value: "10.96.0.11": field is immutable' },
    ]);
    const omitted = structuredClone(old) as KubeObject & { spec: Record<string, unknown> };
    delete omitted.spec.clusterIP;
    expect(causesOf(services, omitted, old)).toEqual([]);
  });

  it('workload selectors are immutable', () => {
    const old = stored(deployments, deploymentManifest());
    const changed = structuredClone(old) as KubeObject & { spec: { selector: unknown; template: { metadata: { labels: Record<string, string> } } } };
    changed.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
    changed.spec.template.metadata.labels.tier = 'x';
    expect(causesOf(deployments, changed, old)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.selector', message: 'Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable' },
    ]);
    const scaled = structuredClone(old) as KubeObject & { spec: { replicas: number } };
    scaled.spec.replicas = 5;
    expect(causesOf(deployments, scaled, old)).toEqual([]);
  });
});

describe('validateObject: robustness', () => {
  it('never throws on malformed bodies or stored objects', () => {
    const bodies: unknown[] = [null, 3, 'x', [], { metadata: 'x' }, { metadata: { labels: 'x' } }, { spec: [] }, { spec: { containers: [null] } }];
    for (const info of registry.all()) {
      for (const body of bodies) {
        const r = validateObject(info, body);
        expect(r.ok).toBe(false);
        expect(() => validateObject(info, podManifest(), body as KubeObject)).not.toThrow();
      }
    }
  });
});
