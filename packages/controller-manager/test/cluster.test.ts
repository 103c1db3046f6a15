import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiserverTlsArgs, freePort, repoRoot, spawnComponent, startRealEtcd, testPki, waitFor, writeTestKubeconfig, type Proc, type RunningStore } from '@tinykube/testkit';
import { Api } from './api.js';
import { SimKubelets } from './sim-kubelet.js';

/**
 * Real etcd + tinykube-apiserver + tinykube-controller-manager as processes. The test plays the
 * kubelets (SimKubelets). Pods are scheduled by packages/scheduler's tinykube-scheduler; with
 * TK_CM_SCHEDULER=sim (or without a scheduler) SimKubelets binds them itself, so the test then depends
 * only on the apiserver and us.
 */
const realScheduler = process.env.TK_CM_SCHEDULER !== 'sim' && existsSync(path.join(repoRoot, 'packages/scheduler/src/main.ts'));
describe('controller-manager against a real apiserver', () => {
  let etcd: RunningStore;
  let apiserver: Proc;
  let cm: Proc;
  let scheduler: Proc | undefined;
  let api: Api;
  let kubelets: SimKubelets;
  let dir: string;
  let cmPort: number;

  beforeAll(async () => {
    etcd = await startRealEtcd();
    const port = await freePort();
    apiserver = spawnComponent('apiserver', [...etcd.apiserverArgs, ...apiserverTlsArgs(), '--enable-admission-plugins', 'ServiceAccount,NodeRestriction', '--port', String(port), '--log-level', 'warn']);
    api = new Api(`https://127.0.0.1:${port}`);
    await waitFor(async () => {
      if (apiserver.child.exitCode !== null) throw new Error(`apiserver exited:\n${apiserver.output()}`);
      return (await fetch(`${api.url}/readyz`)).ok;
    }, { timeoutMs: 30_000, what: 'apiserver /readyz' });
    dir = mkdtempSync(path.join(tmpdir(), 'tk-cm-'));
    // each component with its own identity, as kubeadm gives them (RBAC's default roles must suffice)
    await writeTestKubeconfig(path.join(dir, 'kubeconfig'), api.url, testPki().admin);
    const kubeconfig = await writeTestKubeconfig(path.join(dir, 'controller-manager.conf'), api.url, testPki().controllerManager);
    const schedulerKubeconfig = await writeTestKubeconfig(path.join(dir, 'scheduler.conf'), api.url, testPki().scheduler);
    kubelets = new SimKubelets(api, ['n1', 'n2'], 400, !realScheduler);
    if (realScheduler) {
      scheduler = spawnComponent('scheduler', ['--kubeconfig', schedulerKubeconfig, '--port', '0', '--log-level', process.env.TK_CM_LOG ? 'info' : 'warn', '--leader-elect', 'false']);
    }
    await kubelets.register();
    kubelets.start();
    cmPort = await freePort();
    cm = spawnComponent('controller-manager', [
      '--kubeconfig', kubeconfig, '--leader-elect', '--port', String(cmPort), '--log-level', 'warn', '--root-ca-file', testPki().ca.cert,
      '--node-monitor-grace-period', '3s', '--node-eviction-rate', '10', '--cluster-cidr', '10.244.0.0/16', '--node-cidr-mask-size', '24',
    ]);
    await waitFor(async () => {
      if (cm.child.exitCode !== null) throw new Error(`controller-manager exited:\n${cm.output()}`);
      return (await fetch(`http://127.0.0.1:${cmPort}/readyz`)).ok;
    }, { timeoutMs: 30_000, what: 'controller-manager /readyz' });
  }, 90_000);

  afterAll(async () => {
    await kubelets?.stop();
    await cm?.stop();
    await scheduler?.stop();
    // TK_CM_LOG=1 shows what the controller-manager logged (warnings and errors by default).
    if (process.env.TK_CM_LOG) process.stderr.write((cm?.output() ?? '') + (scheduler?.output() ?? ''));
    await apiserver?.stop();
    await etcd?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const deployment = (image: string) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080 }] }],
          tolerations: [
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
          ],
        },
      },
    },
  });

  const webPods = async () => (await api.list('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb'));
  const isReady = (p: any): boolean => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  const deploymentAvailable = async (want: number, image: string): Promise<boolean> => {
    const d = await api.must('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    const s = d.status ?? {};
    if (s.observedGeneration !== d.metadata.generation || s.updatedReplicas !== want || s.availableReplicas !== want || s.replicas !== want) return false;
    const pods = (await webPods()).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === want && pods.every((p) => isReady(p) && p.spec.containers[0].image === image);
  };

  it('leads through the kube-system Lease and gives every node a pod CIDR', async () => {
    const lease = await api.must('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager');
    expect(lease.spec.holderIdentity).toBeTruthy();
    const cidrs = await waitFor(async () => {
      const nodes = await api.list('/api/v1/nodes');
      const c = nodes.map((n) => n.spec?.podCIDR).sort();
      return c.every(Boolean) ? c : undefined;
    }, { timeoutMs: 15_000, what: 'pod CIDRs' });
    expect(cidrs).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('creates a Deployment\'s ReplicaSet and pods, with events and Endpoints for a Service', async () => {
    await api.must('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('img:1'));
    await api.must('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    await waitFor(() => deploymentAvailable(3, 'img:1'), { timeoutMs: 30_000, what: 'deployment web available' });
    const rss = await api.list('/apis/apps/v1/namespaces/default/replicasets');
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    const pods = await webPods();
    expect(pods.every((p) => p.metadata.generateName === `${rss[0].metadata.name}-`)).toBe(true);
    const ep = await waitFor(async () => {
      const e = await api.req('GET', '/api/v1/namespaces/default/endpoints/web');
      return e.status === 200 && (e.body.subsets?.[0]?.addresses ?? []).length === 3 ? e.body : undefined;
    }, { timeoutMs: 15_000, what: 'endpoints with 3 addresses' });
    expect(ep.subsets[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const events = await waitFor(async () => {
      const evs = await api.list('/api/v1/namespaces/default/events');
      return evs.some((e) => e.reason === 'ScalingReplicaSet') && evs.some((e) => e.reason === 'SuccessfulCreate') ? evs : undefined;
    }, { timeoutMs: 10_000, what: 'events' });
    expect(events.find((e) => e.reason === 'ScalingReplicaSet').message).toBe(`Scaled up replica set ${rss[0].metadata.name} to 3`);
  }, 60_000);

  it('rolls out a new template without dropping below replicas - maxUnavailable ready pods', async () => {
    const d = await api.must('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    d.spec.template.spec.containers[0].image = 'img:2';
    await api.must('PUT', '/apis/apps/v1/namespaces/default/deployments/web', d);
    let minReady = Number.POSITIVE_INFINITY;
    let maxPods = 0;
    await waitFor(async () => {
      const pods = await webPods();
      minReady = Math.min(minReady, pods.filter(isReady).length);
      maxPods = Math.max(maxPods, pods.filter((p) => !p.metadata.deletionTimestamp).length);
      return deploymentAvailable(3, 'img:2');
    }, { timeoutMs: 45_000, intervalMs: 50, what: 'rollout to img:2' });
    expect(minReady).toBeGreaterThanOrEqual(2);
    expect(maxPods).toBeLessThanOrEqual(4);
    const rss = await api.list('/apis/apps/v1/namespaces/default/replicasets');
    expect(rss.map((r) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]).sort()).toEqual([['1', 0], ['2', 3]]);
    const conds = await waitFor(async () => {
      const d2 = await api.must('GET', '/apis/apps/v1/namespaces/default/deployments/web');
      const c = d2.status.conditions ?? [];
      return c.some((x: any) => x.type === 'Progressing' && x.reason === 'NewReplicaSetAvailable') ? c : undefined;
    }, { timeoutMs: 10_000, what: 'Progressing NewReplicaSetAvailable' });
    expect(conds.find((x: any) => x.type === 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
  }, 60_000);

  it('kubectl rollout undo brings back the previous template as revision 3', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'tk-kubectl-'));
    try {
      const out = execFileSync('/usr/bin/kubectl', ['--kubeconfig', path.join(dir, 'kubeconfig'), '--cache-dir', cacheDir, 'rollout', 'undo', 'deployment/web'], { encoding: 'utf8', timeout: 30_000 });
      expect(out).toMatch(/rolled back/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    await waitFor(() => deploymentAvailable(3, 'img:1'), { timeoutMs: 45_000, what: 'rollback to img:1' });
    const d = await api.must('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const rss = await api.list('/apis/apps/v1/namespaces/default/replicasets');
    expect(rss.map((r) => [r.spec.template.spec.containers[0].image, r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]).sort())
      .toEqual([['img:1', '3', 3], ['img:2', '2', 0]]);
  }, 60_000);

  it('taints a node that stops heartbeating, evicts its pods after tolerationSeconds and replaces them', async () => {
    const victim = (await webPods()).find((p) => isReady(p))!.spec.nodeName as string;
    const onVictim = (await webPods()).filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);
    expect(onVictim.length).toBeGreaterThan(0);
    kubelets.kill(victim);
    const node = await waitFor(async () => {
      const n = await api.must('GET', `/api/v1/nodes/${victim}`);
      return (n.spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
    }, { timeoutMs: 20_000, what: 'unreachable taint' });
    expect(node.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    await waitFor(async () => {
      const pods = await webPods();
      const evicted = onVictim.every((n) => pods.find((p) => p.metadata.name === n)?.metadata.deletionTimestamp);
      const ready = pods.filter((p) => isReady(p) && p.spec.nodeName !== victim);
      return evicted && ready.length === 3;
    }, { timeoutMs: 30_000, what: 'pods evicted and replaced on the live node' });
    const events = await api.list('/api/v1/namespaces/default/events');
    expect(events.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === victim)).toBe(true);
    expect(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod default/${onVictim[0]}`)).toBe(true);
    expect(kubelets.errors).toEqual([]);
    victimNode = victim;
  }, 60_000);

  let victimNode = '';

  it('removes the taints when the node is back', async () => {
    await kubelets.revive(victimNode);
    await waitFor(async () => {
      const n = await api.must('GET', `/api/v1/nodes/${victimNode}`);
      return (n.spec.taints ?? []).length === 0;
    }, { timeoutMs: 15_000, what: 'taints removed' });
    // Its kubelet confirms the evicted pods' deletion, so only the 3 live replicas remain.
    await waitFor(async () => (await webPods()).length === 3, { timeoutMs: 15_000, what: 'terminated pods gone' });
  }, 40_000);

  it('runs one DaemonSet pod per node, pinned by node affinity, and reports status', async () => {
    await api.must('POST', '/apis/apps/v1/namespaces/default/daemonsets', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } } },
    });
    const ds = await waitFor(async () => {
      const d = await api.must('GET', '/apis/apps/v1/namespaces/default/daemonsets/agent');
      return d.status?.numberReady === 2 && d.status?.desiredNumberScheduled === 2 ? d : undefined;
    }, { timeoutMs: 20_000, what: 'daemonset ready on both nodes' });
    expect(ds.status).toMatchObject({ currentNumberScheduled: 2, numberMisscheduled: 0, numberAvailable: 2, updatedNumberScheduled: 2 });
    const pods = await api.list('/api/v1/namespaces/default/pods?labelSelector=app%3Dagent');
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['n1', 'n2']);
    expect(pods[0].spec.tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/unreachable');
  }, 40_000);

  it('gives every namespace its default ServiceAccount and the kube-root-ca.crt ConfigMap; pods get a token volume', async () => {
    await api.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } });
    const sa = await waitFor(async () => { const r = await api.req('GET', '/api/v1/namespaces/fresh/serviceaccounts/default'); return r.status === 200 ? r.body : undefined; },
      { timeoutMs: 15_000, what: 'default ServiceAccount in fresh' });
    expect(sa.metadata.name).toBe('default');
    const cm = await waitFor(async () => { const r = await api.req('GET', '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt'); return r.status === 200 ? r.body : undefined; },
      { timeoutMs: 15_000, what: 'kube-root-ca.crt in fresh' });
    expect(cm.data['ca.crt']).toBe(testPki().caPem);
    const pod = await api.must('POST', '/api/v1/namespaces/fresh/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'img:1' }] } });
    expect(pod.spec.serviceAccountName).toBe('default');
    const vol = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    expect(vol.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
  }, 40_000);

  it('serves /healthz and Prometheus /metrics', async () => {
    expect(await (await fetch(`http://127.0.0.1:${cmPort}/healthz`)).text()).toBe('ok');
    const metrics = await (await fetch(`http://127.0.0.1:${cmPort}/metrics`)).text();
    expect(metrics).toMatch(/controller_sync_total\{controller="deployment",result="success"\} [1-9]/);
  });

  it('orphan deletion leaves the ReplicaSets without ownerReferences', async () => {
    await api.must('POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('img:1'), metadata: { name: 'orphaned', namespace: 'default' }, spec: { ...deployment('img:1').spec, selector: { matchLabels: { app: 'orph' } }, template: { ...deployment('img:1').spec.template, metadata: { labels: { app: 'orph' } } } } });
    const rsOf = async () => (await api.list('/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorph'));
    await waitFor(async () => (await rsOf()).length === 1, { timeoutMs: 15_000, what: 'orphaned RS created' });
    await api.must('DELETE', '/apis/apps/v1/namespaces/default/deployments/orphaned', { propagationPolicy: 'Orphan' });
    await waitFor(async () => (await api.req('GET', '/apis/apps/v1/namespaces/default/deployments/orphaned')).status === 404, { timeoutMs: 15_000, what: 'deployment gone' });
    const rss = await rsOf();
    expect(rss).toHaveLength(1);
    expect(rss[0].metadata.ownerReferences ?? []).toEqual([]);
  }, 40_000);

  it('foreground deletion removes pods and ReplicaSets before the Deployment goes', async () => {
    await api.must('DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { propagationPolicy: 'Foreground' });
    const during = await api.req('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(during.status === 404 || during.body.metadata.finalizers.includes('foregroundDeletion')).toBe(true);
    await waitFor(async () => (await api.req('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status === 404, { timeoutMs: 30_000, what: 'deployment web gone' });
    expect(await webPods()).toEqual([]);
    const rss = (await api.list('/apis/apps/v1/namespaces/default/replicasets')).filter((r) => r.metadata.labels?.app === 'web');
    expect(rss).toEqual([]);
  }, 40_000);
});
