import { describe, expect, it } from 'vitest';
import { registry } from './registry.js';
import type { KubeObject } from './schemas/meta.js';
import { TableSchema } from './schemas/meta.js';
import { toTable } from './table.js';

const now = new Date('2024-05-01T12:00:00Z');
const cm = (name: string, rv: string): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name, namespace: 'default', resourceVersion: rv, creationTimestamp: '2024-05-01T11:55:00Z', uid: `uid-${name}` },
  data: { a: '1', b: '2' },
});

describe('toTable', () => {
  const info = registry.get('', 'configmaps')!;

  it('renders a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const t = toTable(info, [cm('a', '9'), cm('b', '12')], now);
    expect(TableSchema.safeParse(t).success).toBe(true);
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata.resourceVersion).toBe('12');
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Data', 'integer', '', 0],
      ['Age', 'string', '', 0],
    ]);
    expect(t.rows[0]!.cells).toEqual(['a', 2, '5m']);
    expect(t.rows[0]!.object).toEqual({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: cm('a', '9').metadata });
  });

  it('honours includeObject and list metadata options', () => {
    const full = toTable(info, [cm('a', '9')], now, { includeObject: 'Object', resourceVersion: '100', continue: 'tok' });
    expect(full.rows[0]!.object).toEqual(cm('a', '9'));
    expect(full.metadata).toEqual({ resourceVersion: '100', continue: 'tok' });
    const none = toTable(info, [cm('a', '9')], now, { includeObject: 'None' });
    expect(none.rows[0]).not.toHaveProperty('object');
    expect(toTable(info, [], now).rows).toEqual([]);
  });

  it('includes wide columns for every resource', () => {
    const pods = registry.get('', 'pods')!;
    const t = toTable(pods, [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }], now);
    expect(t.rows[0]!.cells).toHaveLength(9);
    expect(t.columnDefinitions.filter((c) => c.priority === 1)).toHaveLength(4);
  });
});

describe('toTable robustness', () => {
  it('renders <unknown> for a cell that cannot be computed instead of throwing', () => {
    const nodes = registry.get('', 'nodes')!;
    const t = toTable(nodes, [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' } }], new Date('2026-01-02T00:00:00Z'));
    expect(t.rows[0].cells[0]).toBe('n');
    expect(t.rows[0].cells).toContain('<unknown>');
  });
});
