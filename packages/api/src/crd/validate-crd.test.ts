import { describe, expect, it } from 'vitest';
import { registry } from '../registry.js';
import { validateObject } from '../validate.js';
import { applyDefaults } from '../defaults.js';

const info = registry.get('apiextensions.k8s.io', 'customresourcedefinitions')!;

function crd(over: Record<string, unknown> = {}, schema: unknown = { type: 'object', properties: { spec: { type: 'object' } } }) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
      ...over,
    },
  };
}

function messages(obj: unknown): string[] {
  const res = validateObject(info, obj);
  return res.ok ? [] : res.causes.map((c) => `${c.field}: ${c.message}`);
}

describe('CustomResourceDefinition validation', () => {
  it('accepts a structural CRD and defaults its names', () => {
    const obj = crd() as never;
    applyDefaults(info, obj);
    expect(messages(obj)).toEqual([]);
    expect((obj as any).spec.names).toMatchObject({ singular: 'widget', listKind: 'WidgetList' });
    expect((obj as any).spec.conversion).toEqual({ strategy: 'None' });
  });

  it.each([
    ['a name that is not plural.group', { ...crd(), metadata: { name: 'foo.example.com' } },
      'metadata.name: Invalid value: "foo.example.com": must be spec.names.plural+"."+spec.group'],
    ['a bad scope', crd({ scope: 'Global' }), 'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    ['no storage version', crd({ versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }] }),
      'spec.versions: Invalid value: ["v1"]: must have exactly one version marked as storage version'],
    ['a property without type', crd({}, { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } }),
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
    ['array items without type', crd({}, { type: 'object', properties: { xs: { type: 'array', items: {} } } }),
      'spec.versions[0].schema.openAPIV3Schema.properties[xs].items.type: Required value: must not be empty for specified array items'],
    ['a root that is not an object', crd({}, { type: 'string' }),
      'spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root'],
    ['properties with additionalProperties', crd({}, { type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } } }),
      'spec.versions[0].schema.openAPIV3Schema.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive'],
    ['no schema', crd({ versions: [{ name: 'v1', served: true, storage: true }] }),
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'],
    ['an upper-case plural', { ...crd({ names: { plural: 'Widgets', kind: 'Widget' } }), metadata: { name: 'Widgets.example.com' } },
      expect.stringMatching(/^spec\.names\.plural: Invalid value: "Widgets": a lowercase RFC 1123 label/)],
  ])('refuses %s', (_what, obj, message) => {
    expect(messages(obj)).toContainEqual(message);
  });

  it('lets int-or-string and preserve-unknown-fields nodes go without a type', () => {
    expect(messages(crd({}, { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true }, any: { 'x-kubernetes-preserve-unknown-fields': true } } }))).toEqual([]);
  });
});
