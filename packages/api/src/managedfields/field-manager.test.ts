// Cases from https://kubernetes.io/docs/reference/using-api/server-side-apply/ (conflicts, transferring
// ownership, removing a field by omitting it, merging list-maps by key) and kube's update bookkeeping.
import { describe, expect, it } from 'vitest';
import { applyConfiguration, trackUpdate } from './field-manager.js';
import type { Manager } from './managers.js';
import { applyConflict } from './apply-conflict.js';
import { decodeManagers, encodeManagers } from './managers.js';
import { builtinSemantics } from './semantics.js';
import { conflictsAllowedByLastApplied, LAST_APPLIED_ANNOTATION, withLastApplied } from './client-side-apply.js';

const dep = builtinSemantics('Deployment');
const cm = builtinSemantics('ConfigMap');
const now = '2026-12-07T12:00:00Z';
const who = (manager: string, subresource?: string) => ({ manager, apiVersion: 'apps/v1', now, subresource });

function deploy(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec };
}
const container = (image: string, extra: Record<string, unknown> = {}) => ({ name: 'nginx', image, ...extra });
const tmpl = (...containers: unknown[]) => ({ template: { spec: { containers } } });

function apply(live: unknown, config: unknown, ms: Manager[], manager: string, force = false) {
  const r = applyConfiguration(live, config, ms, who(manager), force, dep);
  if (!r.ok) throw applyConflict(r.conflicts);
  return r;
}
const fields = (ms: Manager[], name: string) => encodeManagers(ms).find((e) => e.manager === name)?.fieldsV1;

describe('server-side apply', () => {
  it('creates: the applier owns exactly what it applied', () => {
    const r = apply(undefined, deploy({ replicas: 3, ...tmpl(container('nginx:1')) }), [], 'kubectl');
    expect(r.object).toMatchObject({ spec: { replicas: 3 } });
    expect(encodeManagers(r.managers)).toEqual([{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: now, fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } },
    }]);
  });

  const base = apply(undefined, deploy({ replicas: 3, ...tmpl(container('nginx:1')) }), [], 'kubectl');

  it.each([
    { name: 'the same value shares ownership, no conflict', spec: { replicas: 3 }, force: false, conflict: undefined, owners: ['kubectl', 'other'] },
    { name: 'a different value conflicts', spec: { replicas: 5 }, force: false, conflict: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas', owners: [] },
    { name: 'force takes ownership', spec: { replicas: 5 }, force: true, conflict: undefined, owners: ['other'] },
  ])('a second applier: $name', ({ spec, force, conflict, owners }) => {
    const r = applyConfiguration(base.object, deploy(spec), base.managers, who('other'), force, dep);
    if (conflict) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        const err = applyConflict(r.conflicts);
        expect(err.status.code).toBe(409);
        expect(err.status.message).toBe(conflict);
        expect(err.status.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }]);
      }
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const replicaOwners = encodeManagers(r.managers).filter((e) => JSON.stringify(e.fieldsV1).includes('f:replicas')).map((e) => e.manager);
    expect(replicaOwners.sort()).toEqual(owners);
  });

  it('re-applying the same configuration changes nothing', () => {
    const r = apply(base.object, deploy({ replicas: 3, ...tmpl(container('nginx:1')) }), base.managers, 'kubectl');
    expect(r.object).toEqual(base.object);
    expect(encodeManagers(r.managers)).toEqual(encodeManagers(base.managers));
  });

  it('removes a field the applier stops applying, unless another manager owns it', () => {
    const r = apply(base.object, deploy(tmpl(container('nginx:1'))), base.managers, 'kubectl');
    expect((r.object as { spec: object }).spec).not.toHaveProperty('replicas');
    const shared = apply(base.object, deploy({ replicas: 3 }), base.managers, 'other');
    const kept = apply(shared.object, deploy(tmpl(container('nginx:1'))), shared.managers, 'kubectl');
    expect((kept.object as { spec: { replicas: number } }).spec.replicas).toBe(3);
    expect(fields(kept.managers, 'other')).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('merges list-maps by key and each applier owns its own items', () => {
    const side = { name: 'sidecar', image: 'busybox' };
    const r = apply(base.object, deploy(tmpl(side)), base.managers, 'other');
    const names = (r.object as any).spec.template.spec.containers.map((c: { name: string }) => c.name);
    expect(names).toEqual(['nginx', 'sidecar']);
    // an applier dropping its item removes only that item
    const back = apply(r.object, deploy({ template: { spec: { containers: [] } } }), r.managers, 'other');
    expect((back.object as any).spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['nginx']);
  });

  it('replaces atomic lists (container args) as a whole', () => {
    const a = apply(undefined, deploy(tmpl(container('x', { args: ['a', 'b'] }))), [], 'kubectl');
    const b = apply(a.object, deploy(tmpl(container('x', { args: ['c'] }))), a.managers, 'kubectl');
    expect((b.object as any).spec.template.spec.containers[0].args).toEqual(['c']);
  });

  it('transfers ownership: an Update of replicas takes the field, then the applier can drop it (docs: HPA)', () => {
    const updated = { ...(base.object as object), spec: { ...(base.object as any).spec, replicas: 7 } };
    const ms = trackUpdate(base.object, updated, base.managers, { ...who('kube-controller-manager') }, dep);
    expect(fields(ms, 'kube-controller-manager')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(fields(ms, 'kubectl'))).not.toContain('f:replicas');
    const r = apply(updated, deploy(tmpl(container('nginx:1'))), ms, 'kubectl');
    expect((r.object as any).spec.replicas).toBe(7);
  });
});

