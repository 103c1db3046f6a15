import type { ConfigMap } from '@tinykube/api';
import { describe, expect, it } from 'vitest';
import { alreadyExists, notFound, statusError } from '@tinykube/api';
import { FakeActions, FakeLister } from '../../core/fake.js';
import { T0 } from '../../core/fixtures.js';
import type { Namespace } from '@tinykube/api';
import { DESCRIPTION, DESCRIPTION_ANNOTATION, syncRootCA } from './sync.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB...new\n-----END CERTIFICATE-----\n';
const OLD_CA = '-----BEGIN CERTIFICATE-----\nMIIB...old\n-----END CERTIFICATE-----\n';

function ns(name: string, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `uid-${name}`, ...(phase === 'Terminating' ? { deletionTimestamp: T0 } : {}) },
    spec: {},
    status: { phase },
  };
}

function cm(namespace: string, data: Record<string, string>, annotations?: Record<string, string>, extra: Partial<ConfigMap> = {}): ConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace, uid: `uid-${namespace}`, resourceVersion: '7', ...(annotations ? { annotations } : {}) },
    data, ...extra,
  };
}

function setup(namespaces: Namespace[], configmaps: ConfigMap[] = []) {
  const lister = new FakeLister({ namespaces, configmaps });
  const actions = new FakeActions(lister);
  return { lister, actions, deps: { lister, actions, rootCA: CA } };
}

describe('syncRootCA', () => {
  it('creates kube-root-ca.crt with the CA and kube\'s description', async () => {
    const { actions, deps } = setup([ns('team')]);
    expect(await syncRootCA(deps, 'team')).toEqual({});
    expect(actions.summary()).toEqual(['create configmaps team/kube-root-ca.crt']);
    expect(actions.of('create')[0]!.object).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: 'team', annotations: { 'kubernetes.io/description': DESCRIPTION } },
      data: { 'ca.crt': CA },
    });
    expect(DESCRIPTION).toBe('Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.');
  });

  it('leaves a ConfigMap that is already right alone', async () => {
    const { actions, deps } = setup([ns('team')], [cm('team', { 'ca.crt': CA }, { [DESCRIPTION_ANNOTATION]: 'anything' })]);
    await syncRootCA(deps, 'team');
    expect(actions.summary()).toEqual([]);
  });

  it('writes back a changed CA, an extra key or a missing annotation, keeping the rest (and the resourceVersion)', async () => {
    const { actions, deps } = setup([ns('a'), ns('b'), ns('c')], [
      cm('a', { 'ca.crt': OLD_CA }, { [DESCRIPTION_ANNOTATION]: DESCRIPTION, team: 'x' }),
      cm('b', { 'ca.crt': CA, extra: 'y' }, { [DESCRIPTION_ANNOTATION]: DESCRIPTION }),
      cm('c', { 'ca.crt': CA }, undefined, { binaryData: { blob: 'AA==' } }),
    ]);
    for (const key of ['a', 'b', 'c']) await syncRootCA(deps, key);
    expect(actions.summary()).toEqual(['update configmaps a/kube-root-ca.crt', 'update configmaps b/kube-root-ca.crt', 'update configmaps c/kube-root-ca.crt']);
    const [a, b, c] = actions.of('update').map((x) => x.object as ConfigMap);
    expect(a).toMatchObject({ data: { 'ca.crt': CA }, metadata: { resourceVersion: '7', annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION, team: 'x' } } });
    expect(b!.data).toEqual({ 'ca.crt': CA });
    expect(c).toMatchObject({ data: { 'ca.crt': CA }, binaryData: { blob: 'AA==' }, metadata: { annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } } });
  });

  it('skips namespaces that are gone or terminating; a create racing a deletion is not an error', async () => {
    const { actions, deps } = setup([ns('old', 'Terminating'), ns('team')]);
    await syncRootCA(deps, 'old');
    await syncRootCA(deps, 'nope');
    expect(actions.summary()).toEqual([]);
    actions.failures.set('create configmaps', notFound({ group: '', resource: 'namespaces' }, 'team'));
    await expect(syncRootCA(deps, 'team')).resolves.toEqual({});
    actions.failures.set('create configmaps', statusError(403, 'Forbidden', 'terminating', { causes: [{ reason: 'NamespaceTerminating' }] }));
    await expect(syncRootCA(deps, 'team')).resolves.toEqual({});
  });

  it('AlreadyExists is retried (the ADD is not watched: the retry compares the cached object)', async () => {
    const { actions, deps } = setup([ns('team')]);
    actions.failures.set('create configmaps', alreadyExists({ group: '', resource: 'configmaps' }, 'kube-root-ca.crt'));
    await expect(syncRootCA(deps, 'team')).rejects.toThrow('configmaps "kube-root-ca.crt" already exists');
  });
});
