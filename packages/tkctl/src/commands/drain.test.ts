import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@tinykube/api';
import { classify } from './drain.js';

const pod = (extra: { owner?: string; mirror?: boolean; emptyDir?: boolean; phase?: string }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'default',
    annotations: extra.mirror ? { 'kubernetes.io/config.mirror': 'abc' } : undefined,
    ownerReferences: extra.owner ? [{ apiVersion: 'apps/v1', kind: extra.owner, name: 'o', uid: 'u', controller: true }] : undefined,
  },
  spec: { containers: [], volumes: extra.emptyDir ? [{ name: 'v', emptyDir: {} }] : [] },
  status: { phase: extra.phase ?? 'Running' },
});

describe('drain classify', () => {
  it('evicts controller-managed pods and skips mirror pods', () => {
    expect(classify(pod({ owner: 'ReplicaSet' }), {}).action).toBe('evict');
    expect(classify(pod({ mirror: true }), {}).action).toBe('skip');
  });

  it('needs --ignore-daemonsets for DaemonSet pods, then skips them with a warning', () => {
    expect(classify(pod({ owner: 'DaemonSet' }), {})).toMatchObject({ action: 'refuse', why: expect.stringContaining('--ignore-daemonsets') });
    expect(classify(pod({ owner: 'DaemonSet' }), { ignoreDaemonsets: true })).toEqual({ action: 'skip', warning: 'ignoring DaemonSet-managed Pods' });
  });

  it('needs --force for bare pods and --delete-emptydir-data for local storage', () => {
    expect(classify(pod({}), {}).action).toBe('refuse');
    expect(classify(pod({}), { force: true }).action).toBe('evict');
    expect(classify(pod({ owner: 'ReplicaSet', emptyDir: true }), {}).action).toBe('refuse');
    expect(classify(pod({ owner: 'ReplicaSet', emptyDir: true }), { deleteEmptydirData: true }).action).toBe('evict');
    expect(classify(pod({ phase: 'Succeeded' }), {}).action).toBe('evict');
  });
});
