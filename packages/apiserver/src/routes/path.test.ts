import { describe, expect, it } from 'vitest';
import { parseResourcePath, verbFor } from './path.js';

describe('parseResourcePath', () => {
  it.each([
    ['/api/v1/pods', { group: '', version: 'v1', resource: 'pods', watchPrefix: false }],
    ['/api/v1/namespaces/ns1/pods', { group: '', version: 'v1', namespace: 'ns1', resource: 'pods' }],
    ['/api/v1/namespaces/ns1/pods/p/status', { namespace: 'ns1', resource: 'pods', name: 'p', subresource: 'status' }],
    ['/apis/apps/v1/namespaces/d/deployments/web/scale', { group: 'apps', version: 'v1', namespace: 'd', resource: 'deployments', name: 'web', subresource: 'scale' }],
    ['/api/v1/namespaces', { resource: 'namespaces' }],
    ['/api/v1/namespaces/ns1', { resource: 'namespaces', name: 'ns1' }],
    ['/api/v1/namespaces/ns1/status', { resource: 'namespaces', name: 'ns1', subresource: 'status' }],
    ['/api/v1/namespaces/ns1/finalize', { resource: 'namespaces', name: 'ns1', subresource: 'finalize' }],
    ['/api/v1/watch/namespaces/ns1/pods', { namespace: 'ns1', resource: 'pods', watchPrefix: true }],
    ['/api/v1/nodes/n1', { resource: 'nodes', name: 'n1' }],
  ])('%s', (p, want) => {
    expect(parseResourcePath(p)).toMatchObject(want);
  });

  it.each(['/api', '/api/v1', '/apis/apps/v1', '/healthz', '/api/v1/namespaces/a/pods/b/c/d', '/api/v1/pods/%E0%A4%A', '/api/v1/namespaces/a%2Fb/pods', '/api/v1/namespaces/a/pods/..'])('%s is not a resource path', (p) => {
    expect(parseResourcePath(p)).toBeUndefined();
  });
});

describe('verbFor', () => {
  const q = (s = '') => new URLSearchParams(s);
  it('maps methods to Kubernetes verbs', () => {
    const coll = parseResourcePath('/api/v1/namespaces/a/pods')!;
    const one = parseResourcePath('/api/v1/namespaces/a/pods/p')!;
    expect(verbFor('GET', coll, q())).toBe('list');
    expect(verbFor('GET', coll, q('watch=true'))).toBe('watch');
    expect(verbFor('GET', one, q('watch=1'))).toBe('watch');
    expect(verbFor('GET', one, q())).toBe('get');
    expect(verbFor('POST', coll, q())).toBe('create');
    expect(verbFor('PUT', one, q())).toBe('update');
    expect(verbFor('PUT', coll, q())).toBeUndefined();
    expect(verbFor('PATCH', one, q())).toBe('patch');
    expect(verbFor('DELETE', one, q())).toBe('delete');
    expect(verbFor('DELETE', coll, q())).toBe('deletecollection');
    expect(verbFor('OPTIONS', coll, q())).toBeUndefined();
  });
});
