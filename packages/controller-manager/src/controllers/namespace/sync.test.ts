import { describe, expect, it } from 'vitest';
import { pathNotFound } from '@tinykube/api';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { T0 } from '../../core/fixtures.js';
import type { Namespace } from '@tinykube/api';
import { syncNamespace } from './sync.js';

const targets = [
  { group: 'apps', version: 'v1', plural: 'deployments' },
  { group: '', version: 'v1', plural: 'pods' },
  { group: 'example.com', version: 'v1', plural: 'widgets' },
];

function ns(deleting: boolean): Namespace {
  return {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', uid: 'u', resourceVersion: '3', ...(deleting ? { deletionTimestamp: T0 } : {}) },
    spec: { finalizers: ['kubernetes'] }, status: { phase: deleting ? 'Terminating' : 'Active' },
  };
}

describe('syncNamespace', () => {
  it('deletes every collection, waits while content remains, then finalizes', async () => {
    const lister = new FakeLister({ namespaces: [ns(true)] });
    const actions = new FakeActions(lister);
    actions.failures.set('deletecollection widgets', pathNotFound());
    actions.liveNames.set('pods', ['p1']);
    const deps = { lister, actions, resources: () => targets };
    expect(await syncNamespace(deps, 'team')).toEqual({ requeueAfterMs: 1000 });
    expect(actions.summary()).toEqual(['deletecollection deployments team', 'deletecollection pods team', 'deletecollection widgets team']);
    actions.liveNames.set('pods', []);
    actions.actions.length = 0;
    await syncNamespace(deps, 'team');
    expect(actions.summary()).toEqual(['deletecollection deployments team', 'deletecollection pods team', 'deletecollection widgets team', 'update namespaces team/finalize']);
    expect(lister.get('namespaces', '', 'team')!.spec!.finalizers).toEqual([]);
  });

  it('ignores live namespaces and already-finalized ones', async () => {
    const done = ns(true);
    done.spec = { finalizers: [] };
    const lister = new FakeLister({ namespaces: [ns(false)] });
    const actions = new FakeActions(lister);
    await syncNamespace({ lister, actions, resources: () => targets }, 'team');
    lister.put('namespaces', done);
    await syncNamespace({ lister, actions, resources: () => targets }, 'team');
    expect(actions.summary()).toEqual([]);
  });
});
