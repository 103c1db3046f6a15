import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, FakeRecorder, TestClock } from '../../core/fake.js';
import { newDeployment } from '../../core/fixtures.js';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@tinykube/api';
import { podTemplateHash } from './hash.js';
import { syncDeployment } from './sync.js';
import { getCondition } from './util.js';

function setup(d: Deployment, rss: ReplicaSet[] = []) {
  const lister = new FakeLister({ deployments: [d], replicasets: rss });
  const actions = new FakeActions(lister);
  const recorder = new FakeRecorder();
  const clock = new TestClock();
  return { lister, actions, recorder, clock, deps: { lister, actions, recorder, now: clock.now } };
}

/** Plays the ReplicaSet controller + kubelets: every RS's pods exist and are available. */
function settle(lister: FakeLister): void {
  for (const rs of lister.list('replicasets')) {
    const n = rs.spec.replicas ?? 0;
    lister.put('replicasets', { ...rs, status: { replicas: n, readyReplicas: n, availableReplicas: n, fullyLabeledReplicas: n, observedGeneration: rs.metadata.generation ?? 1 } });
  }
}

const rsOf = (l: FakeLister, prefix = ''): ReplicaSet[] => l.list('replicasets').filter((r) => r.metadata.name!.startsWith(prefix));
const dep = (l: FakeLister): Deployment => l.get('deployments', 'default', 'web')!;

