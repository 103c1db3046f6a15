import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { pod, startCluster, stores, type Cluster } from './harness.js';

const NS = '/api/v1/namespaces/default';

describe.each(stores)('apiserver CRUD against %s', (_name, startStore) => {
  let c: Cluster;
  beforeAll(async () => { c = await startCluster(startStore); });
  afterAll(async () => { await c?.close(); });

  it('bootstraps namespaces and the kubernetes service', async () => {
    const ns = await c.req('GET', '/api/v1/namespaces');
    expect(ns.body.items.map((n: any) => n.metadata.name).sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = await c.req('GET', `${NS}/services/kubernetes`);
    expect(svc.body.spec.clusterIP).toBe('10.96.0.1');
    expect(svc.body.spec.ports[0].port).toBe(443);
    const ep = await c.req('GET', `${NS}/endpoints/kubernetes`);
    expect(ep.body.subsets[0].ports[0].port).toBe(Number(new URL(c.url).port));
  });

  it('creates, gets, updates with optimistic concurrency, and answers 409s', async () => {
    const created = await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: '1' } });
    expect(created.status).toBe(201);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.metadata.creationTimestamp).toMatch(/Z$/);
    const rv = created.body.metadata.resourceVersion;
    expect(Number(rv)).toBeGreaterThan(0);

    const dup = await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', message: 'configmaps "cm1" already exists', details: { name: 'cm1', kind: 'configmaps' } });

    const got = await c.req('GET', `${NS}/configmaps/cm1`);
    expect(got.body.metadata.resourceVersion).toBe(rv);
    const upd = await c.req('PUT', `${NS}/configmaps/cm1`, { ...got.body, data: { a: '2' } });
    expect(upd.status).toBe(200);
    expect(Number(upd.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect(upd.body.metadata.uid).toBe(created.body.metadata.uid);

    const stale = await c.req('PUT', `${NS}/configmaps/cm1`, { ...got.body, data: { a: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe('Operation cannot be fulfilled on configmaps "cm1": the object has been modified; please apply your changes to the latest version and try again');

    // unconditional update (no resourceVersion) succeeds
    const uncond = await c.req('PUT', `${NS}/configmaps/cm1`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: '4' } });
    expect(uncond.status).toBe(200);
    expect(uncond.body.data).toEqual({ a: '4' });

    // an update that changes nothing keeps the resourceVersion
    const same = await c.req('PUT', `${NS}/configmaps/cm1`, uncond.body);
    expect(same.body.metadata.resourceVersion).toBe(uncond.body.metadata.resourceVersion);
  });

  it('answers 422 with causes naming the field', async () => {
    const bad = await c.req('POST', `${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.message).toBe('Pod "x" is invalid: spec.containers[0].image: Required value');
    expect(bad.body.details.causes).toContainEqual(expect.objectContaining({ field: 'spec.containers[0].image', reason: 'FieldValueRequired' }));
  });

  it('rejects bad input with 400/404/413/415, never 500', async () => {
    const missingNs = await c.req('POST', '/api/v1/namespaces/nope/pods', pod('p'));
    expect(missingNs.status).toBe(404);
    expect(missingNs.body.message).toBe('namespaces "nope" not found');
    expect((await c.req('POST', `${NS}/pods`, '{"apiVersion":')).status).toBe(400);
    expect((await c.req('POST', `${NS}/pods`, 'kind: [', { 'content-type': 'application/yaml' })).status).toBe(400);
    expect((await c.req('POST', `${NS}/pods`, '<pod/>', { 'content-type': 'text/xml' })).status).toBe(415);
    const kind = await c.req('POST', `${NS}/pods`, { ...pod('p'), kind: 'Service' });
    expect(kind.status).toBe(400);
    const name = await c.req('PUT', `${NS}/pods/a`, pod('b'));
    expect(name.status).toBe(400);
    expect(name.body.message).toContain('does not match the name on the URL');
    const big = await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    expect(big.status).toBe(413);
    expect((await c.req('GET', '/api/v1/namespaces/default/widgets')).status).toBe(404);
    expect((await c.req('GET', '/apis/nope/v1/things')).status).toBe(404);
    expect((await c.req('GET', `${NS}/pods/none`)).body).toMatchObject({ reason: 'NotFound', message: 'pods "none" not found' });
    const apply = await c.req('PATCH', `${NS}/configmaps/cm1`, 'data: {}', { 'content-type': 'application/apply-patch+yaml' });
    expect(apply.status).toBe(422);
    expect(apply.body.message).toContain('fieldManager: Required value');
    const cbor = await c.req('PATCH', `${NS}/configmaps/cm1?fieldManager=x`, 'data: {}', { 'content-type': 'application/apply-patch+cbor' });
    expect(cbor.status).toBe(415);
  });

  it('accepts YAML bodies', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n';
    const res = await c.req('POST', `${NS}/configmaps`, yaml, { 'content-type': 'application/yaml' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ k: 'v' });
  });

  it('stores the parsed object: numeric quantities become strings, JSON nulls are dropped', async () => {
    const body = pod('parsed');
    body.metadata.annotations = null;
    body.spec.containers[0].resources = { requests: { cpu: 1, memory: '64Mi' } };
    const res = await c.req('POST', `${NS}/pods`, body);
    expect(res.status).toBe(201);
    const got = await c.req('GET', `${NS}/pods/parsed`);
    expect(got.body.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '64Mi' });
    expect('annotations' in got.body.metadata).toBe(false);
    expect(res.body.spec.containers[0].resources.requests.cpu).toBe('1');
  });

  it('generates names, sets generation on spec changes only, and applies defaults', async () => {
    const res = await c.req('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { generateName: 'web-' },
      spec: { selector: { matchLabels: { app: 'w' } }, template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    expect(res.status).toBe(201);
    const name = res.body.metadata.name as string;
    expect(name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(res.body.metadata.generation).toBe(1);
    expect(res.body.spec.replicas).toBe(1);
    const path = `/apis/apps/v1/namespaces/default/deployments/${name}`;
    const labelled = await c.req('PATCH', path, { metadata: { labels: { x: 'y' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await c.req('PATCH', path, { spec: { replicas: 3 } }, { 'content-type': 'application/merge-patch+json' });
    expect(scaled.body.metadata.generation).toBe(2);
    // main-resource updates ignore status; /status updates ignore the rest
    const st = await c.req('PATCH', `${path}/status`, { status: { replicas: 3 }, spec: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' });
    expect(st.status).toBe(200);
    expect(st.body.status.replicas).toBe(3);
    expect(st.body.spec.replicas).toBe(3);
    const ignored = await c.req('PATCH', path, { status: { replicas: 7 } }, { 'content-type': 'application/merge-patch+json' });
    expect(ignored.body.status.replicas).toBe(3);
    // scale subresource
    const scale = await c.req('GET', `${path}/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=w' } });
    const put = await c.req('PUT', `${path}/scale`, { ...scale.body, spec: { replicas: 5 } });
    expect(put.body.spec.replicas).toBe(5);
    const patched = await c.req('PATCH', `${path}/scale`, { spec: { replicas: 4 } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.body.spec.replicas).toBe(4);
    expect((await c.req('GET', path)).body.spec.replicas).toBe(4);
  });

  it('applies the three patch types, with retries and 422 for failed JSON patch tests', async () => {
    await c.req('POST', `${NS}/pods`, pod('patchme', { labels: { a: '1' } }));
    const p = `${NS}/pods/patchme`;
    const merge = await c.req('PATCH', p, { metadata: { labels: { b: '2', a: null } } }, { 'content-type': 'application/merge-patch+json' });
    expect(merge.body.metadata.labels).toEqual({ b: '2' });
    const json = await c.req('PATCH', p, [{ op: 'add', path: '/metadata/annotations', value: { n: 'v' } }], { 'content-type': 'application/json-patch+json' });
    expect(json.body.metadata.annotations).toEqual({ n: 'v' });
    const smp = await c.req('PATCH', p, { spec: { containers: [{ name: 'c', image: 'busybox:1.37' }] } }, { 'content-type': 'application/strategic-merge-patch+json' });
    expect(smp.status).toBe(200);
    expect(smp.body.spec.containers).toHaveLength(1);
    expect(smp.body.spec.containers[0].image).toBe('busybox:1.37');
    const failed = await c.req('PATCH', p, [{ op: 'test', path: '/metadata/name', value: 'other' }], { 'content-type': 'application/json-patch+json' });
    expect(failed.status).toBe(422);
    const immutable = await c.req('PATCH', p, { spec: { restartPolicy: 'Never' } }, { 'content-type': 'application/merge-patch+json' });
    expect(immutable.status).toBe(422);
    const stale = await c.req('PATCH', p, { metadata: { resourceVersion: '1', labels: { c: '3' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(stale.status).toBe(409);
  });

  it('dryRun=All writes nothing', async () => {
    const res = await c.req('POST', `${NS}/configmaps?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata.uid).toBeTruthy();
    expect((await c.req('GET', `${NS}/configmaps/dry`)).status).toBe(404);
    await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry2' }, data: { a: '1' } });
    const patched = await c.req('PATCH', `${NS}/configmaps/dry2?dryRun=All`, { data: { a: '2' } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.body.data.a).toBe('2');
    expect((await c.req('GET', `${NS}/configmaps/dry2`)).body.data.a).toBe('1');
    const del = await c.req('DELETE', `${NS}/configmaps/dry2?dryRun=All`);
    expect(del.status).toBe(200);
    expect((await c.req('GET', `${NS}/configmaps/dry2`)).status).toBe(200);
  });

  it('deletes unbound pods at once and bound pods gracefully', async () => {
    await c.req('POST', `${NS}/pods`, pod('unbound'));
    const del = await c.req('DELETE', `${NS}/pods/unbound`, { propagationPolicy: 'Background' });
    expect(del.status).toBe(200);
    expect((await c.req('GET', `${NS}/pods/unbound`)).status).toBe(404);

    await c.req('POST', `${NS}/pods`, pod('bound', { nodeName: 'node-1' }));
    const graceful = await c.req('DELETE', `${NS}/pods/bound`);
    expect(graceful.status).toBe(200);
    expect(graceful.body.metadata.deletionTimestamp).toBeTruthy();
    expect(graceful.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await c.req('GET', `${NS}/pods/bound`)).status).toBe(200);
    // the kubelet confirms
    const confirm = await c.req('DELETE', `${NS}/pods/bound`, { gracePeriodSeconds: 0 });
    expect(confirm.status).toBe(200);
    expect((await c.req('GET', `${NS}/pods/bound`)).status).toBe(404);
  });

  it('binds pods once, and evicts', async () => {
    await c.req('POST', `${NS}/pods`, pod('tobind'));
    const b = await c.req('POST', `${NS}/pods/tobind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { kind: 'Node', name: 'n1' } });
    expect(b.status).toBe(201);
    const got = await c.req('GET', `${NS}/pods/tobind`);
    expect(got.body.spec.nodeName).toBe('n1');
    expect(got.body.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    const again = await c.req('POST', `${NS}/pods/tobind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { kind: 'Node', name: 'n2' } });
    expect(again.status).toBe(409);
    const ev = await c.req('POST', `${NS}/pods/tobind/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'tobind' }, deleteOptions: { gracePeriodSeconds: 0 } });
    expect(ev.status).toBe(201);
    expect((await c.req('GET', `${NS}/pods/tobind`)).status).toBe(404);
    const log = await c.req('GET', `${NS}/pods/tobind/log`);
    expect(log.status).toBe(404);
    expect(log.body.message).toBe('pods "tobind" not found');
  });

  it('keeps objects with finalizers until they are removed, and honours propagation policies', async () => {
    await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['example.com/x'] } });
    const del = await c.req('DELETE', `${NS}/configmaps/fin`);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect((await c.req('GET', `${NS}/configmaps/fin`)).status).toBe(200);
    const done = await c.req('PATCH', `${NS}/configmaps/fin`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    expect(done.status).toBe(200);
    expect((await c.req('GET', `${NS}/configmaps/fin`)).status).toBe(404);

    await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orph' } });
    const orphan = await c.req('DELETE', `${NS}/configmaps/orph`, { propagationPolicy: 'Orphan' });
    expect(orphan.body.metadata.finalizers).toEqual(['orphan']);
    await c.req('POST', `${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fg' } });
    const fg = await c.req('DELETE', `${NS}/configmaps/fg?propagationPolicy=Foreground`);
    expect(fg.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    const pre = await c.req('DELETE', `${NS}/configmaps/cm1`, { preconditions: { uid: 'wrong' } });
    expect(pre.status).toBe(409);
  });

  it('allocates unique ClusterIPs and NodePorts and releases them', async () => {
    const mk = (name: string, spec: any) => c.req('POST', `${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });
    const a = await mk('svc-a', {});
    const b = await mk('svc-b', { type: 'NodePort' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.spec.clusterIP).toMatch(/^10\.96\./);
    expect(a.body.spec.clusterIP).not.toBe(b.body.spec.clusterIP);
    expect(a.body.spec.clusterIP).not.toBe('10.96.0.1');
    const np = b.body.spec.ports[0].nodePort;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    const headless = await mk('svc-h', { clusterIP: 'None' });
    expect(headless.body.spec.clusterIP).toBe('None');
    const taken = await mk('svc-c', { clusterIP: a.body.spec.clusterIP });
    expect(taken.status).toBe(422);
    const takenPort = await mk('svc-d', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] });
    expect(takenPort.status).toBe(422);
    // an update that omits clusterIP keeps it
    const put = await c.req('PUT', `${NS}/services/svc-a`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc-a' }, spec: { ports: [{ port: 81 }] } });
    expect(put.status).toBe(200);
    expect(put.body.spec.clusterIP).toBe(a.body.spec.clusterIP);
    // deleting releases: the exact IP and port can be requested again
    await c.req('DELETE', `${NS}/services/svc-a`);
    await c.req('DELETE', `${NS}/services/svc-b`);
    expect((await mk('svc-e', { clusterIP: a.body.spec.clusterIP })).status).toBe(201);
    expect((await mk('svc-f', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] })).status).toBe(201);
  });

  it('deletes namespaces: Terminating, then gone with their content', async () => {
    expect((await c.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } })).status).toBe(201);
    expect((await c.req('POST', '/api/v1/namespaces/tmp/pods', pod('p1'))).status).toBe(201);
    const del = await c.req('DELETE', '/api/v1/namespaces/tmp');
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe('Terminating');
    await waitFor(async () => (await c.req('GET', '/api/v1/namespaces/tmp')).status === 404, { what: 'namespace tmp gone' });
    expect((await c.req('GET', '/api/v1/namespaces/tmp/pods/p1')).status).toBe(404);
    expect((await c.req('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });

  it('serves discovery, version, openapi, health and metrics', async () => {
    expect((await c.req('GET', '/version')).body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-tinykube' });
    expect((await c.req('GET', '/api')).body.versions).toEqual(['v1']);
    const groups = (await c.req('GET', '/apis')).body.groups.map((g: any) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'coordination.k8s.io']));
    const v1 = (await c.req('GET', '/api/v1')).body.resources;
    expect(v1).toContainEqual(expect.objectContaining({ name: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'] }));
    expect(v1).toContainEqual(expect.objectContaining({ name: 'pods/eviction', kind: 'Eviction', group: 'policy', version: 'v1' }));
    expect(v1).toContainEqual(expect.objectContaining({ name: 'pods/log', verbs: ['get'] }));
    const apps = (await c.req('GET', '/apis/apps/v1')).body.resources;
    expect(apps).toContainEqual(expect.objectContaining({ name: 'deployments/scale', kind: 'Scale', group: 'autoscaling' }));
    const idx = (await c.req('GET', '/openapi/v3')).body.paths;
    expect(idx['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const doc = (await c.req('GET', idx['api/v1'].serverRelativeURL)).body;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(doc.components.schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    const v2 = await c.req('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
    expect(v2.status).toBe(200);
    expect(v2.body.swagger).toBe('2.0');
    for (const p of ['/healthz', '/livez', '/readyz']) expect((await c.req('GET', p)).text).toBe('ok');
    const metrics = (await c.req('GET', '/metrics')).text;
    expect(metrics).toMatch(/apiserver_request_total\{verb="POST",resource="pods",code="201"\} \d+/);
    expect(metrics).toContain('apiserver_request_duration_seconds_bucket');
    expect(metrics).toContain('apiserver_registered_watchers');
  });

  it('answers Tables when asked', async () => {
    const t = await c.req('GET', `${NS}/pods`, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(t.body.kind).toBe('Table');
    expect(t.body.columnDefinitions.map((d: any) => d.name)).toEqual(expect.arrayContaining(['Name', 'Ready', 'Status']));
    expect(t.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const full = await c.req('GET', `${NS}/pods?includeObject=Object`, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(full.body.rows[0].object.kind).toBe('Pod');
  });
});
