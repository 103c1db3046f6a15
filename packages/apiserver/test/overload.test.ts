/**
 * Overload protection end to end: a user holding every seat of the global-default level gets 429 + Retry-After
 * (kube's max-in-flight answer) while nodes and cluster admins are still served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { startCluster, stores, type Cluster } from './harness.js';

describe('apiserver in-flight limits', () => {
  let c: Cluster;
  // 5 read-only seats: 3 for the system level, 2 for everyone else
  beforeAll(async () => { c = await startCluster(stores[0]![1], ['--max-requests-inflight', '5']); });
  afterAll(async () => { await c?.close(); });

  const as = (user: string, ...groups: string[]) => ({ 'Impersonate-User': user, ...(groups.length ? { 'Impersonate-Group': groups.join(',') } : {}) });

  it('refuses the flooding user with 429, serves nodes and admins, and recovers', async () => {
    // alice may read the default namespace (else her requests end at authorization, holding no seat for long)
    expect((await c.req('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
    })).status).toBe(201);
    await waitFor(async () => (await c.req('GET', '/api/v1/namespaces/default/configmaps', undefined, as('alice'))).status === 200, { timeoutMs: 10_000, what: 'alice may list configmaps' });
    const head = Number((await c.req('GET', '/api/v1/pods')).body.metadata.resourceVersion);
    // a read at a revision not reached yet holds its seat for 3 s (then 504): two of them fill global-default
    const slow = [0, 1].map(() => c.req('GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${head + 1_000_000}`, undefined, as('alice')));
    // wait until both hold their seats (the gauge counts them)
    const seated = async (): Promise<number> => {
      const m = (await c.req('GET', '/metrics')).text as string;
      return Number(/^apiserver_current_inflight_requests\{request_kind="readOnly"\} (\d+)$/m.exec(m)?.[1] ?? 0);
    };
    await waitFor(async () => (await seated()) >= 2, { timeoutMs: 2_500, what: 'two slow reads holding their seats' });
    const refused = await c.req('GET', '/api/v1/namespaces/default/configmaps', undefined, as('alice'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.text).toBe('Too many requests, please try again later.\n');
    // the system level has its own seats; system:masters is exempt
    expect((await c.req('GET', '/api/v1/nodes', undefined, as('system:node:n1', 'system:nodes'))).status).not.toBe(429);
    expect((await c.req('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([504, 504]);
    expect((await c.req('GET', '/api/v1/namespaces/default/configmaps', undefined, as('alice'))).status).not.toBe(429);
    const m = (await c.req('GET', '/metrics')).text as string;
    expect(m).toMatch(/^apiserver_flowcontrol_rejected_requests_total\{priority_level="global-default",reason="concurrency-limit"\} 1$/m);
  });
});
