import { describe, expect, it } from 'vitest';
import { proxiedPath, splitSchemeNamePort } from './proxy.js';
import { parseResourcePath } from '../routes/path.js';

describe('proxy subresource', () => {
  it.each([
    ['web', { scheme: '', name: 'web', port: '' }],
    ['web:8080', { scheme: '', name: 'web', port: '8080' }],
    ['web:http', { scheme: '', name: 'web', port: 'http' }],
    ['https:web:443', { scheme: 'https', name: 'web', port: '443' }],
  ])('splits %s as kube net.SplitSchemeNamePort', (id, want) => expect(splitSchemeNamePort(id)).toEqual(want));

  it.each(['a:b:c:d', 'ftp:web:21', ':80', ''])('refuses %j', (id) => expect(splitSchemeNamePort(id)).toBeUndefined());

  it('keeps the proxied path as sent, trailing slash included', () => {
    expect(proxiedPath('/api/v1/namespaces/d/pods/web:80/proxy/a/b/')).toBe('/a/b/');
    expect(proxiedPath('/api/v1/nodes/n1/proxy')).toBe('/');
    expect(proxiedPath('/api/v1/nodes/n1/proxy/metrics')).toBe('/metrics');
  });

  it('parses proxy paths of any depth, and only those', () => {
    expect(parseResourcePath('/api/v1/namespaces/d/services/web:http/proxy/x/y')).toMatchObject({ resource: 'services', name: 'web:http', subresource: 'proxy', namespace: 'd' });
    expect(parseResourcePath('/api/v1/nodes/n1/proxy/stats/summary')).toMatchObject({ resource: 'nodes', name: 'n1', subresource: 'proxy' });
    expect(parseResourcePath('/api/v1/namespaces/d/pods/p/status/extra')).toBeUndefined();
    expect(parseResourcePath('/api/v1/namespaces/d/pods/p/proxy/../secret')).toBeUndefined();
  });
});
