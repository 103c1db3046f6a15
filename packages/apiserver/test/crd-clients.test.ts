/** Custom resources through real clients: kubectl (v1.32, fresh --cache-dir) and @kubernetes/client-node's CustomObjectsApi. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '@tinykube/testkit';
import { widgetCrd } from './crd-fixture.js';
import { startCluster, stores, type Cluster } from './harness.js';
import { KUBECTL, kubectlRunner, type KubectlRunner } from './kubectl-runner.js';

describe.each(stores)('custom resources through kubectl and client-node (%s)', (_name, startStore) => {
  let c: Cluster;
  let run: KubectlRunner;
  const kubectl = (...args: string[]) => run.kubectl(...args);
  const ok = (...args: string[]) => run.ok(...args);

  beforeAll(async () => {
    c = await startCluster(startStore);
    run = kubectlRunner(c.kubeconfig(), 'tk-kubectl-crd-');
  });
  afterAll(async () => {
    await c?.close();
    run?.remove();
  });

  it.runIf(existsSync(KUBECTL))('kubectl applies a CRD and an object, prints the columns and patches status', async () => {
    const crdFile = run.file('crd.json', JSON.stringify(widgetCrd));
    expect(await ok('apply', '-f', crdFile)).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    await ok('wait', '--for=condition=Established', '--timeout=20s', 'crd/widgets.example.com');
    const objFile = run.file('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: kw\nspec:\n  size: 4\n');
    // discovery is cached per run: the fresh cache dir sees the new group
    await waitFor(async () => (await kubectl('apply', '-f', objFile)).code === 0, { timeoutMs: 20_000, what: 'kubectl apply widget' });
    await ok('patch', 'widget', 'kw', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running","size":4}}');
    const out = await ok('get', 'widgets');
    const lines = out.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'SIZE', 'PHASE']);
    expect(lines[1].split(/\s+/)).toEqual(['kw', '4', 'Running']);
    expect((await ok('get', 'wd', 'kw', '-o', 'jsonpath={.spec.color}'))).toBe('red');
    const bad = await kubectl('patch', 'widget', 'kw', '--type=merge', '-p', '{"spec":{"size":0}}');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1');
  });

  it('client-node lists, creates and patches a custom kind', async () => {
    if (!existsSync(KUBECTL)) {
      expect((await c.req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd)).status).toBe(201);
    }
    await waitFor(async () => (await c.req('GET', '/apis/example.com/v1/widgets')).status === 200, { timeoutMs: 20_000, what: 'widgets served' });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig());
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    await api.createNamespacedCustomObject({
      group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'cw' }, spec: { size: 2 } },
    });
    const list = await api.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' });
    expect(list.kind).toBe('WidgetList');
    expect(list.items.map((i: any) => i.metadata.name)).toContain('cw');
    const all = await api.listClusterCustomObject({ group: 'example.com', version: 'v1', plural: 'widgets' });
    expect(all.items.map((i: any) => i.metadata.name)).toContain('cw');
    const patched = await api.patchNamespacedCustomObjectStatus({
      group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets', name: 'cw', body: { status: { phase: 'Ready' } },
    }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(patched.status).toEqual({ phase: 'Ready' });
    const got = await api.getNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets', name: 'cw' });
    expect(got.spec).toEqual({ size: 2, color: 'red' });
  });
});
