import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@tinykube/api';
import { kubeletLogQuery } from '../handlers/logs.js';
import { isApiError } from '@tinykube/api';
import { kubeletStreamUrl } from '../streaming/upgrade.js';
import { kubeletAddress, pickContainer } from './location.js';

const pod = (containers: string[], init: string[] = []): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
});

function errorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isApiError(err)) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('no error');
}

describe('container defaulting', () => {
  it('takes the only container, checks a named one', () => {
    expect(pickContainer(pod(['main']), 'x', null)).toBe('main');
    expect(pickContainer(pod(['a', 'b'], ['setup']), 'x', 'setup')).toBe('setup');
    expect(errorOf(() => pickContainer(pod(['main']), 'x', 'nope'))).toEqual({ code: 400, reason: 'BadRequest', message: 'container nope is not valid for pod x' });
  });

  it('asks for a name when there are several, as Kubernetes words it', () => {
    expect(errorOf(() => pickContainer(pod(['a', 'b']), 'x', null)).message).toBe('a container name must be specified for pod x, choose one of: [a b]');
    expect(errorOf(() => pickContainer(pod(['a', 'b'], ['i1']), 'x', null)).message)
      .toBe('a container name must be specified for pod x, choose one of: [a b] or one of the init containers: [i1]');
  });
});

describe('kubelet address', () => {
  it('uses the InternalIP and the advertised kubelet port', () => {
    const node = (status: unknown): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status } as KubeObject);
    expect(kubeletAddress(node({ addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '127.0.1.2' }], daemonEndpoints: { kubeletEndpoint: { Port: 4321 } } })))
      .toEqual({ host: '127.0.1.2', port: 4321 });
    expect(kubeletAddress(node({ addresses: [{ type: 'Hostname', address: 'h' }] }))).toEqual({ host: 'h', port: 10250 });
    expect(kubeletAddress(node({}))).toBeUndefined();
  });

  it('builds kubelet stream URLs with the container in the path', () => {
    const t = { pod: pod(['c']), nodeName: 'n', host: '127.0.0.1', port: 1, container: 'c' };
    expect(kubeletStreamUrl('exec', t, 'ns', 'p', new URLSearchParams('container=c&command=sh&command=-c&stdout=true')))
      .toBe('ws://127.0.0.1:1/exec/ns/p/c?command=sh&command=-c&stdout=1');
    // the Python client's spelling; false flags are left out, as kube's streamParams does
    expect(kubeletStreamUrl('exec', t, 'ns', 'p', new URLSearchParams('command=ls&stdin=True&stdout=True&stderr=False&tty=0')))
      .toBe('ws://127.0.0.1:1/exec/ns/p/c?command=ls&stdin=1&stdout=1');
    expect(kubeletStreamUrl('portforward', { ...t, container: undefined }, 'ns', 'p', new URLSearchParams('ports=80'))).toBe('ws://127.0.0.1:1/portForward/ns/p?ports=80');
  });
});

describe('log query', () => {
  it('passes the log options and turns sinceTime into sinceSeconds', () => {
    const q = kubeletLogQuery(new URLSearchParams('container=c&follow=true&tailLines=5&sinceTime=2026-01-01T00:00:00Z&pretty=true'), Date.parse('2026-01-01T00:01:00Z'));
    expect(q.toString()).toBe('follow=true&tailLines=5&sinceSeconds=60');
  });

  it('rejects invalid numbers', () => {
    expect(errorOf(() => kubeletLogQuery(new URLSearchParams('tailLines=-1'))).code).toBe(400);
    expect(errorOf(() => kubeletLogQuery(new URLSearchParams('limitBytes=0'))).code).toBe(400);
  });
});