describe('managedFields on updates', () => {
  it('create: the writer owns everything it set, metadata system fields excluded', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', uid: 'u', labels: { a: '1' } }, data: { k: 'v' } };
    const ms = trackUpdate(undefined, obj, [], { manager: 'kubectl-create', apiVersion: 'v1', now }, cm);
    expect(encodeManagers(ms)).toEqual([{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: now, fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:k': {} }, 'f:metadata': { 'f:labels': { 'f:a': {} } } } }]);
  });

  it('a second writer takes the fields it changed; removing a field takes it from its owner; same identities merge', () => {
    const v1 = { metadata: { name: 'c' }, data: { a: '1', b: '2' } };
    const ms1 = trackUpdate(undefined, v1, [], { manager: 'one', apiVersion: 'v1', now }, cm);
    const v2 = { metadata: { name: 'c' }, data: { a: 'changed' } };
    const ms2 = trackUpdate(v1, v2, ms1, { manager: 'two', apiVersion: 'v1', now }, cm);
    expect(fields(ms2, 'one')).toBeUndefined();
    expect(fields(ms2, 'two')).toEqual({ 'f:data': { 'f:a': {} } });
    const ms3 = trackUpdate(v2, { ...v2, data: { a: 'changed', c: '3' } }, ms2, { manager: 'two', apiVersion: 'v1', now }, cm);
    expect(encodeManagers(ms3)).toHaveLength(1);
    expect(fields(ms3, 'two')).toEqual({ 'f:data': { 'f:a': {}, 'f:c': {} } });
  });

  it('keeps status writers apart by subresource', () => {
    const ms = trackUpdate({ metadata: {} }, { metadata: {}, status: { replicas: 1 } }, [], who('kcm', 'status'), dep);
    expect(encodeManagers(ms)[0]).toMatchObject({ manager: 'kcm', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
    expect(decodeManagers(encodeManagers(ms))[0].subresource).toBe('status');
  });
});

describe('client-side apply upgrade', () => {
  const config = deploy({ replicas: 3 });
  const live = { ...config, metadata: { name: 'd', annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(config) } } };
  const csa = trackUpdate(undefined, live, [], who('kubectl-client-side-apply'), dep);

  it('kubectl takes over fields the last-applied annotation still holds; other managers still conflict', () => {
    const r = applyConfiguration(live, deploy({ replicas: 4 }), csa, who('kubectl'), false, dep);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(applyConflict(r.conflicts).status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(conflictsAllowedByLastApplied('kubectl', live, r.conflicts, dep)).toBe(true);
    expect(conflictsAllowedByLastApplied('other', live, r.conflicts, dep)).toBe(false);
    const drifted = { ...live, spec: { replicas: 9 } };
    expect(conflictsAllowedByLastApplied('kubectl', drifted, r.conflicts, dep)).toBe(false);
  });

  it('keeps the last-applied annotation in step with what kubectl applies', () => {
    const out = withLastApplied('kubectl', live, live, deploy({ replicas: 4 })) as any;
    expect(JSON.parse(out.metadata.annotations[LAST_APPLIED_ANNOTATION]).spec.replicas).toBe(4);
    expect(withLastApplied('other', live, live, deploy({ replicas: 4 }))).toBe(live);
  });
});
