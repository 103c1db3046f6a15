import { describe, expect, it } from 'vitest';
import { apiVerb, canonicalPath, requestAttributes, subresourceFor } from './attributes.js';

describe('request attributes', () => {
  it('maps paths to nodes subresources as kube 1.32 does', () => {
    const cases: [string, string][] = [
      ['/stats', 'stats'], ['/stats/', 'stats'], ['/stats/summary', 'stats'], ['/statsx', 'proxy'],
      ['/metrics', 'metrics'], ['/metrics/cadvisor', 'metrics'], ['/metrics/probes', 'metrics'],
      ['/logs', 'log'], ['/logs/messages', 'log'],
      ['/checkpoint/default/web/main', 'checkpoint'],
      ['/pods', 'proxy'], ['/runningpods/', 'proxy'], ['/spec/', 'proxy'], ['/healthz', 'proxy'], ['/livez', 'proxy'],
      ['/containerLogs/default/web/main', 'proxy'], ['/exec/default/web/main', 'proxy'], ['/attach/default/web/main', 'proxy'],
      ['/portForward/default/web', 'proxy'], ['/run/default/web/main', 'proxy'], ['/', 'proxy'],
      // What the handlers would see after decoding.
      ['/%73tats/summary', 'stats'], ['/%zz', 'proxy'],
    ];
    for (const [path, sub] of cases) expect([path, subresourceFor(path)]).toEqual([path, sub]);
  });

  it('takes the verb from the method alone (a WebSocket upgrade is a get)', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', undefined].map(apiVerb)).toEqual(['get', 'get', 'create', 'update', 'patch', 'delete', '', '']);
    const user = { username: 'alice', groups: [] };
    expect(requestAttributes(user, 'POST', '/exec/default/web/main', 'node-1')).toEqual({
      user, verb: 'create', namespace: '', apiGroup: '', apiVersion: 'v1', resource: 'nodes', subresource: 'proxy', name: 'node-1', path: '/exec/default/web/main',
    });
  });

  it('accepts only canonical paths, so authorization and the handler read the same one', () => {
    expect(canonicalPath('/pods')).toBe('/pods');
    expect(canonicalPath('/exec/default/web/main?command=sh&command=-c&command=a%20b')).toBe('/exec/default/web/main');
    expect(canonicalPath('/stats/summary#x')).toBe('/stats/summary');
    for (const bad of ['/stats/../exec/a/b/c', '/stats/%2e%2e/exec/a/b/c', '/stats/%2E./pods', '/./pods', '/stats\\..\\pods', '//host/pods', 'http://kubelet/pods', '*', '', undefined, '/a b']) {
      expect([bad, canonicalPath(bad)]).toEqual([bad, undefined]);
    }
  });
});
