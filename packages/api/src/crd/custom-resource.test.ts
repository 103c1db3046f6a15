import { describe, expect, it } from 'vitest';
import { registry } from '../registry.js';
import { toTable } from '../table.js';
import { customResourceInfos } from './custom-resource.js';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
      },
    ],
  },
};

describe('customResourceInfos and the dynamic registry', () => {
  it('serves every version, the preferred first, through every lookup until unregistered', () => {
    const infos = customResourceInfos(crd);
    expect(infos.map((i) => i.apiVersion)).toEqual(['example.com/v1', 'example.com/v1beta1']);
    expect(infos[0]).toMatchObject({ kind: 'Widget', listKind: 'WidgetList', singular: 'widget', namespaced: true, subresources: ['status', 'scale'], hasStatus: true, storageVersion: 'v1' });
    registry.register(infos);
    try {
      expect(registry.get('example.com', 'widgets')?.version).toBe('v1');
      expect(registry.getVersion('example.com', 'v1beta1', 'widgets')?.version).toBe('v1beta1');
      expect(registry.resolve('wd').map((i) => i.apiVersion)).toEqual(['example.com/v1']);
      expect(registry.resolve('widgets.v1beta1.example.com').map((i) => i.apiVersion)).toEqual(['example.com/v1beta1']);
      expect(registry.byKind('example.com/v1', 'Widget')).toBe(infos[0]);
      expect(() => registry.register([{ ...infos[0], group: '', plural: 'pods' }])).toThrow(/built-in/);
    } finally {
      registry.unregister('example.com', 'widgets');
    }
    expect(registry.get('example.com', 'widgets')).toBeUndefined();
  });

  it('renders printer columns, or NAME and AGE without them', () => {
    const [v1, beta] = customResourceInfos(crd);
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { size: 3 } };
    const t = toTable(v1, [obj], new Date());
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Size']);
    expect(t.rows[0].cells).toEqual(['w', 3]);
    const t2 = toTable(beta, [obj], new Date());
    expect(t2.columnDefinitions.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
    expect(t2.rows[0].cells).toEqual(['w', '2026-01-01T00:00:00Z']);
  });

  it('prunes, defaults and validates objects through the ResourceInfo hooks', () => {
    const [v1] = customResourceInfos(crd);
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'big', junk: 1 } };
    v1.normalize!(obj);
    expect(obj.spec).toEqual({ size: 'big' });
    expect(v1.validate!(obj).map((c) => c.field)).toEqual(['spec.size']);
  });
});