describe('syncDeployment', () => {
  it('creates the new ReplicaSet named by the template hash with revision and replica annotations', async () => {
    const d = newDeployment('web', 3);
    const { actions, recorder, deps, lister } = setup(d);
    await syncDeployment(deps, 'default/web');
    const hash = podTemplateHash(d.spec.template);
    expect(actions.summary()).toEqual([
      'create replicasets default/web-' + hash,
      'update deployments default/web/status',
      'update deployments default/web',
      'update deployments default/web/status',
    ]);
    const rs = actions.of('create', 'replicasets')[0].object as ReplicaSet;
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector?.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(recorder.events).toEqual([`Normal ScalingReplicaSet Scaled up replica set web-${hash} to 3`]);
    expect(dep(lister).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(getCondition(dep(lister).status, 'Progressing')?.reason).toBe('NewReplicaSetCreated');
    expect(getCondition(dep(lister).status, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });

  it('reports complete and available once the ReplicaSet is available', async () => {
    const { deps, lister } = setup(newDeployment('web', 3));
    await syncDeployment(deps, 'default/web');
    settle(lister);
    await syncDeployment(deps, 'default/web');
    const st = dep(lister).status!;
    expect(st).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, observedGeneration: 1 });
    expect(getCondition(st, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(getCondition(st, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });

  it('rolls out within maxSurge and maxUnavailable and ends with the old ReplicaSet at zero', async () => {
    const d = newDeployment('web', 4);
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    const { deps, lister, recorder } = setup(d);
    await syncDeployment(deps, 'default/web');
    settle(lister);
    await syncDeployment(deps, 'default/web');
    const oldName = rsOf(lister)[0].metadata.name!;
    // New template: a rolling update.
    const cur = dep(lister);
    lister.put('deployments', { ...cur, metadata: { ...cur.metadata, generation: 2 }, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image: 'img:2' }] } } } });
    for (let step = 0; step < 20; step++) {
      await syncDeployment(deps, 'default/web');
      const rss = rsOf(lister);
      const total = rss.reduce((n, r) => n + (r.spec.replicas ?? 0), 0);
      const available = rss.reduce((n, r) => n + (r.status?.availableReplicas ?? 0), 0);
      expect(total).toBeLessThanOrEqual(5);
      expect(available).toBeGreaterThanOrEqual(3);
      settle(lister);
    }
    const rss = rsOf(lister);
    expect(rss).toHaveLength(2);
    const old = rss.find((r) => r.metadata.name === oldName)!;
    const fresh = rss.find((r) => r.metadata.name !== oldName)!;
    expect(old.spec.replicas).toBe(0);
    expect(fresh.spec.replicas).toBe(4);
    expect(fresh.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(dep(lister).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(recorder.events).toContain(`Normal ScalingReplicaSet Scaled down replica set ${oldName} to 3`);
    expect(getCondition(dep(lister).status, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('Recreate scales old ReplicaSets to zero and waits for their pods before creating the new one', async () => {
    const d = newDeployment('web', 2);
    d.spec.strategy = { type: 'Recreate' };
    const { deps, lister, actions } = setup(d);
    await syncDeployment(deps, 'default/web');
    settle(lister);
    const cur = dep(lister);
    lister.put('deployments', { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image: 'img:2' }] } } } });
    actions.actions.length = 0;
    await syncDeployment(deps, 'default/web');
    expect(actions.of('create', 'replicasets')).toHaveLength(0);
    expect(rsOf(lister)[0].spec.replicas).toBe(0);
    await syncDeployment(deps, 'default/web'); // old RS status still reports 2 pods
    expect(actions.of('create', 'replicasets')).toHaveLength(0);
    settle(lister);
    await syncDeployment(deps, 'default/web');
    const created = actions.of('create', 'replicasets');
    expect(created).toHaveLength(1);
    expect((created[0].object as ReplicaSet).spec.replicas).toBe(2);
  });

  it('scales proportionally when replicas change mid-rollout', async () => {
    const d = newDeployment('web', 10);
    d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    const { deps, lister } = setup(d);
    await syncDeployment(deps, 'default/web');
    settle(lister);
    await syncDeployment(deps, 'default/web');
    let cur = dep(lister);
    lister.put('deployments', { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image: 'img:2' }] } } } });
    await syncDeployment(deps, 'default/web'); // new RS created with 3 (surge), old scaled to 8 (2 unavailable allowed)
    const before = rsOf(lister).map((r) => r.spec.replicas).sort((a, b) => a! - b!);
    expect(before).toEqual([3, 8]);
    settle(lister);
    cur = dep(lister);
    lister.put('deployments', { ...cur, spec: { ...cur.spec, replicas: 20 } });
    await syncDeployment(deps, 'default/web');
    const after = rsOf(lister).map((r) => r.spec.replicas!).sort((a, b) => a - b);
    expect(after.reduce((a, b) => a + b, 0)).toBe(23); // 20 + maxSurge 3
    expect(after).toEqual([5, 18]); // 3*23/13 -> 5; 8*23/13 -> 14, plus the leftover 4 to the largest
    for (const rs of rsOf(lister)) expect(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('20');
  });

  it('rollback by restoring an old template reuses the old ReplicaSet with a new revision', async () => {
    const d = newDeployment('web', 2);
    const { deps, lister } = setup(d);
    const v1 = d.spec.template;
    await syncDeployment(deps, 'default/web');
    settle(lister);
    let cur = dep(lister);
    lister.put('deployments', { ...cur, spec: { ...cur.spec, template: { ...v1, spec: { containers: [{ name: 'c', image: 'img:2' }] } } } });
    for (let i = 0; i < 6; i++) { await syncDeployment(deps, 'default/web'); settle(lister); }
    cur = dep(lister);
    lister.put('deployments', { ...cur, spec: { ...cur.spec, template: v1 } });
    for (let i = 0; i < 6; i++) { await syncDeployment(deps, 'default/web'); settle(lister); }
    const rss = rsOf(lister);
    expect(rss).toHaveLength(2);
    const first = rss.find((r) => r.metadata.name === `web-${podTemplateHash(v1)}`)!;
    expect(first.spec.replicas).toBe(2);
    expect(first.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(dep(lister).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit', async () => {
    const d = newDeployment('web', 1);
    d.spec.revisionHistoryLimit = 1;
    const { deps, lister, actions } = setup(d);
    for (const image of ['img:1', 'img:2', 'img:3']) {
      const cur = dep(lister);
      lister.put('deployments', { ...cur, spec: { ...cur.spec, template: { ...cur.spec.template, spec: { containers: [{ name: 'c', image }] } } } });
      for (let i = 0; i < 6; i++) { await syncDeployment(deps, 'default/web'); settle(lister); }
    }
    expect(actions.of('delete', 'replicasets')).toHaveLength(1);
    const left = rsOf(lister).map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    expect(left).toEqual(['2', '3']);
  });

  it('a paused deployment gets DeploymentPaused and no new ReplicaSet', async () => {
    const d = newDeployment('web', 2);
    d.spec.paused = true;
    const { deps, lister, actions } = setup(d);
    await syncDeployment(deps, 'default/web');
    expect(actions.of('create', 'replicasets')).toHaveLength(0);
    expect(getCondition(dep(lister).status, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
  });

  it('marks ProgressDeadlineExceeded when a rollout makes no progress past the deadline', async () => {
    const d = newDeployment('web', 2);
    d.spec.progressDeadlineSeconds = 60;
    const { deps, lister, clock } = setup(d);
    const res = await syncDeployment(deps, 'default/web');
    // Pods never become available; nothing progresses.
    expect(res.requeueAfterMs).toBeGreaterThan(0);
    clock.advance(61_000);
    await syncDeployment(deps, 'default/web');
    expect(getCondition(dep(lister).status, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });
});

describe('podTemplateHash', () => {
  it('is stable across key order and safe-encoded', () => {
    const a = podTemplateHash({ metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const b = podTemplateHash({ spec: { containers: [{ image: 'x', name: 'c' }] }, metadata: { labels: { b: '2', a: '1' } } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(podTemplateHash({ spec: { containers: [{ name: 'c', image: 'y' }] } })).not.toBe(a);
    expect(podTemplateHash({ spec: { containers: [{ name: 'c', image: 'x' }] } }, 1)).not.toBe(podTemplateHash({ spec: { containers: [{ name: 'c', image: 'x' }] } }));
  });
});

describe('template equality', () => {
  it('ignores null fields and empty maps, as Semantic.DeepEqual does (kubectl rollout undo sends creationTimestamp: null)', () => {
    const a = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } };
    // As decoded from the wire: informers do not run the schema, so the null survives.
    const b: PodTemplateSpec = JSON.parse('{"metadata":{"creationTimestamp":null,"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i"}]}}');
    expect(podTemplateHash(a)).toBe(podTemplateHash(b));
  });
});
