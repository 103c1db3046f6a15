import { FakeClock } from '@tinykube/testkit';
import { describe, expect, it } from 'vitest';
import { podInfo } from '../test/fixtures.js';
import { AssignedPodDelete, NodeAdd, nodeChangeEvent } from './cluster-events.js';
import { SchedulingQueue } from './queue.js';

function setup() {
  const clock = new FakeClock(1_000_000);
  const q = new SchedulingQueue({ clock });
  return { clock, q };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then FIFO', () => {
    const { q } = setup();
    q.add(podInfo('a'));
    q.add(podInfo('b', { priority: 10 }));
    q.add(podInfo('c'));
    expect([q.tryPop()?.pod.name, q.tryPop()?.pod.name, q.tryPop()?.pod.name, q.tryPop()]).toEqual(['b', 'a', 'c', undefined]);
  });

  it('backs off 1 s doubling to 10 s', () => {
    const { q } = setup();
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => q.backoffDuration(n))).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });

  it('an error requeue waits out the backoff, measured with the injected clock', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    let qp = q.tryPop()!;
    q.requeueBackoff(qp);
    expect(q.lengths()).toMatchObject({ active: 0, backoff: 1 });
    clock.advance(999);
    q.flush();
    expect(q.tryPop()).toBeUndefined();
    clock.advance(1);
    q.flush();
    qp = q.tryPop()!;
    expect(qp.attempts).toBe(2);
    q.requeueBackoff(qp); // second failure: 2 s
    clock.advance(1999);
    q.flush();
    expect(q.tryPop()).toBeUndefined();
    clock.advance(1);
    q.flush();
    expect(q.tryPop()?.pod.name).toBe('a');
  });

  it('unschedulable pods return to active on a node-add event (after their backoff)', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    const qp = q.tryPop()!;
    q.requeueUnschedulable(qp, new Set(['NodeResourcesFit']));
    expect(q.lengths()).toMatchObject({ unschedulable: 1, active: 0, backoff: 0 });
    clock.advance(5_000); // past the 1 s backoff
    q.flush();
    expect(q.lengths().unschedulable).toBe(1); // time alone (<60 s) does not help
    expect(q.onClusterEvent(NodeAdd)).toBe(1);
    expect(q.lengths()).toMatchObject({ unschedulable: 0, active: 1 });
    expect(q.tryPop()?.pod.name).toBe('a');
  });

  it('a helpful event during backoff moves the pod to the backoff queue', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    q.requeueUnschedulable(q.tryPop()!, new Set(['NodeResourcesFit']));
    q.onClusterEvent(AssignedPodDelete);
    expect(q.lengths()).toMatchObject({ backoff: 1, active: 0 });
    clock.advance(1000);
    q.flush();
    expect(q.tryPop()?.pod.name).toBe('a');
  });

  it('only events naming a rejecting plugin move the pod', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    q.requeueUnschedulable(q.tryPop()!, new Set(['TaintToleration']));
    clock.advance(2000);
    expect(q.onClusterEvent(AssignedPodDelete)).toBe(0);
    const uncordon = nodeChangeEvent(
      { unschedulable: true, allocatable: 'x', labels: '{}', taints: '' },
      { unschedulable: false, allocatable: 'x', labels: '{}', taints: '' },
    )!;
    expect(q.onClusterEvent(uncordon)).toBe(0);
    const taintRemoved = nodeChangeEvent(
      { unschedulable: false, allocatable: 'x', labels: '{}', taints: 'k=v:NoSchedule' },
      { unschedulable: false, allocatable: 'x', labels: '{}', taints: '' },
    )!;
    expect(q.onClusterEvent(taintRemoved)).toBe(1);
  });

  it('unschedulable pods are flushed after 60 s without any event', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    q.requeueUnschedulable(q.tryPop()!, new Set(['NodeAffinity']));
    clock.advance(59_999);
    q.flush();
    expect(q.lengths().unschedulable).toBe(1);
    clock.advance(1);
    q.flush();
    expect(q.tryPop()?.pod.name).toBe('a');
  });

  it('an event that arrives while the pod is in flight is not lost', () => {
    const { q } = setup();
    q.add(podInfo('a'));
    const qp = q.tryPop()!;
    q.onClusterEvent(NodeAdd); // node added while we were filtering
    q.requeueUnschedulable(qp, new Set(['NodeResourcesFit']));
    expect(q.lengths()).toMatchObject({ unschedulable: 0, backoff: 1 });
  });

  it('a spec update moves an unschedulable pod out; a status-only update does not', () => {
    const { q, clock } = setup();
    q.add(podInfo('a'));
    q.requeueUnschedulable(q.tryPop()!, new Set(['TaintToleration']));
    clock.advance(2000);
    q.update(podInfo('a', { resourceVersion: '2' })); // same spec: no move
    expect(q.lengths().unschedulable).toBe(1);
    q.update(podInfo('a', { tolerations: [{ operator: 'Exists' }] }));
    expect(q.lengths()).toMatchObject({ unschedulable: 0, active: 1 });
    expect(q.tryPop()?.pod.tolerations).toHaveLength(1);
  });

  it('delete removes a pod wherever it is, including in flight', () => {
    const { q } = setup();
    q.add(podInfo('a'));
    q.add(podInfo('b'));
    q.delete('default/a');
    const qp = q.tryPop()!;
    expect(qp.pod.name).toBe('b');
    q.delete('default/b');
    q.requeueBackoff(qp); // the pod is gone: nothing comes back
    expect(q.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });

  it('done() with a stale uid does not drop a re-created pod', () => {
    const { q } = setup();
    q.add(podInfo('a', { uid: 'old' }));
    const qp = q.tryPop()!;
    q.delete('default/a');
    q.add(podInfo('a', { uid: 'new' }));
    q.done(qp.pod);
    expect(q.tryPop()?.pod.uid).toBe('new');
  });

  it('pop waits for a pod and returns undefined on abort', async () => {
    const { q } = setup();
    const waiting = q.pop();
    q.add(podInfo('a'));
    expect((await waiting)?.pod.name).toBe('a');
    const ac = new AbortController();
    const aborted = q.pop(ac.signal);
    ac.abort();
    expect(await aborted).toBeUndefined();
  });
});
