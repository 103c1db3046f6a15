import { describe, expect, it } from 'vitest';
import { unknownFields } from './unknown-fields.js';

describe('unknownFields', () => {
  it('names unknown top-level and metadata fields by dotted path', () => {
    expect(unknownFields('v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labelz: {} }, spec: {}, data: {} }))
      .toEqual(['metadata.labelz', 'spec']);
  });

  it('checks workload specs and their pod template, but not structs we model only in part', () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { replicas: 1, replica: 2, template: { metadata: { labels: {} }, spec: { containers: [{ name: 'c', resizePolicy: [] }], os: {} } } },
    };
    expect(unknownFields('apps/v1', 'Deployment', d)).toEqual(['spec.replica']);
  });

  it('accepts complete objects and ignores kinds it does not serve', () => {
    expect(unknownFields('v1', 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] }, status: {} })).toEqual([]);
    expect(unknownFields('example.com/v1', 'Widget', { foo: 1 })).toEqual([]);
  });
});
