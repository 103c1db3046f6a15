import { describe, expect, it } from 'vitest';
import { Expectations } from '../../core/expectations.js';
import { FakeActions, FakeLister, FakeRecorder, TestClock } from '../../core/fake.js';
import { newNode, newPod } from '../../core/fixtures.js';
import type { DaemonSet, Node, Pod } from '@tinykube/api';
import { podTemplateHash } from '../deployment/hash.js';
import { syncDaemonSet } from './sync.js';

function newDaemonSet(): DaemonSet {
  const labels = { app: 'agent' };
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: 1, resourceVersion: '1' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  };
}

function setup(ds: DaemonSet, nodes: Node[], pods: Pod[] = []) {
  const clock = new TestClock();
  const lister = new FakeLister({ daemonsets: [ds], nodes, pods });
  const actions = new FakeActions();
  const recorder = new FakeRecorder();
  return { actions, recorder, deps: { lister, actions, recorder, expectations: new Expectations(clock.now), now: clock.now } };
}

const created = (a: FakeActions) => a.of('create', 'pods').map((x) => x.object as Pod);
const targetNode = (p: Pod) => p.spec.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0].matchFields![0].values![0];

describe('syncDaemonSet', () => {
  it('creates one pod per eligible node with node affinity on metadata.name and default tolerations', async () => {
    const ds = newDaemonSet();
    ds.spec.template.spec.nodeSelector = { disk: 'ssd' };
    const nodes = [
      newNode('a', { labels: { disk: 'ssd' } }),
      newNode('b', { labels: { disk: 'ssd' }, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      newNode('c', { labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
      newNode('d'),
    ];
    const { deps, actions } = setup(ds, nodes);
    await syncDaemonSet(deps, 'default/agent');
    const pods = created(actions);
    expect(pods.map(targetNode)).toEqual(['a', 'b']);
    expect(pods[0].spec.nodeName).toBeUndefined();
    expect(pods[0].metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': podTemplateHash(ds.spec.template) });
    expect(pods[0].spec.tolerations!.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    const status = actions.of('update', 'daemonsets')[0].object!.status;
    expect(status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 0, numberUnavailable: 2, observedGeneration: 1 });
  });

  it('deletes pods on nodes with an untolerated NoExecute taint, duplicates and failed pods', async () => {
    const ds = newDaemonSet();
    const hash = podTemplateHash(ds.spec.template);
    const mk = (name: string, node: string, extra: Partial<Parameters<typeof newPod>[1]> = {}) =>
      newPod(name, { owner: ds, labels: { app: 'agent', 'controller-revision-hash': hash }, node, ready: true, ...extra });
    const nodes = [newNode('a'), newNode('b', { taints: [{ key: 'evict', effect: 'NoExecute' }] }), newNode('c')];
    const pods = [
      mk('a-old', 'a', { created: '2026-01-01T00:00:00Z' }), mk('a-dup', 'a', { created: '2026-01-01T00:01:00Z' }),
      mk('b-1', 'b'), mk('c-failed', 'c', { phase: 'Failed' }), mk('gone-1', 'gone'),
    ];
    const { deps, actions, recorder } = setup(ds, nodes, pods);
    await syncDaemonSet(deps, 'default/agent');
    expect(actions.of('delete', 'pods').map((a) => a.name).sort()).toEqual(['a-dup', 'b-1', 'c-failed', 'gone-1']);
    expect(recorder.events).toContain('Normal SuccessfulDelete Deleted pod: b-1');
    // c has only a failed pod: a replacement comes once the failed one is gone.
    expect(created(actions)).toEqual([]);
  });

  it('replaces outdated pods one at a time (maxUnavailable 1)', async () => {
    const ds = newDaemonSet();
    const mk = (name: string, node: string) => newPod(name, { owner: ds, labels: { app: 'agent', 'controller-revision-hash': 'old' }, node, ready: true });
    const { deps, actions } = setup(ds, [newNode('a'), newNode('b')], [mk('pa', 'a'), mk('pb', 'b')]);
    await syncDaemonSet(deps, 'default/agent');
    expect(actions.summary()).toEqual(['delete pods default/pa', 'update daemonsets default/agent/status']);
    expect(actions.of('update')[0].object!.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 0 });
  });
});
