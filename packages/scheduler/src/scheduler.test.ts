import { FakeClock } from '@tinykube/testkit';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { nodeObj, podObj, seqRng } from '../test/fixtures.js';
import { conflict, notFound, statusError } from '@tinykube/api';
import type { SchedulerApi } from './api.js';
import type { PodEvent } from './events.js';
import { Scheduler } from './scheduler.js';

class FakeApi implements SchedulerApi {
  bindings: Array<{ pod: string; node: string }> = [];
  events: PodEvent[] = [];
  eventPatches: Array<{ name: string; patch: Record<string, unknown> }> = [];
  statusPatches: Array<{ pod: string; patch: Record<string, unknown> }> = [];
  failBind?: (pod: string) => Error | undefined;

  async bind(pod: { namespace: string; name: string }, node: string): Promise<void> {
    const key = `${pod.namespace}/${pod.name}`;
    const err = this.failBind?.(key);
    if (err) throw err;
    this.bindings.push({ pod: key, node });
  }
  async createEvent(e: PodEvent): Promise<void> {
    this.events.push(e);
  }
  async patchEvent(_ns: string, name: string, patch: Record<string, unknown>): Promise<void> {
    this.eventPatches.push({ name, patch });
  }
  async patchPodStatus(ns: string, name: string, patch: Record<string, unknown>): Promise<void> {
    this.statusPatches.push({ pod: `${ns}/${name}`, patch });
  }
  summary() {
    return this.events.map((e) => `${e.type} ${e.reason} ${e.involvedObject.name}: ${e.message}`);
  }
}

