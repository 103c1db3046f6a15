import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tinykube/testkit';
import { widgetCrd } from './crd-fixture.js';
import { openWatch, startApiServer, startCluster, stores, type Cluster } from './harness.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };

function widget(name: string, spec: Record<string, unknown>): any {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec };
}

describe.each(stores)('CustomResourceDefinitions against %s', (_name, startStore) => {
  let c: Cluster;
  beforeAll(async () => { c = await startCluster(startStore); });
  afterAll(async () => { await c?.close(); });

  it('refuses a non-structural CRD with kube\'s message', async () => {
    const bad = structuredClone(widgetCrd) as any;
    bad.metadata.name = 'gadgets.example.com';
    bad.spec.names = { plural: 'gadgets', kind: 'Gadget' };
    delete bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.type;
    const r = await c.req('POST', CRDS, bad);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields');
  });

  it('establishes a CRD and serves it in discovery', async () => {
    const r = await c.req('POST', CRDS, widgetCrd);
    expect(r.status).toBe(201);
    expect(r.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    await waitFor(async () => {
      const got = await c.req('GET', `${CRDS}/widgets.example.com`);
      return got.body.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True');
    }, { timeoutMs: 10_000, what: 'Established' });
    const got = await c.req('GET', `${CRDS}/widgets.example.com`);
    expect(got.body.status.acceptedNames).toMatchObject({ plural: 'widgets', kind: 'Widget', listKind: 'WidgetList' });
    expect(got.body.status.conditions.find((x: any) => x.type === 'NamesAccepted')).toMatchObject({ status: 'True', reason: 'NoConflicts' });
    expect(got.body.status.storedVersions).toEqual(['v1']);
    const group = await c.req('GET', '/apis/example.com');
    expect(group.body.preferredVersion.version).toBe('v1');
    const list = await c.req('GET', '/apis/example.com/v1');
    expect(list.body.resources.map((x: any) => x.name)).toEqual(['widgets', 'widgets/status', 'widgets/scale']);
    expect(list.body.resources[0]).toMatchObject({ kind: 'Widget', namespaced: true, shortNames: ['wd'], categories: ['all'] });
  });

  it('does CRUD and watch on custom objects, with defaulting and pruning', async () => {
    const w = openWatch(`${c.url}${WIDGETS}?watch=true`);
    await w.ready;
    const r = await c.req('POST', WIDGETS, { ...widget('w1', { size: 2, junk: true }), status: { size: 9 } });
    expect(r.status).toBe(201);
    expect(r.body.spec).toEqual({ size: 2, color: 'red' });
    expect(r.body.status).toBeUndefined();
    const got = await c.req('GET', `${WIDGETS}/w1`);
    expect(got.body.metadata.uid).toBe(r.body.metadata.uid);
    // another served version reads the same object (None conversion)
    const beta = await c.req('GET', '/apis/example.com/v1beta1/namespaces/default/widgets/w1');
    expect(beta.body.apiVersion).toBe('example.com/v1beta1');
    expect(beta.body.spec.size).toBe(2);
    const upd = await c.req('PUT', `${WIDGETS}/w1`, { ...got.body, spec: { size: 3 } });
    expect(upd.status).toBe(200);
    expect(upd.body.metadata.generation).toBe(2);
    await w.waitFor((evs) => evs.some((e) => e.type === 'MODIFIED' && e.object.spec.size === 3), 'MODIFIED');
    expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Widget', metadata: { name: 'w1' } } });
    w.close();
    const list = await c.req('GET', WIDGETS);
    expect(list.body).toMatchObject({ kind: 'WidgetList', apiVersion: 'example.com/v1' });
    expect(list.body.items.map((x: any) => x.metadata.name)).toEqual(['w1']);
  });

  it('answers 422 with field paths for invalid objects', async () => {
    const r = await c.req('POST', WIDGETS, widget('bad', { size: 'big', color: 'green' }));
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.details.causes.map((x: any) => x.field).sort()).toEqual(['spec.color', 'spec.size']);
    expect(r.body.message).toContain('spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
    const missing = await c.req('POST', WIDGETS, widget('bad', {}));
    expect(missing.body.message).toBe('Widget.example.com "bad" is invalid: spec.size: Required value');
  });

  it('serves the status and scale subresources', async () => {
    const st = await c.req('PATCH', `${WIDGETS}/w1/status`, { status: { size: 3, phase: 'Ready' }, spec: { size: 7 } }, { 'content-type': 'application/merge-patch+json' });
    expect(st.status).toBe(200);
    expect(st.body.status).toEqual({ size: 3, phase: 'Ready' });
    expect(st.body.spec.size).toBe(3);
    const main = await c.req('PATCH', `${WIDGETS}/w1`, { status: { phase: 'Gone' } }, { 'content-type': 'application/merge-patch+json' });
    expect(main.body.status.phase).toBe('Ready');
    await c.req('PATCH', `${WIDGETS}/w1`, { spec: { selector: 'app=w' } }, { 'content-type': 'application/merge-patch+json' });
    const scale = await c.req('GET', `${WIDGETS}/w1/scale`);
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=w' } });
    const put = await c.req('PUT', `${WIDGETS}/w1/scale`, { ...scale.body, spec: { replicas: 5 } });
    expect(put.status).toBe(200);
    expect((await c.req('GET', `${WIDGETS}/w1`)).body.spec.size).toBe(5);
  });

  it('prints the additional printer columns in Tables', async () => {
    const t = await c.req('GET', WIDGETS, undefined, TABLE);
    expect(t.body.kind).toBe('Table');
    expect(t.body.columnDefinitions.map((x: any) => x.name)).toEqual(['Name', 'Size', 'Phase']);
    expect(t.body.rows[0].cells).toEqual(['w1', 5, 'Ready']);
  });

  it('serves cluster-scoped kinds and refuses names another CRD of the group holds', async () => {
    const cluster = structuredClone(widgetCrd) as any;
    cluster.metadata.name = 'gizmos.example.com';
    cluster.spec.scope = 'Cluster';
    cluster.spec.names = { plural: 'gizmos', kind: 'Gizmo' };
    cluster.spec.versions = [cluster.spec.versions[1]];
    cluster.spec.versions[0].storage = true;
    expect((await c.req('POST', CRDS, cluster)).status).toBe(201);
    await waitFor(async () => (await c.req('GET', '/apis/example.com/v1beta1/gizmos')).status === 200, { timeoutMs: 10_000, what: 'gizmos served' });
    const g = await c.req('POST', '/apis/example.com/v1beta1/gizmos', { apiVersion: 'example.com/v1beta1', kind: 'Gizmo', metadata: { name: 'g1', namespace: 'x' }, anything: { goes: 1 } });
    expect(g.status).toBe(201);
    expect(g.body.metadata.namespace).toBeUndefined();
    expect(g.body.anything).toEqual({ goes: 1 });
    expect((await c.req('GET', '/apis/example.com/v1beta1/namespaces/default/gizmos')).status).toBe(404);

    const clash = structuredClone(cluster);
    clash.metadata.name = 'doohickeys.example.com';
    clash.spec.names = { plural: 'doohickeys', singular: 'doohickey', kind: 'Widget' };
    expect((await c.req('POST', CRDS, clash)).status).toBe(201);
    await waitFor(async () => {
      const got = await c.req('GET', `${CRDS}/doohickeys.example.com`);
      return got.body.status?.conditions?.some((x: any) => x.type === 'NamesAccepted');
    }, { timeoutMs: 10_000, what: 'NamesAccepted' });
    const got = await c.req('GET', `${CRDS}/doohickeys.example.com`);
    expect(got.body.status.conditions.find((x: any) => x.type === 'NamesAccepted')).toMatchObject({ status: 'False', reason: 'KindConflict', message: '"Widget" is already in use' });
    expect(got.body.status.conditions.find((x: any) => x.type === 'Established')).toMatchObject({ status: 'False', reason: 'NotAccepted' });
    expect((await c.req('GET', '/apis/example.com/v1beta1/doohickeys')).status).toBe(404);
  });

  it('a second apiserver on the same store serves existing CRDs once ready (restart, HA)', async () => {
    const second = await startApiServer(c.store);
    try {
      const res = await fetch(`${second.url}${WIDGETS}/w1`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).spec.size).toBe(5);
      const disc = await fetch(`${second.url}/apis/example.com/v1`);
      expect(disc.status).toBe(200);
    } finally {
      await second.api.stop();
    }
  });

  it('deletes custom objects with their namespace', async () => {
    expect((await c.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crdns' } })).status).toBe(201);
    const path = '/apis/example.com/v1/namespaces/crdns/widgets';
    expect((await c.req('POST', path, widget('inns', { size: 1 }))).status).toBe(201);
    expect((await c.req('DELETE', '/api/v1/namespaces/crdns')).status).toBe(200);
    await waitFor(async () => (await c.req('GET', '/api/v1/namespaces/crdns')).status === 404, { timeoutMs: 20_000, what: 'namespace gone' });
    expect((await c.req('GET', `${path}/inns`)).status).toBe(404);
  });

  it('deletes the objects and stops serving when the CRD is deleted', async () => {
    for (let i = 0; i < 20; i++) expect((await c.req('POST', WIDGETS, widget(`n${i}`, { size: 1 }))).status).toBe(201);
    const held = { ...widget('held', { size: 1 }), metadata: { name: 'held', finalizers: ['example.com/hold'] } };
    expect((await c.req('POST', WIDGETS, held)).status).toBe(201);
    const del = await c.req('DELETE', `${CRDS}/widgets.example.com`);
    expect(del.status).toBeLessThan(300);
    // other requests keep being answered meanwhile
    expect((await c.req('GET', '/api/v1/namespaces')).status).toBe(200);
    // the object held by its finalizer keeps the CRD Terminating, and creates are refused
    await waitFor(async () => {
      const crd = await c.req('GET', `${CRDS}/widgets.example.com`);
      return crd.body.status?.conditions?.some((x: any) => x.type === 'Terminating' && x.reason === 'InstanceDeletionPending');
    }, { timeoutMs: 20_000, what: 'Terminating, deletion pending' });
    const refused = await c.req('POST', WIDGETS, widget('late', { size: 1 }));
    expect(refused.status).toBe(405);
    expect(refused.body.message).toBe('create is not supported on resources of kind "widgets.example.com"');
    expect((await c.req('GET', WIDGETS)).body.items.map((x: any) => x.metadata.name)).toEqual(['held']);
    expect((await c.req('PATCH', `${WIDGETS}/held`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' })).status).toBe(200);
    await waitFor(async () => (await c.req('GET', `${CRDS}/widgets.example.com`)).status === 404, { timeoutMs: 20_000, what: 'CRD gone' });
    expect((await c.req('GET', WIDGETS)).status).toBe(404);
    expect((await c.req('GET', '/apis/example.com/v1')).status).toBe(404);
    // a CRD of the same name starts empty
    expect((await c.req('POST', CRDS, widgetCrd)).status).toBe(201);
    await waitFor(async () => (await c.req('GET', WIDGETS)).status === 200, { timeoutMs: 10_000, what: 'served again' });
    expect((await c.req('GET', WIDGETS)).body.items).toEqual([]);
  });
});
