/** @kubernetes/client-node 1.4.0 against our apiserver (over http with insecure-skip-tls-verify). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { waitFor } from '@tinykube/testkit';
import { startCluster, stores, type Cluster } from './harness.js';

describe.each(stores)('@kubernetes/client-node against the apiserver (%s)', (_name, startStore) => {
  let c: Cluster;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  beforeAll(async () => {
    c = await startCluster(startStore);
    kc = new k8s.KubeConfig();
    kc.loadFromFile(c.kubeconfig());
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });
  afterAll(async () => { await c?.close(); });

  it('lists, creates, patches and deletes', async () => {
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toContain('kube-system');
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cn' }, data: { a: '1' } } });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    // typed patches default to JSON patch
    const patched = await core.patchNamespacedConfigMap({ name: 'cn', namespace: 'default', body: [{ op: 'replace', path: '/data/a', value: '2' }] });
    expect(patched.data).toEqual({ a: '2' });
    const merged = await core.patchNamespacedConfigMap({ name: 'cn', namespace: 'default', body: { data: { b: '3' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect(merged.data).toEqual({ a: '2', b: '3' });
    const dep = await apps.createNamespacedDeployment({ namespace: 'default', body: {
      metadata: { name: 'cd' },
      spec: { selector: { matchLabels: { app: 'cd' } }, template: { metadata: { labels: { app: 'cd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } });
    expect(dep.spec?.replicas).toBe(1);
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map((i) => i.metadata?.name)).toContain('cn');
    await core.deleteNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    await expect(core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('watches', async () => {
    const events: [string, string][] = [];
    const watch = new k8s.Watch(kc);
    const ac = await watch.watch('/api/v1/namespaces/default/configmaps', { resourceVersion: '0' }, (phase, obj) => {
      events.push([phase, obj.metadata.name]);
    }, () => {});
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
      await waitFor(() => events.some(([p, n]) => p === 'DELETED' && n === 'watched'), { what: 'DELETED watched' });
      expect(events.filter(([, n]) => n === 'watched').map(([p]) => p)).toEqual(['ADDED', 'DELETED']);
    } finally {
      ac.abort();
    }
  });

  it('runs an informer that sees ADDED, MODIFIED and DELETED', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (p) => { if (p.metadata?.name === 'inf') seen.push('add'); });
    informer.on('update', (p) => { if (p.metadata?.name === 'inf') seen.push('update'); });
    informer.on('delete', (p) => { if (p.metadata?.name === 'inf') seen.push('delete'); });
    const errors: unknown[] = [];
    informer.on('error', (err) => { errors.push(err); });
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'inf' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
      await waitFor(() => seen.includes('add'), { what: 'informer add' });
      await core.patchNamespacedPod({ name: 'inf', namespace: 'default', body: [{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }] });
      await waitFor(() => seen.includes('update'), { what: 'informer update' });
      expect(informer.get('inf', 'default')?.metadata?.labels).toEqual({ x: 'y' });
      await core.deleteNamespacedPod({ name: 'inf', namespace: 'default' });
      await waitFor(() => seen.includes('delete'), { what: 'informer delete' });
      expect(seen).toEqual(['add', 'update', 'delete']);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
