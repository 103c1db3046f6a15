import { describe, expect, it } from 'vitest';
import { FakeActions, FakeLister, FakeRecorder, TestClock } from '../../core/fake.js';
import { newNode, newPod } from '../../core/fixtures.js';
import type { Pod, Taint } from '@tinykube/api';
import { syncTaintEviction } from './sync.js';

function setup(taints: Taint[], pod: Pod) {
  const clock = new TestClock();
  const lister = new FakeLister({ nodes: [newNode('n1', { taints })], pods: [pod] });
  const actions = new FakeActions(lister);
  const recorder = new FakeRecorder();
  return { clock, actions, recorder, deps: { lister, actions, recorder, now: clock.now, defaultTolerationSeconds: 300, firstSeen: new Map<string, number>() } };
}

const unreachable = (timeAdded = '2026-01-01T00:00:00Z'): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded });

describe('syncTaintEviction', () => {
  it('deletes at once a pod that does not tolerate a NoExecute taint, with a TaintManagerEviction event', async () => {
    const { deps, actions, recorder } = setup([{ key: 'dedicated', value: 'x', effect: 'NoExecute' }], newPod('p', { node: 'n1' }));
    await syncTaintEviction(deps, 'default/p');
    expect(actions.summary()).toEqual(['delete pods default/p']);
    expect(recorder.events).toEqual(['Normal TaintManagerEviction Marking for deletion Pod default/p']);
  });

  it('waits tolerationSeconds from the taint timeAdded, then deletes', async () => {
    const pod = newPod('p', { node: 'n1' });
    pod.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
    const { deps, actions, clock } = setup([unreachable()], pod);
    clock.advance(2_000);
    expect(await syncTaintEviction(deps, 'default/p')).toEqual({ requeueAfterMs: 3_000 });
    expect(actions.summary()).toEqual([]);
    clock.advance(3_000);
    await syncTaintEviction(deps, 'default/p');
    expect(actions.summary()).toEqual(['delete pods default/p']);
  });

  it('uses --pod-eviction-timeout for pods without a toleration for unreachable', async () => {
    const { deps, actions } = setup([unreachable()], newPod('p', { node: 'n1' }));
    expect(await syncTaintEviction(deps, 'default/p')).toEqual({ requeueAfterMs: 300_000 });
    expect(actions.summary()).toEqual([]);
  });

  it('never evicts a pod tolerating forever, nor pods on untainted nodes or NoSchedule-only taints', async () => {
    const pod = newPod('p', { node: 'n1' });
    pod.spec.tolerations = [{ operator: 'Exists' }];
    const a = setup([unreachable()], pod);
    expect(await syncTaintEviction(a.deps, 'default/p')).toEqual({});
    const b = setup([{ key: 'x', effect: 'NoSchedule' }], newPod('p', { node: 'n1' }));
    expect(await syncTaintEviction(b.deps, 'default/p')).toEqual({});
    expect([...a.actions.summary(), ...b.actions.summary()]).toEqual([]);
  });

  it('measures from first sight when a taint has no timeAdded', async () => {
    const pod = newPod('p', { node: 'n1' });
    pod.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }];
    const { deps, clock, actions } = setup([{ key: 'k', effect: 'NoExecute' }], pod);
    expect(await syncTaintEviction(deps, 'default/p')).toEqual({ requeueAfterMs: 10_000 });
    clock.advance(4_000);
    expect(await syncTaintEviction(deps, 'default/p')).toEqual({ requeueAfterMs: 6_000 });
    clock.advance(6_000);
    await syncTaintEviction(deps, 'default/p');
    expect(actions.summary()).toEqual(['delete pods default/p']);
  });
});
