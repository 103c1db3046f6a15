import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { newPod, newReplicaSet, T0 } from '../../core/fixtures.js';
import type { ResourceName } from '../../core/resources.js';
import { syncGarbage } from './sync.js';

const kinds: ResourceName[] = ['pods', 'replicasets', 'deployments', 'daemonsets'];

function setup(init: ConstructorParameters<typeof FakeLister>[0]) {
  const lister = new FakeLister(init);
  const actions = new FakeActions(lister);
  return { lister, actions, deps: { lister, actions, kinds } };
}

describe('syncGarbage', () => {
  it('deletes (background) a dependent whose only owner is gone, after confirming with a live read', async () => {
    const rs = newReplicaSet('web', 1);
    const { actions, deps } = setup({ pods: [newPod('p', { owner: rs })] });
    await syncGarbage(deps, 'pods/default/p');
    expect(actions.actions.map((a) => `${a.verb} ${a.resource} ${a.name}`)).toEqual(['get replicasets web', 'delete pods p']);
    expect(actions.actions[1].opts).toEqual({ propagationPolicy: 'Background', uid: 'uid-p' });
  });

  it('keeps a dependent whose owner exists, or was re-created under a different uid only if the uid matches', async () => {
    const rs = newReplicaSet('web', 1);
    const { actions, deps, lister } = setup({ replicasets: [rs], pods: [newPod('p', { owner: rs })] });
    await syncGarbage(deps, 'pods/default/p');
    expect(actions.summary()).toEqual([]);
    lister.put('replicasets', { ...rs, metadata: { ...rs.metadata, uid: 'other' } });
    await syncGarbage(deps, 'pods/default/p');
    expect(actions.summary()).toEqual(['delete pods default/p']);
  });

  it('removes only the ownerReferences of absent owners when others remain', async () => {
    const a = newReplicaSet('a', 1);
    const b = newReplicaSet('b', 1);
    const pod = newPod('p', { owner: a });
    pod.metadata.ownerReferences!.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: 'uid-b' });
    const { actions, deps } = setup({ replicasets: [a], pods: [pod] });
    void b;
    await syncGarbage(deps, 'pods/default/p');
    expect(actions.summary()).toEqual(['update pods default/p']);
    expect(actions.of('update')[0].object!.metadata.ownerReferences!.map((r) => r.name)).toEqual(['a']);
  });

  it('orphans: strips ownerReferences from dependents, then removes the orphan finalizer', async () => {
    const rs = newReplicaSet('web', 1);
    rs.metadata.deletionTimestamp = T0;
    rs.metadata.finalizers = ['orphan'];
    const { actions, deps, lister } = setup({ replicasets: [rs], pods: [newPod('p', { owner: rs }), newPod('q')] });
    await syncGarbage(deps, 'replicasets/default/web');
    expect(actions.summary()).toEqual(['update pods default/p', 'update replicasets default/web']);
    expect(lister.get('pods', 'default', 'p')!.metadata.ownerReferences).toEqual([]);
    expect(lister.get('replicasets', 'default', 'web')!.metadata.finalizers).toEqual([]);
  });

  it('foreground: deletes dependents and drops the finalizer only once blocking dependents are gone', async () => {
    const rs = newReplicaSet('web', 1);
    rs.metadata.deletionTimestamp = T0;
    rs.metadata.finalizers = ['foregroundDeletion'];
    const { actions, deps, lister } = setup({ replicasets: [rs], pods: [newPod('p', { owner: rs })] });
    // Pretend the kubelet has not confirmed yet: deletion leaves the pod terminating in the cache.
    lister.put('pods', newPod('p', { owner: rs }));
    await syncGarbage(deps, 'replicasets/default/web');
    expect(actions.summary()).toEqual(['delete pods default/p']);
    expect(actions.of('delete')[0].opts?.propagationPolicy).toBe('Foreground');
    lister.remove('pods', 'default', 'p');
    await syncGarbage(deps, 'replicasets/default/web');
    expect(actions.summary()).toEqual(['delete pods default/p', 'update replicasets default/web']);
    expect(lister.get('replicasets', 'default', 'web')!.metadata.finalizers).toEqual([]);
  });

  it('never collects on account of an owner kind it cannot see', async () => {
    const pod = newPod('p');
    pod.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'u' }];
    const { actions, deps } = setup({ pods: [pod] });
    await syncGarbage(deps, 'pods/default/p');
    expect(actions.summary()).toEqual([]);
  });
});
