import { describe, expect, it } from 'vitest';
import { statusError } from '@tinykube/api';
import { Expectations } from '../../core/expectations.js';
import { FakeActions, FakeLister, FakeRecorder, TestClock } from '../../core/fake.js';
import { newPod, newReplicaSet } from '../../core/fixtures.js';
import type { Pod } from '@tinykube/api';
import { syncReplicaSet } from './sync.js';

function setup(lister: FakeLister) {
  const clock = new TestClock();
  const actions = new FakeActions();
  const recorder = new FakeRecorder();
  const expectations = new Expectations(clock.now);
  return { deps: { lister, actions, recorder, expectations, now: clock.now }, actions, recorder, expectations, clock };
}

describe('syncReplicaSet', () => {
  it('creates missing pods in slow-start batches with owner references and generateName', async () => {
    const rs = newReplicaSet('web', 3);
    const { deps, actions, recorder } = setup(new FakeLister({ replicasets: [rs] }));
    await syncReplicaSet(deps, 'default/web');
    expect(actions.summary()).toEqual(['create pods default', 'create pods default', 'create pods default', 'update replicasets default/web/status']);
    const pod = actions.of('create', 'pods')[0].object as Pod;
    expect(pod.metadata.generateName).toBe('web-');
    expect(pod.metadata.labels).toEqual({ app: 'web' });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
    expect(recorder.events).toHaveLength(3);
    expect(recorder.events[0]).toMatch(/^Normal SuccessfulCreate Created pod: web-/);
  });

  it('does not create again while earlier creations are unobserved (expectations)', async () => {
    const rs = newReplicaSet('web', 2);
    const { deps, actions, expectations } = setup(new FakeLister({ replicasets: [rs] }));
    await syncReplicaSet(deps, 'default/web');
    expect(actions.of('create', 'pods')).toHaveLength(2);
    await syncReplicaSet(deps, 'default/web');
    expect(actions.of('create', 'pods')).toHaveLength(2);
    expectations.creationObserved('default/web');
    expectations.creationObserved('default/web');
    await syncReplicaSet(deps, 'default/web');
    expect(actions.of('create', 'pods')).toHaveLength(4);
  });

  it('stops creating after a failed batch and lowers expectations for the skipped pods', async () => {
    const rs = newReplicaSet('web', 5);
    const { deps, actions, expectations, recorder } = setup(new FakeLister({ replicasets: [rs] }));
    actions.failures.set('create pods', statusError(403, 'Forbidden', 'quota exceeded'));
    await expect(syncReplicaSet(deps, 'default/web')).rejects.toThrow('quota exceeded');
    expect(actions.of('create', 'pods')).toHaveLength(1);
    expect(expectations.satisfied('default/web')).toBe(true);
    expect(recorder.events).toEqual(['Warning FailedCreate Error creating: quota exceeded']);
  });

  it('deletes unscheduled, then not-ready, then newer pods first', async () => {
    const rs = newReplicaSet('web', 1);
    const pods = [
      newPod('old-ready', { owner: rs, labels: { app: 'web' }, node: 'n1', ready: true, created: '2026-01-01T00:00:00Z' }),
      newPod('new-ready', { owner: rs, labels: { app: 'web' }, node: 'n2', ready: true, created: '2026-01-01T00:05:00Z' }),
      newPod('not-ready', { owner: rs, labels: { app: 'web' }, node: 'n3', ready: false }),
      newPod('pending', { owner: rs, labels: { app: 'web' }, phase: 'Pending' }),
    ];
    const { deps, actions, recorder } = setup(new FakeLister({ replicasets: [rs], pods }));
    await syncReplicaSet(deps, 'default/web');
    expect(actions.of('delete', 'pods').map((a) => a.name)).toEqual(['pending', 'not-ready', 'new-ready']);
    expect(recorder.events).toContain('Normal SuccessfulDelete Deleted pod: pending');
  });

  it('adopts matching orphans and releases owned pods that no longer match', async () => {
    const rs = newReplicaSet('web', 2);
    const orphan = newPod('orphan', { labels: { app: 'web' } });
    const strayed = newPod('strayed', { owner: rs, labels: { app: 'other' } });
    const foreign = newPod('foreign', { owner: newReplicaSet('x', 1), labels: { app: 'web' } });
    const mine = newPod('mine', { owner: rs, labels: { app: 'web' } });
    const { deps, actions } = setup(new FakeLister({ replicasets: [rs], pods: [orphan, strayed, foreign, mine] }));
    await syncReplicaSet(deps, 'default/web');
    const updates = actions.of('update', 'pods');
    expect(updates.map((a) => a.name).sort()).toEqual(['orphan', 'strayed']);
    expect(updates.find((a) => a.name === 'orphan')!.object!.metadata.ownerReferences![0].uid).toBe('uid-web');
    expect(updates.find((a) => a.name === 'strayed')!.object!.metadata.ownerReferences).toEqual([]);
    expect(actions.of('create', 'pods')).toHaveLength(0); // orphan + mine = 2
  });

  it('writes status with ready/available counts honouring minReadySeconds and asks to come back', async () => {
    const rs = newReplicaSet('web', 2);
    rs.spec.minReadySeconds = 10;
    rs.metadata.generation = 3;
    const { deps, actions, clock } = setup(new FakeLister({ replicasets: [rs] }));
    const lister = deps.lister as FakeLister;
    lister.put('pods', newPod('a', { owner: rs, labels: { app: 'web' }, ready: true, readySince: clock.iso(-60_000) }));
    lister.put('pods', newPod('b', { owner: rs, labels: { app: 'web', extra: '1' }, ready: true, readySince: clock.iso(-5_000) }));
    const res = await syncReplicaSet(deps, 'default/web');
    expect(actions.summary()).toEqual(['update replicasets default/web/status']);
    expect(actions.actions.at(-1)!.object!.status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 3 });
    expect(res.requeueAfterMs).toBe(10_000);
  });

  it('ignores finished and terminating pods and skips an unchanged status', async () => {
    const rs = newReplicaSet('web', 1);
    rs.status = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 };
    const pods = [
      newPod('done', { owner: rs, labels: { app: 'web' }, phase: 'Succeeded' }),
      newPod('going', { owner: rs, labels: { app: 'web' }, deleting: true }),
      newPod('live', { owner: rs, labels: { app: 'web' } }),
    ];
    const { deps, actions } = setup(new FakeLister({ replicasets: [rs], pods }));
    await syncReplicaSet(deps, 'default/web');
    expect(actions.summary()).toEqual([]);
  });

  it('forgets a deleted ReplicaSet', async () => {
    const { deps, actions, expectations } = setup(new FakeLister());
    expectations.expectCreations('default/gone', 3);
    await syncReplicaSet(deps, 'default/gone');
    expect(actions.summary()).toEqual([]);
    expect(expectations.satisfied('default/gone')).toBe(true);
  });
});