function setup(nodes: Array<Record<string, unknown>>) {
  const api = new FakeApi();
  const clock = new FakeClock(1_000_000);
  const s = new Scheduler({
    api,
    logger: pino({ level: 'silent' }),
    identity: 'test-sched',
    rng: seqRng([0.5]),
    clock,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  for (const n of nodes) s.onNodeAdd(n);
  /** Pops and schedules everything active, then waits for the background writes. */
  const drain = async () => {
    for (let qp = s.queue.tryPop(); qp; qp = s.queue.tryPop()) s.scheduleOne(qp);
    await s.idle();
  };
  return { api, s, clock, drain };
}

const controlPlane = nodeObj('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });

describe('Scheduler', () => {
  it('binds pending pods and posts Scheduled events', async () => {
    const { api, s, drain } = setup([controlPlane, nodeObj('w1', { cpu: '1' })]);
    s.onPodAdd(podObj('web', { cpu: '500m' }));
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/web', node: 'w1' }]);
    expect(api.summary()).toEqual(['Normal Scheduled web: Successfully assigned default/web to w1']);
    expect(api.statusPatches).toEqual([]);
  });

  it('assumed pods count: back-to-back pods do not overcommit a node', async () => {
    const { api, s, drain } = setup([controlPlane, nodeObj('w1', { cpu: '1' }), nodeObj('w2', { cpu: '1' }), nodeObj('w3', { cpu: '1' })]);
    for (const name of ['a', 'b', 'c', 'd']) s.onPodAdd(podObj(name, { cpu: '600m' }));
    await drain();
    expect(api.bindings.map((b) => b.node).sort()).toEqual(['w1', 'w2', 'w3']);
    expect(api.bindings.map((b) => b.pod)).toEqual(['default/a', 'default/b', 'default/c']);
    const failed = api.events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed.map((e) => [e.involvedObject.name, e.type, e.source.component, e.reportingComponent, e.message])).toEqual([
      [
        'd',
        'Warning',
        'default-scheduler',
        'default-scheduler',
        '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
          'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
      ],
    ]);
    expect(api.statusPatches).toEqual([
      {
        pod: 'default/d',
        patch: {
          status: {
            conditions: [
              { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: failed[0].message, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
            ],
          },
        },
      },
    ]);
    expect(s.queue.lengths().unschedulable).toBe(1);
  });

  it('an unschedulable pod is scheduled once a node is added', async () => {
    const { api, s, clock, drain } = setup([nodeObj('small', { cpu: '1' })]);
    s.onPodAdd(podObj('big', { cpu: '2' }));
    await drain();
    expect(api.bindings).toEqual([]);
    clock.advance(1_000); // backoff over
    s.onNodeAdd(nodeObj('large', { cpu: '4' }));
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/big', node: 'large' }]);
  });

  it('a bound pod being deleted frees room for a waiting pod', async () => {
    const { api, s, clock, drain } = setup([nodeObj('w1', { cpu: '1' })]);
    const running = podObj('running', { cpu: '1', nodeName: 'w1', phase: 'Running' });
    s.onPodAdd(running);
    s.onPodAdd(podObj('waiting', { cpu: '1' }));
    await drain();
    expect(api.bindings).toEqual([]);
    clock.advance(1_000);
    s.onPodDelete(running);
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/waiting', node: 'w1' }]);
  });

  it('an uncordoned node does not wake pods that lacked resources, but a taint removal wakes tainted ones', async () => {
    const { api, s, clock, drain } = setup([nodeObj('w1', { cpu: '1', taints: [{ key: 'k', effect: 'NoSchedule' }] })]);
    s.onPodAdd(podObj('p', { cpu: '500m' }));
    await drain();
    clock.advance(1_000);
    s.onNodeUpdate(undefined, nodeObj('w1', { cpu: '1', taints: [{ key: 'k', effect: 'NoSchedule' }], labels: { new: 'label' } }));
    expect(s.queue.lengths().unschedulable).toBe(1);
    s.onNodeUpdate(undefined, nodeObj('w1', { cpu: '1' }));
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/p', node: 'w1' }]);
  });

  it('a cordoned or NotReady node wakes its pods when it becomes schedulable', async () => {
    const { api, s, clock, drain } = setup([nodeObj('w1', { unschedulable: true })]);
    s.onPodAdd(podObj('p'));
    await drain();
    expect(api.events[0].message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    clock.advance(1_000);
    s.onNodeUpdate(undefined, nodeObj('w1', { ready: 'False' })); // uncordoned, but not ready
    await drain();
    expect(api.bindings).toEqual([]);
    expect(api.events[1].message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    clock.advance(2_000);
    s.onNodeUpdate(undefined, nodeObj('w1'));
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/p', node: 'w1' }]);
  });

  it('ignores pods of other schedulers, bound pods and pods being deleted', async () => {
    const { api, s, drain } = setup([nodeObj('w1')]);
    s.onPodAdd(podObj('other', { schedulerName: 'my-scheduler' }));
    s.onPodAdd(podObj('bound', { nodeName: 'w1' }));
    s.onPodAdd(podObj('dying', { deleting: true }));
    s.onPodAdd(podObj('mine', { schedulerName: 'default-scheduler' }));
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/mine', node: 'w1' }]);
  });

  it('a failed binding is forgotten, reported and retried after backoff', async () => {
    const { api, s, clock, drain } = setup([nodeObj('w1', { cpu: '1' })]);
    api.failBind = () => statusError(500, 'InternalError', 'etcd hiccup');
    s.onPodAdd(podObj('p', { cpu: '1' }));
    await drain();
    expect(api.bindings).toEqual([]);
    expect(s.cache.getNode('w1')!.requested.milliCpu).toBe(0); // unassumed
    expect(api.summary()).toEqual(['Warning FailedScheduling p: Binding rejected: etcd hiccup']);
    expect(s.queue.lengths().backoff).toBe(1);
    api.failBind = undefined;
    clock.advance(1_000);
    s.queue.flush();
    await drain();
    expect(api.bindings).toEqual([{ pod: 'default/p', node: 'w1' }]);
  });

  it('a pod deleted before its binding lands (404) is dropped', async () => {
    const { api, s, drain } = setup([nodeObj('w1')]);
    api.failBind = () => notFound({ group: '', resource: 'pods' }, 'p');
    s.onPodAdd(podObj('p'));
    await drain();
    expect(s.queue.lengths()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
    expect(api.events).toEqual([]);
  });

  it('repeated failures bump the event count and skip an unchanged condition', async () => {
    const { api, s, clock, drain } = setup([nodeObj('w1', { cpu: '1' })]);
    s.onPodAdd(podObj('p', { cpu: '2' }));
    await drain();
    // The informer now shows the condition the scheduler wrote.
    const msg = api.events[0].message;
    const withCondition = podObj('p', { cpu: '2', resourceVersion: '2' });
    (withCondition.status as Record<string, unknown>).conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }];
    s.onPodUpdate(undefined, withCondition);
    clock.advance(60_000);
    s.queue.flush();
    await drain();
    expect(api.events).toHaveLength(1);
    expect(api.eventPatches).toEqual([{ name: api.events[0].metadata.name, patch: { count: 2, lastTimestamp: '2026-01-01T00:00:00Z' } }]);
    expect(api.statusPatches).toHaveLength(1);
  });

  it('a pod another scheduler bound first is not retried or reported', async () => {
    const { api, s } = setup([nodeObj('w1'), nodeObj('w2')]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    api.bind = async () => {
      await gate; // the answer arrives after the informer event below
      throw conflict({ group: '', resource: 'pods' }, 'p', 'pod is already assigned');
    };
    s.onPodAdd(podObj('p'));
    s.scheduleOne(s.queue.tryPop()!);
    s.onPodUpdate(undefined, podObj('p', { nodeName: 'w2' })); // the informer: someone else bound it
    release();
    await s.idle();
    expect(api.events).toEqual([]);
    expect(s.queue.has('default/p')).toBe(false);
    expect(s.cache.nodeOf('uid-p')).toBe('w2');
  });

  it('a pod confirmed bound by the informer leaves the queue and stays accounted', async () => {
    const { api, s, drain } = setup([nodeObj('w1', { cpu: '1' })]);
    s.onPodAdd(podObj('p', { cpu: '1' }));
    await drain();
    s.onPodUpdate(undefined, podObj('p', { cpu: '1', nodeName: api.bindings[0].node }));
    expect(s.cache.isAssumed('uid-p')).toBe(false);
    expect(s.cache.getNode('w1')!.requested.milliCpu).toBe(1000);
    // A stale unbound copy arriving late must not requeue it.
    s.onPodUpdate(undefined, podObj('p', { cpu: '1' }));
    expect(s.queue.has('default/p')).toBe(false);
  });

  it('run() schedules until aborted', async () => {
    const { api, s } = setup([nodeObj('w1'), nodeObj('w2')]);
    for (let i = 0; i < 50; i++) s.onPodAdd(podObj(`p${i}`, { owner: 'rs' }));
    const ac = new AbortController();
    const running = s.run(ac.signal);
    while (api.bindings.length < 50) await new Promise((r) => setImmediate(r));
    ac.abort();
    await running;
    const perNode = api.bindings.reduce<Record<string, number>>((m, b) => ({ ...m, [b.node]: (m[b.node] ?? 0) + 1 }), {});
    expect(perNode).toEqual({ w1: 25, w2: 25 }); // spread by owner
  });
});
