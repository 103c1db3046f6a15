/** Server-side apply and managedFields: raw requests, then the real kubectl (`apply --server-side`). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, stores, type Cluster } from './harness.js';

const NS = '/apis/apps/v1/namespaces/default/deployments';
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const APPLY = { 'content-type': 'application/apply-patch+yaml' };

const deploy = (name: string, replicas: number | undefined, image = 'nginx:1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
${replicas === undefined ? '' : `  replicas: ${replicas}\n`}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
`;

describe.each(stores)('server-side apply (%s)', (_name, startStore) => {
  let c: Cluster;
  let dir: string;
  beforeAll(async () => {
    c = await startCluster(startStore);
    dir = mkdtempSync(path.join(tmpdir(), 'tk-ssa-'));
  });
  afterAll(async () => {
    await c?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies with raw requests: create, no-op, conflict, force, removal by omission', async () => {
    const missing = await c.req('PATCH', `${NS}/a`, deploy('a', 2), APPLY);
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', field: 'fieldManager' }] },
    });
    const forceMerge = await c.req('PATCH', `${NS}/a?force=true`, { spec: {} }, { 'content-type': 'application/merge-patch+json' });
    expect(forceMerge.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');

    const created = await c.req('PATCH', `${NS}/a?fieldManager=alice`, deploy('a', 2), APPLY);
    expect(created.status).toBe(201);
    expect(created.body.metadata.namespace).toBe('default');
    expect(created.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'alice', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' })]);
    expect(created.body.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']).toEqual({});

    const again = await c.req('PATCH', `${NS}/a?fieldManager=alice`, deploy('a', 2), APPLY);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);

    const clash = await c.req('PATCH', `${NS}/a?fieldManager=bob`, deploy('a', 5), APPLY);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({
      kind: 'Status', reason: 'Conflict', code: 409,
      message: 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] },
    });

    const forced = await c.req('PATCH', `${NS}/a?fieldManager=bob&force=true`, deploy('a', 5), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    const owners = (b: any) => b.metadata.managedFields.filter((e: any) => e.fieldsV1['f:spec']?.['f:replicas']).map((e: any) => e.manager);
    expect(owners(forced.body)).toEqual(['bob']);

    const dropped = await c.req('PATCH', `${NS}/a?fieldManager=bob`, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n', APPLY);
    expect(dropped.status).toBe(200);
    expect(dropped.body.spec.replicas).toBe(1); // omitted: removed, then defaulted again
    expect(dropped.body.metadata.managedFields.map((e: any) => e.manager)).toEqual(['alice']);
  });

  it('records Update managers on create, update, patch and status', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mf' }, data: { a: '1' } };
    const created = await c.req('POST', '/api/v1/namespaces/default/configmaps', cm, { 'user-agent': 'kubectl/v1.32.4 (linux/amd64)' });
    expect(created.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsV1: { 'f:data': { 'f:a': {} } } })]);
    const patched = await c.req('PATCH', '/api/v1/namespaces/default/configmaps/mf?fieldManager=patcher', { data: { a: '2', b: '3' } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.body.metadata.managedFields.map((e: any) => [e.manager, e.fieldsV1])).toEqual([['patcher', { 'f:data': { 'f:a': {}, 'f:b': {} } }]]);
    const reset = await c.req('PUT', '/api/v1/namespaces/default/configmaps/mf', { ...patched.body, metadata: { ...patched.body.metadata, managedFields: [{}] } });
    expect(reset.body.metadata.managedFields).toBeUndefined();
    const st = await c.req('PUT', `${NS}/a/status?fieldManager=ctl`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, status: { observedGeneration: 7 } });
    expect(st.status).toBe(200);
    expect(st.body.metadata.managedFields.find((e: any) => e.manager === 'ctl')).toMatchObject({ subresource: 'status', fieldsV1: { 'f:status': { 'f:observedGeneration': {} } } });
  });

  describe.runIf(existsSync(KUBECTL))('kubectl', () => {
    const kubectl = (...args: string[]): Promise<{ code: number; out: string }> => new Promise((resolve) => {
      const env = { ...process.env, KUBECONFIG: c.kubeconfig(), HOME: dir };
      execFile(KUBECTL, ['--cache-dir', path.join(dir, 'cache'), ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) || 1 : 0, out: stdout + stderr });
      });
    });
    const file = (name: string, text: string): string => { const p = path.join(dir, name); writeFileSync(p, text); return p; };

    it('kubectl apply --server-side: creates, conflicts between managers, --force-conflicts resolves', async () => {
      const first = await kubectl('apply', '--server-side', '-f', file('web.yaml', deploy('web', 2)));
      expect(first.out).toContain('deployment.apps/web serverside-applied');
      expect(first.code).toBe(0);
      const other = await kubectl('apply', '--server-side', '--field-manager=other', '-f', file('web3.yaml', deploy('web', 3)));
      expect(other.code).toBe(1);
      expect(other.out).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
      const forced = await kubectl('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', path.join(dir, 'web3.yaml'));
      expect(forced.code).toBe(0);
      const shown = await kubectl('get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields');
      expect(shown.out).toContain('manager: other');
      expect(shown.out).toContain('replicas: 3');
    });

    it('kubectl apply --server-side takes over an object made by client-side apply', async () => {
      const csa = await kubectl('apply', '-f', file('old.yaml', deploy('old', 2)));
      expect(csa.code).toBe(0);
      const stranger = await kubectl('apply', '--server-side', '--field-manager=other', '-f', file('old3.yaml', deploy('old', 3)));
      expect(stranger.code).toBe(1);
      expect(stranger.out).toContain('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
      const ssa = await kubectl('apply', '--server-side', '-f', file('old2.yaml', deploy('old', 4, 'nginx:2')));
      expect(ssa.out).toContain('serverside-applied');
      expect(ssa.code).toBe(0);
      const shown = await kubectl('get', 'deployment', 'old', '-o', 'yaml', '--show-managed-fields');
      expect(shown.out).toContain('replicas: 4');
      expect(shown.out).toContain('operation: Apply');
      expect(shown.out).not.toContain('manager: kubectl-client-side-apply'); // kubectl's upgrade moved its fields to "kubectl"
      expect(shown.out).toContain('"replicas":4'); // the last-applied annotation follows the server-side apply
    });
  });
});
