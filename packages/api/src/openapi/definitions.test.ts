import { describe, expect, it } from 'vitest';
import { patchMetaForKind } from '../patch/patch-meta.js';
import { registry } from '../registry.js';
import { openApiDefinitions } from './definitions.js';
import { refName, walkSchema, type JsonSchema } from './json-schema.js';
import { v3Schemas } from './versions.js';

const { definitions: defs, kinds } = openApiDefinitions();
const prop = (def: string, field: string): JsonSchema => {
  const p = defs[def]?.properties?.[field];
  if (!p) throw new Error(`${def}.${field} missing`);
  return p;
};

describe('openApiDefinitions', () => {
  it('names definitions as Kubernetes does, one per served kind and list', () => {
    for (const name of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodList', 'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.rbac.v1.ClusterRole', 'io.k8s.api.coordination.v1.Lease', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.PodSpec']) {
      expect(defs[name], name).toBeDefined();
    }
    expect(kinds).toHaveLength(registry.all().length);
  });

  it('resolves every $ref', () => {
    for (const [name, def] of Object.entries(defs)) {
      walkSchema(def, (node) => {
        if (node.$ref) expect(defs[refName(node.$ref)], `${name} → ${node.$ref}`).toBeDefined();
      });
    }
  });

  it('shares sub-schemas by reference instead of inlining copies', () => {
    expect(prop('io.k8s.api.core.v1.Pod', 'metadata').$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(prop('io.k8s.api.core.v1.PodSpec', 'containers').items).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.Container' });
    expect(prop('io.k8s.api.core.v1.PodTemplateSpec', 'spec').$ref).toBe('#/definitions/io.k8s.api.core.v1.PodSpec');
  });

  it('marks top-level kinds (and lists) with x-kubernetes-group-version-kind', () => {
    for (const { info, name, listName } of kinds) {
      expect(defs[name]['x-kubernetes-group-version-kind']).toEqual([{ group: info.group, version: 'v1', kind: info.kind }]);
      expect(defs[listName]['x-kubernetes-group-version-kind']).toEqual([{ group: info.group, version: 'v1', kind: info.listKind }]);
    }
  });

  it('takes list-map keys and patch strategies from patch-meta', () => {
    const container = patchMetaForKind('Pod')?.spec.fields?.containers;
    expect(container?.mergeKey).toBe('name');
    const containers = prop('io.k8s.api.core.v1.PodSpec', 'containers');
    expect(containers).toMatchObject({
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name',
    });
    for (const field of ['ports', 'env'] as const) {
      const key = container?.fields?.[field]?.mergeKey;
      expect(prop('io.k8s.api.core.v1.Container', field)).toMatchObject({
        'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key], 'x-kubernetes-patch-merge-key': key,
      });
    }
    expect(prop('io.k8s.api.core.v1.ServiceSpec', 'ports')['x-kubernetes-list-map-keys']).toEqual(['port']);
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers')['x-kubernetes-list-type']).toBe('set');
    expect(prop('io.k8s.api.core.v1.PodSpec', 'tolerations')['x-kubernetes-patch-strategy']).toBeUndefined();
  });

  it('publishes kube formats: int-or-string, quantities as strings, date-time, int32/int64', () => {
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(prop('io.k8s.api.core.v1.ServicePort', 'targetPort').$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(defs['io.k8s.apimachinery.pkg.api.resource.Quantity'].type).toBe('string');
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(prop('io.k8s.api.core.v1.ContainerPort', 'containerPort')).toEqual(expect.objectContaining({ type: 'integer', format: 'int32' }));
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation')).toMatchObject({ type: 'integer', format: 'int64' });
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation').maximum).toBeUndefined();
  });

  it('lists required fields, but not apiVersion/kind', () => {
    expect(defs['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
    expect(defs['io.k8s.api.core.v1.PodSpec'].required).toEqual(['containers']);
    expect(defs['io.k8s.api.core.v1.ContainerPort'].required).toEqual(['containerPort']);
    expect(defs['io.k8s.api.core.v1.Pod'].required).toBeUndefined();
  });

  it('carries our descriptions for kinds and the fields users explain first', () => {
    for (const { name, listName } of kinds) {
      expect(defs[name].description, name).toBeTruthy();
      expect(defs[listName].description, listName).toBeTruthy();
    }
    expect(defs['io.k8s.api.core.v1.Container'].description).toBeTruthy();
    expect(prop('io.k8s.api.core.v1.Container', 'image').description).toBeTruthy();
    expect(prop('io.k8s.api.core.v1.PodSpec', 'containers').description).toBeTruthy();
    expect(prop('io.k8s.api.apps.v1.DeploymentSpec', 'template').description).toBeTruthy();
    expect(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels').description).toBeTruthy();
  });
});

describe('v3Schemas', () => {
  it('wraps described references in allOf, points them at components, and keeps only what is reachable', () => {
    const schemas = v3Schemas(defs, ['io.k8s.api.apps.v1.Deployment']);
    expect(schemas['io.k8s.api.core.v1.Container']).toBeDefined();
    expect(schemas['io.k8s.api.core.v1.Node']).toBeUndefined();
    const metadata = schemas['io.k8s.api.apps.v1.Deployment'].properties?.metadata;
    expect(metadata?.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(metadata?.description).toBeTruthy();
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }],
    });
  });
});
