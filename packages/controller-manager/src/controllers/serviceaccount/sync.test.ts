import type { ServiceAccount } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { alreadyExists, internal, statusError } from '@tinykube/api';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { T0 } from '../../core/fixtures.js';
import type { Namespace } from '@tinykube/api';
import { syncServiceAccounts } from './sync.js';

function ns(name: string, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `uid-${name}`, ...(phase === 'Terminating' ? { deletionTimestamp: T0 } : {}) },
    spec: { finalizers: ['kubernetes'] }, status: { phase },
  };
}

function sa(namespace: string, name: string): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, uid: `uid-${namespace}-${name}` } };
}

function setup(namespaces: Namespace[], serviceaccounts: ServiceAccount[] = []) {
  const lister = new FakeLister({ namespaces, serviceaccounts });
  const actions = new FakeActions(lister);
  return { lister, actions, deps: { lister, actions } };
}

describe('syncServiceAccounts', () => {
  it('creates `default` in an Active namespace that lacks it', async () => {
    const { actions, deps } = setup([ns('team')]);
    expect(await syncServiceAccounts(deps, 'team')).toEqual({});
    expect(actions.summary()).toEqual(['create serviceaccounts team/default']);
    expect(actions.of('create')[0]!.object).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team' } });
  });

  it('does nothing when it exists, or when the namespace is gone or terminating', async () => {
    const { actions, deps } = setup([ns('team'), ns('old', 'Terminating')], [sa('team', 'default')]);
    for (const key of ['team', 'old', 'nope']) await syncServiceAccounts(deps, key);
    expect(actions.summary()).toEqual([]);
  });

  it('re-creates a deleted `default` (the informer enqueues its namespace)', async () => {
    const { lister, actions, deps } = setup([ns('team')], [sa('team', 'default')]);
    lister.remove('serviceaccounts', 'team', 'default');
    await syncServiceAccounts(deps, 'team');
    expect(actions.summary()).toEqual(['create serviceaccounts team/default']);
  });

  it('AlreadyExists (a lagging cache) and NamespaceTerminating are not failures; others are retried', async () => {
    const { actions, deps } = setup([ns('team')]);
    actions.failures.set('create serviceaccounts', alreadyExists({ group: '', resource: 'serviceaccounts' }, 'default'));
    await expect(syncServiceAccounts(deps, 'team')).resolves.toEqual({});
    actions.failures.set('create serviceaccounts', statusError(403, 'Forbidden', 'unable to create new content in namespace team because it is being terminated',
      { causes: [{ reason: 'NamespaceTerminating', message: 'namespace team is being terminated' }] }));
    await expect(syncServiceAccounts(deps, 'team')).resolves.toEqual({});
    actions.failures.set('create serviceaccounts', internal('etcd unavailable'));
    await expect(syncServiceAccounts(deps, 'team')).rejects.toThrow('Internal error occurred: etcd unavailable');
  });
});
